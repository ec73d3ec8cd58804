/**
 * Counters and histograms the engine updates. The default records nothing; on Node,
 * `createPrometheusMetrics()` from `@iac-dharma/core/node` backs them with prom-client.
 */
export interface EngineMetrics {
  /** Adds to the count of accepted records, by kind. */
  recordsIngested(kind: string, count: number): void;
  /** Adds to the count of rejected records, by reason (e.g. `validation`). */
  recordsRejected(reason: string, count: number): void;
  /** Counts a finding by kind and severity. */
  findingProduced(kind: string, severity: string): void;
  /** Observes how long one analyzer call took, in seconds. */
  analyzerDuration(analyzer: string, seconds: number): void;
  /** Counts an error by where it happened (analyzer, storage, transport, handler). */
  errorOccurred(source: string): void;
}

/** Metrics that record nothing (the default, and what browsers use). */
export const noopMetrics: EngineMetrics = {
  recordsIngested() {},
  recordsRejected() {},
  findingProduced() {},
  analyzerDuration() {},
  errorOccurred() {},
};
