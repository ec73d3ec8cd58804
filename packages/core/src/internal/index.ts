/**
 * Building blocks of core that other `@iac-dharma` packages (and advanced users) reuse, kept off the root
 * export so the main API stays small: retry and backoff, the statistics and optimisation algorithms behind
 * the analyzers, and the remediator's internals. Import from `@iac-dharma/core/internal`. These names may
 * change in any 0.x release.
 *
 * @module internal
 */

// Retry with backoff (the one retry rule of the SDK)
export {
  BackoffOptionsSchema,
  backoffDelay,
  parseRetryAfter,
  retry,
  type BackoffOptionsInput,
  type ResolvedBackoffOptions,
  type RetryDecision,
  type RetryHelperOptions,
} from '../util/retry.js';

// Numerics
export { choleskyFactor, solveLower, solveUpper } from '../util/cholesky.js';
export { erfc, normalTail } from '../anomaly/tail-probability.js';

// Anomaly detection internals
export { ResourceCombiner } from '../anomaly/resource-combiner.js';

// Optimisation internals
export { candidateGrid } from '../optimization/candidate-grid.js';
export {
  DecayingHistogram,
  type DecayingHistogramOptions,
  type DecayingHistogramState,
} from '../optimization/decaying-histogram.js';
export { expectedImprovement, normalCdf, normalDensity } from '../optimization/expected-improvement.js';
export {
  GaussianProcess,
  fitBestGaussianProcess,
  type GaussianProcessHyperparameters,
  type GaussianProcessPrediction,
} from '../optimization/gaussian-process.js';

// Remediation internals
export { canonicalJson } from '../remediation/canonical-json.js';
export { CircuitBreaker, type CircuitState } from '../remediation/circuit-breaker.js';
export { HistoryChain } from '../remediation/history-chain.js';
export { PluginRegistry, actionKey } from '../remediation/plugin-registry.js';
export { ThompsonSamplingLearner } from '../remediation/thompson-sampling-learner.js';
export { incidentSignature } from '../remediation/remediation-policy.js';
