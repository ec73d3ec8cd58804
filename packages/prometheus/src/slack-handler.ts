import {
  noopLogger,
  systemClock,
  type Clock,
  type Finding,
  type FindingHandler,
  type Logger,
  type Severity,
} from '@iac-dharma/core/kernel';
import { postJson } from './http-post.js';
import { findingKey, matches, NotificationGate, type FindingMatch } from './notification-policy.js';

/** A routing rule: findings that match go to `webhookUrl`. */
export interface SlackRoute extends FindingMatch {
  webhookUrl: string;
}

/** Options of {@link createSlackHandler}. */
export interface SlackHandlerOptions extends FindingMatch {
  /** Incoming-webhook URL for findings no route takes (omit to send only routed findings). */
  webhookUrl?: string;
  /** Routing rules, first match wins (e.g. critical findings to #oncall, the rest to #ops). */
  routes?: SlackRoute[];
  /** The same kind/resource/series is not re-sent within this many ms unless its severity rises. @default 900000 */
  dedupeMs?: number;
  /** Most messages per minute across routes (Slack allows about one per second per webhook). @default 30 */
  maxPerMinute?: number;
  /** Link to show with each finding, e.g. your dashboard. */
  link?: (finding: Finding) => string | undefined;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  clock?: Clock;
  logger?: Logger;
  fetch?: typeof fetch;
}

const EMOJI: Record<Severity, string> = {
  critical: ':red_circle:',
  high: ':large_orange_circle:',
  medium: ':large_yellow_circle:',
  low: ':large_blue_circle:',
  info: ':white_circle:',
};

/** Escapes Slack mrkdwn control characters (`&`, `<`, `>`). */
const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * The Slack incoming-webhook message for a finding: `text` (the notification fallback) and Block Kit
 * `blocks` (a header, the summary, and fields), within Slack's length limits. @internal
 */
export function slackMessage(finding: Finding, link?: string): { text: string; blocks: unknown[] } {
  const title = `${EMOJI[finding.severity]} ${finding.severity.toUpperCase()} ${finding.kind} on ${finding.resource}`;
  const fields = [
    `*Resource*\n${escape(finding.resource)}`,
    `*Severity*\n${finding.severity}`,
    `*Analyzer*\n${escape(finding.analyzer)}`,
    `*Score*\n${finding.score.toFixed(2)}`,
  ];
  if (finding.series) fields.push(`*Series*\n${escape(finding.series)}`);
  fields.push(
    `*When*\n<!date^${Math.floor(finding.timestamp / 1000)}^{date_short_pretty} {time_secs}|${new Date(finding.timestamp).toISOString()}>`,
  );
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: escape(finding.summary).slice(0, 3000) } },
    { type: 'section', fields: fields.slice(0, 10).map((text) => ({ type: 'mrkdwn', text: text.slice(0, 2000) })) },
  ];
  if (link)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `<${link}|Open> · finding ${escape(finding.id)}` }],
    });
  return { text: `${title}: ${finding.summary}`.slice(0, 3000), blocks };
}

/** Counters of a notifier. */
export interface NotifierStats {
  sent: number;
  deduplicated: number;
  rateLimited: number;
  filtered: number;
  failed: number;
}

/** A finding handler that posts to Slack. */
export interface SlackHandler extends FindingHandler {
  stats(): NotifierStats;
}

/**
 * Posts findings to Slack incoming webhooks (payload per Slack's docs: `text` plus Block Kit `blocks`).
 * Routing rules pick the webhook by severity, kind and resource; repeated findings of one series are
 * de-duplicated; a rate limit caps messages per minute (the rest are counted and dropped); 429 and 5xx
 * answers are retried, honouring `Retry-After`.
 */
export function createSlackHandler(options: SlackHandlerOptions): SlackHandler {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? noopLogger;
  const gate = new NotificationGate(options.dedupeMs ?? 900_000, options.maxPerMinute ?? 30, () => clock.now());
  const post = {
    timeoutMs: options.timeoutMs ?? 5000,
    retries: options.retries ?? 3,
    backoffMs: options.backoffMs ?? 500,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const inFlight = new Set<Promise<unknown>>();
  return {
    specificationVersion: 'v1',
    name: 'slack',
    async handleFinding(finding) {
      const route = options.routes?.find((candidate) => matches(finding, candidate, options.minSeverity ?? 'medium'));
      const url = route?.webhookUrl ?? (matches(finding, options, 'medium') ? options.webhookUrl : undefined);
      if (!url) {
        gate.counts.filtered++;
        return;
      }
      if (!gate.admit(`${url}|${findingKey(finding)}`, finding.severity)) return;
      const promise = postJson(url, slackMessage(finding, options.link?.(finding)), post).then(
        () => void gate.counts.sent++,
        (error: unknown) => {
          gate.counts.failed++;
          logger.warn(`slack: could not post a finding: ${(error as Error).message}`);
        },
      );
      inFlight.add(promise);
      await promise.finally(() => inFlight.delete(promise));
    },
    stats: () => ({ ...gate.counts }),
    async flush() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
