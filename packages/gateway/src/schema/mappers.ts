import type { AnomalyFinding, Finding, HistoryRecord, RemediationResult, SeriesPoint } from '@iac-dharma/core';

/** A finding as the GraphQL `Prediction` type. */
export function toPrediction(finding: Finding) {
  const pick = <K extends string>(key: K) => ((finding as Record<string, unknown>)[key] ?? null) as number | string | null;
  return {
    id: finding.id,
    resourceId: finding.resource,
    kind: finding.kind,
    analyzer: finding.analyzer,
    severity: finding.severity,
    score: finding.score,
    summary: finding.summary,
    timestamp: finding.timestamp,
    series: finding.series ?? null,
    probability: pick('probability'),
    horizon: pick('horizon'),
    timeToFailure: pick('timeToFailure'),
    threshold: pick('threshold'),
    exhaustionAt: pick('exhaustionAt'),
    exhaustionUpperAt: pick('exhaustionUpperAt'),
    level: pick('level'),
    method: pick('method'),
    model: pick('model'),
    topFactors: finding.kind === 'prediction' ? finding.topFactors : [],
    forecast: null as unknown[] | null,
  };
}

/** An anomaly finding as the GraphQL `AnomalyEvent` type. */
export function toAnomalyEvent(finding: AnomalyFinding) {
  return {
    id: finding.id,
    resourceId: finding.resource,
    series: finding.series ?? null,
    analyzer: finding.analyzer,
    severity: finding.severity,
    score: finding.score,
    summary: finding.summary,
    timestamp: finding.timestamp,
    value: finding.value ?? null,
    expected: finding.expected ?? null,
  };
}

/** A stored series point as the GraphQL `Metric` type (series keys are `resource/metric`). */
export function toMetric(point: SeriesPoint, resourceId: string, metric: string) {
  return { resourceId, metric, timestamp: point.timestamp, value: point.value };
}

/** A remediation result as the GraphQL `RemediationResult` type. */
export function toRemediationResult(result: RemediationResult) {
  return { ...result, resourceId: result.resource, action: result.action ?? null, reason: result.reason ?? null };
}

/** A history record as the GraphQL `RemediationRecord` type. */
export function toRemediationRecord(record: HistoryRecord) {
  return { ...record, resourceId: record.resource, outcome: record.outcome ?? null };
}

/** Removes `null` fields (GraphQL's "not given") so zod's optional fields and defaults apply. */
export function withoutNulls<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== null && field !== undefined)) as never;
}
