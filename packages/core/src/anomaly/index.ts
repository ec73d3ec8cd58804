export { AnomalyDetector } from './anomaly-detector.js';
export {
  AnomalyDetectorOptionsSchema,
  type AnomalyDetectorOptions,
  type ResolvedAnomalyDetectorOptions,
} from './anomaly-detector-options.js';
export { anomalySeverity } from './anomaly-severity.js';
export type { DetectorStrategy } from './detector-strategy.js';
export { ensembleStrategy, type EnsembleOptions } from './ensemble-strategy.js';
export type { EnsembleState } from './ensemble-state.js';
export { ResourceCombiner, type MetricContribution, type ResourceScore } from './resource-combiner.js';
export type { AnomalyDetectorStats, SampleOutcome, SkipReason } from './sample-outcome.js';
export { robustZScoreStrategy, type RobustZScoreOptions } from './robust-z-score-strategy.js';
export { zScoreStrategy, type ZScoreOptions } from './z-score-strategy.js';
