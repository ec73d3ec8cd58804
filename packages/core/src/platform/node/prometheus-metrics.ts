import { Counter, Histogram, Registry } from 'prom-client';
import { z } from 'zod';
import { parseWith } from '../../errors/validation-error.js';
import type { EngineMetrics } from '../../metrics/engine-metrics.js';

/** Options of {@link createPrometheusMetrics}, with their defaults (parsed once; a wrong option throws `ValidationError` naming it). */
const PrometheusMetricsOptionsSchema = z.object({
  /** Registry to register the metrics in. @default a new Registry */
  registry: z
    .custom<Registry>((value) => typeof (value as { registerMetric?: unknown } | null)?.registerMetric === 'function', {
      message: 'expected a prom-client Registry',
    })
    .default(() => new Registry()),
  /** Prefix of every metric name (letters, digits, `_` and `:`, not starting with a digit). @default 'dharma_' */
  prefix: z
    .string()
    .regex(
      /^(?:[A-Za-z_:][A-Za-z0-9_:]*)?$/,
      'a Prometheus metric name prefix: letters, digits, "_" and ":", not starting with a digit',
    )
    .default('dharma_'),
});

/** Options of {@link createPrometheusMetrics}. */
export interface PrometheusMetricsOptions extends z.input<typeof PrometheusMetricsOptionsSchema> {}

/** {@link EngineMetrics} backed by prom-client, plus the registry to expose (e.g. on `/metrics`). */
export interface PrometheusMetrics extends EngineMetrics {
  readonly registry: Registry;
}

/**
 * Engine metrics for Prometheus: `dharma_records_ingested_total{kind}`, `dharma_records_rejected_total{reason}`,
 * `dharma_findings_total{kind,severity}`, `dharma_analyzer_duration_seconds{analyzer}`, `dharma_errors_total{source}`.
 */
export function createPrometheusMetrics(options: PrometheusMetricsOptions = {}): PrometheusMetrics {
  const { registry, prefix } = parseWith(PrometheusMetricsOptionsSchema, options, 'prometheus metrics options');
  const ingested = new Counter({
    name: `${prefix}records_ingested_total`,
    help: 'Records accepted by the engine',
    labelNames: ['kind'],
    registers: [registry],
  });
  const rejected = new Counter({
    name: `${prefix}records_rejected_total`,
    help: 'Records rejected by the engine',
    labelNames: ['reason'],
    registers: [registry],
  });
  const findings = new Counter({
    name: `${prefix}findings_total`,
    help: 'Findings produced',
    labelNames: ['kind', 'severity'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${prefix}analyzer_duration_seconds`,
    help: 'Time spent in one analyzer call',
    labelNames: ['analyzer'],
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    registers: [registry],
  });
  const errors = new Counter({
    name: `${prefix}errors_total`,
    help: 'Errors by source',
    labelNames: ['source'],
    registers: [registry],
  });
  return {
    registry,
    recordsIngested: (kind, count) => ingested.inc({ kind }, count),
    recordsRejected: (reason, count) => rejected.inc({ reason }, count),
    findingProduced: (kind, severity) => findings.inc({ kind, severity }),
    analyzerDuration: (analyzer, seconds) => duration.observe({ analyzer }, seconds),
    errorOccurred: (source) => errors.inc({ source }),
  };
}
