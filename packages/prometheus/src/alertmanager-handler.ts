import { hostname } from 'node:os';
import {
  noopLogger,
  systemClock,
  type Clock,
  type ComponentHealth,
  type Finding,
  type FindingHandler,
  type Logger,
  type Severity,
} from '@iac-dharma/core/kernel';
import { postJson } from './http-post.js';
import { findingKey, matches, type FindingMatch } from './notification-policy.js';

/** Options of {@link createAlertmanagerHandler}. */
export interface AlertmanagerHandlerOptions extends FindingMatch {
  /** Base URL of one Alertmanager, or several of a cluster (each gets every alert, as Prometheus does). */
  url: string | string[];
  /** Labels added to every alert, e.g. `{ team: 'sre', env: 'prod' }`. */
  labels?: Record<string, string>;
  /** Link back to the finding: a function of it. @default `http://<hostname>/dharma/findings/<id>` */
  generatorURL?: (finding: Finding) => string;
  /** An alert stays firing this long after its last finding, then is resolved (`endsAt` = now). @default 900000 (15 min) */
  activeForMs?: number;
  /** How often firing alerts are re-sent (Alertmanager expects repeats; Prometheus re-sends every minute). @default 60000 */
  resendIntervalMs?: number;
  /** Per-request timeout. @default 5000 */
  timeoutMs?: number;
  /** Retries of a failed POST. @default 3 */
  retries?: number;
  /** First backoff, ms; doubles per retry. @default 250 */
  backoffMs?: number;
  clock?: Clock;
  logger?: Logger;
  fetch?: typeof fetch;
}

/** A v2 alert as Alertmanager's `POST /api/v2/alerts` takes it. */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
}

/** The Alertmanager finding handler, with manual control for tests and shutdown. */
export interface AlertmanagerHandler extends FindingHandler {
  /** Alerts currently firing, by key. */
  active(): AlertmanagerAlert[];
  /** Re-sends firing alerts and resolves expired ones now (the timer does it every `resendIntervalMs`). */
  sweep(): Promise<void>;
  /** Resolves every firing alert now. */
  resolveAll(): Promise<void>;
  stats(): { sent: number; resolved: number; failed: number; filtered: number };
}

const ALERT_NAMES: Record<Finding['kind'], string> = {
  anomaly: 'DharmaAnomaly',
  forecast: 'DharmaCapacityForecast',
  prediction: 'DharmaFailurePrediction',
  threat: 'DharmaThreat',
  insight: 'DharmaInsight',
  'root-cause': 'DharmaRootCause',
};

/** Alertmanager's conventional severities (`critical`, `warning`, `info`) from the SDK's five. */
const AM_SEVERITY: Record<Severity, string> = {
  critical: 'critical',
  high: 'critical',
  medium: 'warning',
  low: 'info',
  info: 'info',
};

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Alertmanager labels and annotations for a finding. @internal */
export function alertFromFinding(
  finding: Finding,
  extra: Record<string, string>,
  generatorURL: string,
  endsAt: number,
): AlertmanagerAlert {
  const labels: Record<string, string> = {};
  // The finding's own labels first (Prometheus labels of the series), so ours win on a clash.
  for (const [name, value] of Object.entries(finding.labels ?? {})) {
    if (LABEL_NAME.test(name) && !name.startsWith('__') && value !== '') labels[name] = value;
  }
  Object.assign(labels, extra, {
    alertname: ALERT_NAMES[finding.kind],
    severity: AM_SEVERITY[finding.severity],
    dharma_severity: finding.severity,
    kind: finding.kind,
    resource: finding.resource,
    analyzer: finding.analyzer,
  });
  if (finding.series) labels.series = finding.series;
  const annotations: Record<string, string> = {
    summary: finding.summary.slice(0, 500),
    description: `${finding.summary} (${finding.kind} from ${finding.analyzer}, score ${finding.score.toFixed(2)})`,
    score: finding.score.toFixed(3),
    finding_id: finding.id,
  };
  if (finding.kind === 'anomaly' && finding.value !== undefined) annotations.value = String(finding.value);
  if (finding.kind === 'forecast') {
    annotations.threshold = String(finding.threshold);
    const at = finding.exhaustionUpperAt ?? finding.exhaustionAt;
    if (at !== undefined) annotations.exhaustion_at = new Date(at).toISOString();
  }
  return {
    labels,
    annotations,
    startsAt: new Date(finding.timestamp).toISOString(),
    endsAt: new Date(endsAt).toISOString(),
    generatorURL,
  };
}

