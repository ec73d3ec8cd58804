import type { AugursRuntime } from '../forecast/augurs-runtime.js';
import { forecastSeries } from '../forecast/forecast-series.js';
import type { Budget } from './cost-predictor-options.js';
import type { CostSeries } from './cost-series.js';

/** Where a budget stands: spent so far and forecast for its period. */
export interface BudgetStatus {
  budget: Budget;
  /** `resource:<id>` or `team:<name>`. */
  scope: string;
  periodStart: number;
  periodEnd: number;
  /** Spend recorded within the period so far. */
  spent: number;
  /** Spent + the point forecast of the period's remaining buckets. */
  forecastTotal: number;
  /** Spent + the upper interval bounds of the remaining buckets (pessimistic). */
  forecastUpper: number;
  /** `exceeded`: already over; `forecast`: the point forecast goes over; `at-risk`: only the pessimistic one; `ok`. */
  state: 'exceeded' | 'forecast' | 'at-risk' | 'ok';
  /** Forecast method chosen for the spend series. */
  method: string;
}

/**
 * Forecasts the rest of the budget period from the bucketed spend (core `forecastSeries`, model chosen by
 * holdout error) and compares spent + forecast with the budget. Undefined when the latest spend lies
 * outside every period of a non-recurring budget. Throws `InsufficientDataError` below 3 buckets.
 */
export function budgetStatus(input: {
  budget: Budget;
  scope: string;
  series: CostSeries;
  seasonLengths: number[];
  level: number;
  augurs?: AugursRuntime;
}): BudgetStatus | undefined {
  const { budget, series } = input;
  const last = series.lastBucketStart;
  if (last === undefined) return undefined;
  const index = Math.floor((last - budget.periodStart) / budget.periodMs);
  if (index < 0 || (!budget.recurring && index > 0)) return undefined;
  const periodStart = budget.periodStart + index * budget.periodMs;
  const periodEnd = periodStart + budget.periodMs;
  const spent = series.sum(periodStart, periodEnd);
  const remaining = Math.max(0, Math.ceil((periodEnd - (last + series.stepMs)) / series.stepMs));
  let forecastTotal = spent;
  let forecastUpper = spent;
  let method = 'none';
  if (remaining > 0) {
    const result = forecastSeries(
      series.buckets(),
      { horizon: remaining, level: input.level, seasonLengths: input.seasonLengths, nonNegative: true },
      { augurs: input.augurs },
    );
    forecastTotal += result.point.reduce((sum, value) => sum + value, 0);
    forecastUpper += result.upper.reduce((sum, value) => sum + value, 0);
    method = result.method;
  }
  const state =
    spent > budget.amount
      ? 'exceeded'
      : forecastTotal > budget.amount
        ? 'forecast'
        : forecastUpper > budget.amount
          ? 'at-risk'
          : 'ok';
  return { budget, scope: input.scope, periodStart, periodEnd, spent, forecastTotal, forecastUpper, state, method };
}
