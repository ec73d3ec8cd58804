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
import type { NotifierStats } from './slack-handler.js';

/** A routing rule: findings that match go to the service of `routingKey`. */
export interface PagerDutyRoute extends FindingMatch {
  /** The integration key of an Events API v2 integration. */
  routingKey: string;
}

/** Options of {@link createPagerDutyHandler}. */
export interface PagerDutyHandlerOptions extends FindingMatch {
  /** Integration key for findings no route takes (omit to page only for routed findings). */
  routingKey?: string;
  /** Routing rules, first match wins. */
  routes?: PagerDutyRoute[];
  /** Events API endpoint. @default 'https://events.pagerduty.com/v2/enqueue' */
  url?: string;
  /** `payload.source` (the affected system is in `component`). @default the finding's resource */
  source?: (finding: Finding) => string;
  /** The same kind/resource/series is not re-triggered within this many ms unless its severity rises (PagerDuty also de-duplicates by `dedup_key`). @default 300000 */
  dedupeMs?: number;
  /** Most events per minute (PagerDuty rate-limits each integration key). @default 60 */
  maxPerMinute?: number;
  /** Link added to each event. */
  link?: (finding: Finding) => string | undefined;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  clock?: Clock;
  logger?: Logger;
  fetch?: typeof fetch;
}

/** PagerDuty's four severities from the SDK's five. */
const PD_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
  info: 'info',
};

/** The Events API v2 `trigger` event of a finding (payload per PagerDuty's docs). @internal */
export function pagerDutyEvent(
  finding: Finding,
  routingKey: string,
  source: string,
  link?: string,
): Record<string, unknown> {
  const event: Record<string, unknown> = {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key: `iac-dharma:${findingKey(finding)}`.slice(0, 255),
    payload: {
      summary: finding.summary.slice(0, 1024) || `${finding.kind} on ${finding.resource}`,
      source,
      severity: PD_SEVERITY[finding.severity],
      timestamp: new Date(finding.timestamp).toISOString(),
      component: finding.resource,
      group: finding.series ?? finding.resource,
      class: finding.kind,
      custom_details: {
        finding_id: finding.id,
        analyzer: finding.analyzer,
        score: finding.score,
        severity: finding.severity,
        series: finding.series,
        labels: finding.labels,
      },
    },
    client: 'IaC Dharma AIOps SDK',
  };
  if (link) {
    event.client_url = link;
    event.links = [{ href: link, text: 'Finding' }];
  }
  return event;
}

/** A finding handler that triggers (and resolves) PagerDuty incidents. */
export interface PagerDutyHandler extends FindingHandler {
  /** Sends a `resolve` event for the finding's dedup key. */
  resolve(finding: Finding): Promise<void>;
  stats(): NotifierStats;
}

/**
 * Triggers PagerDuty incidents through the Events API v2 (`POST /v2/enqueue`): severity mapped to
 * critical/error/warning/info, `dedup_key` per kind, resource and series (so repeats update one
 * incident), routing rules by severity, kind and resource, local de-duplication and a rate limit;
 * 429 and 5xx answers are retried with backoff. `resolve(finding)` closes the incident.
 */
export function createPagerDutyHandler(options: PagerDutyHandlerOptions): PagerDutyHandler {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? noopLogger;
  const url = options.url ?? 'https://events.pagerduty.com/v2/enqueue';
  const gate = new NotificationGate(options.dedupeMs ?? 300_000, options.maxPerMinute ?? 60, () => clock.now());
  const post = {
    timeoutMs: options.timeoutMs ?? 5000,
    retries: options.retries ?? 3,
    backoffMs: options.backoffMs ?? 500,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const routingKeyOf = (finding: Finding) =>
    options.routes?.find((candidate) => matches(finding, candidate, options.minSeverity ?? 'high'))?.routingKey ??
    (matches(finding, options, 'high') ? options.routingKey : undefined);
  const inFlight = new Set<Promise<unknown>>();
  const deliver = async (body: Record<string, unknown>) => {
    const promise = postJson(url, body, post).then(
      () => void gate.counts.sent++,
      (error: unknown) => {
        gate.counts.failed++;
        logger.warn(`pagerduty: could not send an event: ${(error as Error).message}`);
      },
    );
    inFlight.add(promise);
    await promise.finally(() => inFlight.delete(promise));
  };
  return {
    specificationVersion: 'v1',
    name: 'pagerduty',
    async handleFinding(finding) {
      const routingKey = routingKeyOf(finding);
      if (!routingKey) {
        gate.counts.filtered++;
        return;
      }
      if (!gate.admit(`${routingKey}|${findingKey(finding)}`, finding.severity)) return;
      await deliver(
        pagerDutyEvent(finding, routingKey, options.source?.(finding) ?? finding.resource, options.link?.(finding)),
      );
    },
    async resolve(finding) {
      const routingKey = routingKeyOf(finding);
      if (!routingKey) return;
      gate.forget(`${routingKey}|${findingKey(finding)}`);
      await deliver({
        routing_key: routingKey,
        event_action: 'resolve',
        dedup_key: `iac-dharma:${findingKey(finding)}`.slice(0, 255),
      });
    },
    stats: () => ({ ...gate.counts }),
    async flush() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
