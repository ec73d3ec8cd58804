import type { AnomalyFinding, Finding, HistoryRecord, RemediationResult, SeriesPoint } from '@iac-dharma/core';
import type {
  AnomalyEvent,
  Metric,
  Prediction,
  RemediationRecord,
  RemediationResult as GraphQLRemediationResult,
} from './generated/resolver-types.js';

/** A finding as the GraphQL `Prediction` type (a field its kind does not have is null). */
export function toPrediction(finding: Finding): Prediction {
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
    probability: ('probability' in finding ? finding.probability : undefined) ?? null,
    horizon: ('horizon' in finding ? finding.horizon : undefined) ?? null,
    timeToFailure: ('timeToFailure' in finding ? finding.timeToFailure : undefined) ?? null,
    threshold: ('threshold' in finding ? finding.threshold : undefined) ?? null,
    exhaustionAt: ('exhaustionAt' in finding ? finding.exhaustionAt : undefined) ?? null,
    exhaustionUpperAt: ('exhaustionUpperAt' in finding ? finding.exhaustionUpperAt : undefined) ?? null,
    level: ('level' in finding ? finding.level : undefined) ?? null,
    method: ('method' in finding ? finding.method : undefined) ?? null,
    model: ('model' in finding ? finding.model : undefined) ?? null,
    topFactors: finding.kind === 'prediction' ? finding.topFactors : [],
    forecast: null,
  };
}

/** An anomaly finding as the GraphQL `AnomalyEvent` type. */
export function toAnomalyEvent(finding: AnomalyFinding): AnomalyEvent {
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
export function toMetric(point: SeriesPoint, resourceId: string, metric: string): Metric {
  return { resourceId, metric, timestamp: point.timestamp, value: point.value };
}

/** A remediation result as the GraphQL `RemediationResult` type. */
export function toRemediationResult(result: RemediationResult): GraphQLRemediationResult {
  return { ...result, resourceId: result.resource, action: result.action ?? null, reason: result.reason ?? null };
}

/** A history record as the GraphQL `RemediationRecord` type. */
export function toRemediationRecord(record: HistoryRecord): RemediationRecord {
  return { ...record, resourceId: record.resource, outcome: record.outcome ?? null };
}

/** Removes `null` fields (GraphQL's "not given") so zod's optional fields and defaults apply. */
export function withoutNulls<T extends object>(value: T): { [K in keyof T]?: NonNullable<T[K]> } {
  const result: { [K in keyof T]?: NonNullable<T[K]> } = {};
  for (const key in value) {
    const field = value[key];
    if (Object.hasOwn(value, key) && field !== null && field !== undefined) result[key] = field;
  }
  return result;
}
