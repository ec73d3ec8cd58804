export { candidateGrid } from './candidate-grid.js';
export { ALLOCATION_LABELS, allocationFromResource, computeRecommendation } from './compute-recommendation.js';
export { DecayingHistogram, type DecayingHistogramOptions, type DecayingHistogramState } from './decaying-histogram.js';
export { expectedImprovement, normalCdf, normalDensity } from './expected-improvement.js';
export {
  GaussianProcess,
  fitBestGaussianProcess,
  type GaussianProcessHyperparameters,
  type GaussianProcessPrediction,
} from './gaussian-process.js';
export { PerformanceOptimizer, type TuningObservation } from './performance-optimizer.js';
export {
  KnobSchema,
  PerformanceOptimizerOptionsSchema,
  type Knob,
  type KnobConfiguration,
  type KnobInput,
  type PerformanceOptimizerOptions,
  type PerformanceOptimizerOptionsInput,
  type TuningSuggestion,
  type TuningSuggestionReason,
} from './performance-optimizer-options.js';
export { ResourceOptimizer, type ResourceOptimizerStats } from './resource-optimizer.js';
export {
  ResourceAllocationSchema,
  ResourceOptimizerOptionsSchema,
  type Recommendation,
  type RecommendedAmount,
  type ResourceAllocation,
  type ResourceAllocationInput,
  type ResourceOptimizerOptions,
  type ResourceOptimizerOptionsInput,
} from './resource-optimizer-options.js';
export { rightsizingFinding } from './rightsizing-finding.js';
export { createSimulatedService, type SimulatedService, type SimulatedServiceOptions } from './simulated-service.js';
export {
  WorkloadUsage,
  type OomRecord,
  type WorkloadUsageSettings,
  type WorkloadUsageState,
} from './workload-usage.js';
export { insight, type InsightFindingInput } from './insight-finding-input.js';