/**
 * Sends findings to Alertmanager through its v2 API (`POST /api/v2/alerts`), as Prometheus does: one
 * alert per kind, resource and series (`alertname` = `DharmaAnomaly`, `DharmaCapacityForecast`, ...),
 * labels from the finding (`severity` mapped to critical/warning/info, `resource`, `series`, `kind`, the
 * series' own labels), annotations `summary`, `description`, `score`, `finding_id`, and a `generatorURL`.
 * Firing alerts are re-sent every `resendIntervalMs` with a fresh `endsAt`; an alert without a new
 * finding for `activeForMs` is resolved (sent once more with `endsAt` = now). Failures are logged and
 * counted, never thrown into the engine.
 */
export function createAlertmanagerHandler(options: AlertmanagerHandlerOptions): AlertmanagerHandler {
  const urls = (Array.isArray(options.url) ? options.url : [options.url]).map(
    (url) => `${url.replace(/\/+$/, '')}/api/v2/alerts`,
  );
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? noopLogger;
  const activeForMs = options.activeForMs ?? 900_000;
  const resendIntervalMs = options.resendIntervalMs ?? 60_000;
  const host = hostname();
  const generatorURL =
    options.generatorURL ?? ((finding: Finding) => `http://${host}/dharma/findings/${encodeURIComponent(finding.id)}`);
  const post = {
    timeoutMs: options.timeoutMs ?? 5000,
    retries: options.retries ?? 3,
    backoffMs: options.backoffMs ?? 250,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  };
  const firing = new Map<string, { finding: Finding; lastSeen: number; startsAt: number }>();
  const counts = { sent: 0, resolved: 0, failed: 0, filtered: 0 };
  const inFlight = new Set<Promise<void>>();

  const send = (alerts: AlertmanagerAlert[]): Promise<void> => {
    if (alerts.length === 0) return Promise.resolve();
    const promise = Promise.all(urls.map((url) => postJson(url, alerts, post)))
      .then(() => void (counts.sent += alerts.length))
      .catch((error: unknown) => {
        counts.failed += alerts.length;
        logger.warn(`alertmanager: could not send ${alerts.length} alert(s): ${(error as Error).message}`);
      })
      .finally(() => inFlight.delete(promise));
    inFlight.add(promise);
    return promise;
  };

  const toAlert = (entry: { finding: Finding; lastSeen: number; startsAt: number }, endsAt: number) => {
    const alert = alertFromFinding(entry.finding, options.labels ?? {}, generatorURL(entry.finding), endsAt);
    alert.startsAt = new Date(entry.startsAt).toISOString();
    return alert;
  };

  const sweep = async () => {
    const now = clock.now();
    const firingAlerts: AlertmanagerAlert[] = [];
    const resolved: AlertmanagerAlert[] = [];
    for (const [key, entry] of firing) {
      if (now - entry.lastSeen >= activeForMs) {
        resolved.push(toAlert(entry, now));
        firing.delete(key);
      } else firingAlerts.push(toAlert(entry, entry.lastSeen + activeForMs));
    }
    counts.resolved += resolved.length;
    await send([...firingAlerts, ...resolved]);
  };

  const timer = setInterval(() => void sweep(), resendIntervalMs);
  (timer as { unref?: () => void }).unref?.();

  return {
    specificationVersion: 'v1',
    name: 'alertmanager',
    async handleFinding(finding) {
      if (!matches(finding, options, 'medium')) {
        counts.filtered++;
        return;
      }
      const key = `${ALERT_NAMES[finding.kind]}|${findingKey(finding)}`;
      const now = Math.max(clock.now(), finding.timestamp);
      const previous = firing.get(key);
      const entry = { finding, lastSeen: now, startsAt: previous?.startsAt ?? finding.timestamp };
      firing.set(key, entry);
      await send([toAlert(entry, now + activeForMs)]);
    },
    active: () => [...firing.values()].map((entry) => toAlert(entry, entry.lastSeen + activeForMs)),
    sweep,
    async resolveAll() {
      const now = clock.now();
      const alerts = [...firing.values()].map((entry) => toAlert(entry, now));
      counts.resolved += alerts.length;
      firing.clear();
      await send(alerts);
    },
    async flush() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    stats: () => ({ ...counts }),
    async health(): Promise<ComponentHealth> {
      return counts.failed > 0 && counts.sent === 0
        ? { status: 'degraded', detail: `${counts.failed} alert(s) could not be sent` }
        : { status: 'ok' };
    },
    async close() {
      clearInterval(timer);
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
