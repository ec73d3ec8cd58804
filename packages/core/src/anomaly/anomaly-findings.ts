import type { AnomalyFinding } from '../schemas/finding.js';
import type { MetricSample } from '../schemas/records.js';
import { anomalySeverity } from './anomaly-severity.js';
import type { ResourceScore } from './resource-combiner.js';

/** An anomaly finding before the engine assigns `id` and `analyzer`. */
export type AnomalyFindingDraft = Omit<AnomalyFinding, 'id' | 'analyzer'>;

/** The finding for one anomalous sample of one series (univariate mode). */
export function seriesAnomalyFinding(
  record: MetricSample,
  seriesKey: string,
  score: number,
  expected: number | undefined,
): AnomalyFindingDraft {
  const hasExpected = expected !== undefined && Number.isFinite(expected);
  const around = hasExpected ? ` (expected about ${Number(expected.toPrecision(4))})` : '';
  return {
    kind: 'anomaly',
    resource: record.resource,
    series: seriesKey,
    timestamp: record.timestamp,
    severity: anomalySeverity(score),
    score,
    summary: `${record.metric} of ${record.resource} is unusual: ${Number(record.value.toPrecision(6))}${around}`,
    value: record.value,
    ...(hasExpected ? { expected } : {}),
  };
}

/** The resource-level finding of multivariate mode, listing at most `maxContributors` metrics. */
export function resourceAnomalyFinding(
  resource: string,
  timestamp: number,
  combined: ResourceScore,
  maxContributors: number,
): AnomalyFindingDraft {
  const contributors = combined.contributors
    .slice(0, maxContributors)
    .map(({ metric, score, value }) => ({ metric, score, value }));
  return {
    kind: 'anomaly',
    resource,
    timestamp,
    severity: anomalySeverity(combined.score),
    score: combined.score,
    summary: `${resource} is behaving unusually (score ${combined.score.toFixed(2)}); most unusual: ${contributors.map((entry) => entry.metric).join(', ')}`,
    contributors,
  };
}
