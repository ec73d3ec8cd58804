export { budgetStatus, type BudgetStatus } from './budget-status.js';
export { budgetFinding, savingsFinding } from './cost-findings.js';
export { CostPredictor, type CostForecast, type CostPredictorDependencies } from './cost-predictor.js';
export {
  BudgetSchema,
  CostPredictorOptionsSchema,
  CostScopeSchema,
  UnitPricesSchema,
  type Budget,
  type BudgetInput,
  type CostPredictorOptions,
  type CostPredictorOptionsInput,
  type CostScope,
  type UnitPrices,
} from './cost-predictor-options.js';
export { CostSeries, type CostSeriesState } from './cost-series.js';
export { HOURS_PER_MONTH, estimateSavings, type SavingsEstimate, type WorkloadSavings } from './estimate-savings.js';
