import type { AnomalyFinding, Finding, FindingHandler, ForecastFinding } from '@iac-dharma/core/kernel';
import { Gauge, Registry } from 'prom-client';

/** Options of {@link createFindingsMetrics}. */
export interface FindingsMetricsOptions {
  /** Registry to add the gauges to: pass the one of `createPrometheusMetrics()` to expose both on one `/metrics`. @default a new Registry */
  registry?: Registry;
  /** Prefix of every metric name. @default 'dharma_' */
  prefix?: string;
  /** An anomaly finding counts as active (is exported) for this long after its sample time, in ms. @default 900000 (15 min) */
  anomalyActiveMs?: number;
  /** A forecast finding counts as active for this long, in ms (the forecaster re-notifies hourly by default). @default 7200000 (2 h) */
  forecastActiveMs?: number;
  /** Most series exported per gauge; the oldest is dropped beyond it. @default 10000 */
  maxSeries?: number;
  /** Clock for expiry. @default Date.now */
  now?: () => number;
}

/** A finding handler that exports findings as Prometheus gauges, with the registry they are on. */
export interface FindingsMetrics extends FindingHandler {
  readonly registry: Registry;
}

interface Entry {
  labels: Record<string, string>;
  value: number;
  /** Epoch ms the entry stops being active. */
  until: number;
}

/**
 * Findings back into Prometheus, on a prom-client registry (add it as a finding handler:
 * `engine.useHandler(createFindingsMetrics({ registry }))`):
 *
 * - `dharma_anomaly_score{resource,series,analyzer}`: score (0–1) of the latest anomaly of each series, while active;
 * - `dharma_forecast_exhaustion_seconds{resource,series,direction}`: seconds from now until the pessimistic
 *   forecast crosses the threshold (0 when already crossed), while active;
 * - `dharma_forecast_threshold{resource,series,direction}`: that threshold, in the series' unit;
 * - `dharma_active_findings{kind,severity}`: findings still active, by kind and severity.
 *
 * The engine's own `dharma_findings_total{kind,severity}` counter comes from `createPrometheusMetrics()`;
 * `alertingRules()` and `grafanaDashboard()` use all of them.
 */
export function createFindingsMetrics(options: FindingsMetricsOptions = {}): FindingsMetrics {
  const registry = options.registry ?? new Registry();
  const prefix = options.prefix ?? 'dharma_';
  const now = options.now ?? Date.now;
  const anomalyActiveMs = options.anomalyActiveMs ?? 900_000;
  const forecastActiveMs = options.forecastActiveMs ?? 7_200_000;
  const maxSeries = options.maxSeries ?? 10_000;
  const anomalies = new Map<string, Entry>();
  const forecasts = new Map<string, Entry & { threshold: number; exhaustionAt: number }>();
  const active = new Map<string, { kind: string; severity: string; until: number }>();

  const remember = <T extends { until: number }>(map: Map<string, T>, key: string, entry: T) => {
    map.delete(key);
    map.set(key, entry);
    if (map.size > maxSeries) map.delete(map.keys().next().value!);
  };
  const expire = <T extends { until: number }>(map: Map<string, T>, at: number) => {
    for (const [key, entry] of map) if (entry.until <= at) map.delete(key);
  };

  new Gauge({
    name: `${prefix}anomaly_score`,
    help: 'Score (0-1) of the latest anomaly finding of each series, while active',
    labelNames: ['resource', 'series', 'analyzer'],
    registers: [registry],
    collect() {
      this.reset();
      expire(anomalies, now());
      for (const entry of anomalies.values()) this.set(entry.labels, entry.value);
    },
  });
  new Gauge({
    name: `${prefix}forecast_exhaustion_seconds`,
    help: 'Seconds until the pessimistic forecast crosses the capacity threshold (0 = crossed), while active',
    labelNames: ['resource', 'series', 'direction'],
    registers: [registry],
    collect() {
      this.reset();
      const at = now();
      expire(forecasts, at);
      for (const entry of forecasts.values()) this.set(entry.labels, Math.max(0, (entry.exhaustionAt - at) / 1000));
    },
  });
  new Gauge({
    name: `${prefix}forecast_threshold`,
    help: 'Capacity threshold of each forecast series, in the series unit',
    labelNames: ['resource', 'series', 'direction'],
    registers: [registry],
    collect() {
      this.reset();
      for (const entry of forecasts.values()) this.set(entry.labels, entry.threshold);
    },
  });
  new Gauge({
    name: `${prefix}active_findings`,
    help: 'Findings still active, by kind and severity',
    labelNames: ['kind', 'severity'],
    registers: [registry],
    collect() {
      this.reset();
      expire(active, now());
      const counts = new Map<string, number>();
      for (const entry of active.values())
        counts.set(
          `${entry.kind}\u0000${entry.severity}`,
          (counts.get(`${entry.kind}\u0000${entry.severity}`) ?? 0) + 1,
        );
      for (const [key, count] of counts) {
        const [kind, severity] = key.split('\u0000') as [string, string];
        this.set({ kind, severity }, count);
      }
    },
  });

  return {
    specificationVersion: 'v1',
    name: 'prometheus-findings-metrics',
    registry,
    async handleFinding(finding: Finding) {
      const series = finding.series ?? finding.resource;
      const key = `${finding.kind}\u0000${series}`;
      if (finding.kind === 'anomaly') {
        const anomaly = finding as AnomalyFinding;
        remember(anomalies, series, {
          labels: { resource: anomaly.resource, series, analyzer: anomaly.analyzer },
          value: anomaly.score,
          until: anomaly.timestamp + anomalyActiveMs,
        });
        remember(active, key, {
          kind: finding.kind,
          severity: finding.severity,
          until: finding.timestamp + anomalyActiveMs,
        });
      } else if (finding.kind === 'forecast') {
        const forecast = finding as ForecastFinding;
        const exhaustionAt = forecast.exhaustionUpperAt ?? forecast.exhaustionAt;
        const direction = forecast.labels?.direction ?? (forecast.summary.includes('fall below') ? 'below' : 'above');
        if (exhaustionAt !== undefined) {
          const until = Math.max(now(), forecast.timestamp) + forecastActiveMs;
          remember(forecasts, series, {
            labels: { resource: forecast.resource, series, direction },
            value: 0,
            until,
            threshold: forecast.threshold,
            exhaustionAt,
          });
        }
        remember(active, key, {
          kind: finding.kind,
          severity: finding.severity,
          until: Math.max(now(), finding.timestamp) + forecastActiveMs,
        });
      } else {
        remember(active, key, {
          kind: finding.kind,
          severity: finding.severity,
          until: Math.max(now(), finding.timestamp) + anomalyActiveMs,
        });
      }
    },
  };
}
