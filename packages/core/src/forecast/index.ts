export type { AugursModel, AugursRuntime } from './augurs-runtime.js';
export { builtInMethods, defaultMethodNames } from './built-in-methods.js';
export { CapacityForecaster } from './capacity-forecaster.js';
export {
  CapacityForecasterOptionsSchema,
  ForecastTargetSchema,
  type CapacityForecasterOptions,
  type CapacityForecasterOptionsInput,
  type ForecastTarget,
  type ForecastTargetInput,
} from './capacity-forecaster-options.js';
export { findExhaustion } from './exhaustion.js';
export type { ForecastMethod, ForecastMethodContext } from './forecast-method.js';
export {
  ForecastOptionsSchema,
  type CandidateScore,
  type Exhaustion,
  type ForecastOptions,
  type ForecastOptionsInput,
  type ForecastResult,
} from './forecast-options.js';
export { forecastSeries, type ForecastDependencies } from './forecast-series.js';
export { MINIMUM_HISTORY } from './prepare-series.js';
