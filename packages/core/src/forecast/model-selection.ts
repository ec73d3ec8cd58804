import type { ForecastMethod, ForecastMethodContext } from './forecast-method.js';
import type { CandidateScore } from './forecast-options.js';
import { allFinite } from './series-math.js';

/** A candidate's holdout forecast errors (actual − forecast): one array per origin, most recent first, per step. */
export interface ScoredCandidate extends CandidateScore {
  errors: number[][];
}

/**
 * Scores each method on the series' own recent history: fit on all but the last `validationLength`
 * points, forecast them, and measure the mean absolute error (averaged over `origins` consecutive windows). Methods that do not support the shorter
 * history, throw, or return non-finite values score Infinity. Sorted best first.
 */
export function scoreCandidates(options: {
  values: readonly number[];
  methods: readonly ForecastMethod[];
  validationLength: number;
  /** Forecast origins, each `validationLength` before the next; errors are averaged over them. @default 1 */
  origins?: number;
  context: ForecastMethodContext;
}): ScoredCandidate[] {
  const { values, methods, validationLength, context } = options;
  const origins = Math.max(1, Math.min(options.origins ?? 1, Math.floor(values.length / validationLength) - 2));
  const scores = methods.map((method): ScoredCandidate => {
    let total = 0;
    const errors: number[][] = [];
    for (let origin = 0; origin < origins; origin++) {
      const end = values.length - origin * validationLength;
      const train = values.slice(0, end - validationLength);
      const actual = values.slice(end - validationLength, end);
      const forecast = safeForecast(method, train, validationLength, context);
      if (!forecast) return { method: method.name, error: Number.POSITIVE_INFINITY, errors: [] };
      const originErrors = actual.map((value, index) => value - forecast[index]!);
      total += originErrors.reduce((sum, value) => sum + Math.abs(value), 0) / originErrors.length;
      errors.push(originErrors);
    }
    return { method: method.name, error: total / origins, errors };
  });
  return scores.sort((a, b) => a.error - b.error);
}

/**
 * Holdout errors (actual − forecast) of one method at origins `from`…`to − 1` (0 = the last
 * `validationLength` points, 1 = the window before, …), stopping early when the history gets shorter than
 * two windows or the method fails. Used to calibrate prediction intervals on more origins than selection needs.
 */
export function holdoutErrors(
  method: ForecastMethod,
  values: readonly number[],
  validationLength: number,
  from: number,
  to: number,
  context: ForecastMethodContext,
): number[][] {
  const errors: number[][] = [];
  const last = Math.min(to, Math.floor(values.length / validationLength) - 2);
  for (let origin = from; origin < last; origin++) {
    const end = values.length - origin * validationLength;
    const forecast = safeForecast(method, values.slice(0, end - validationLength), validationLength, context);
    if (!forecast) break;
    errors.push(values.slice(end - validationLength, end).map((value, index) => value - forecast[index]!));
  }
  return errors;
}

/** Runs a method, returning undefined when it cannot handle the history or produces non-finite values. */
export function safeForecast(
  method: ForecastMethod,
  values: readonly number[],
  horizon: number,
  context: ForecastMethodContext,
): number[] | undefined {
  if (!method.supports(values.length, context)) return undefined;
  try {
    const forecast = method.forecast(values, horizon, context);
    return forecast.length === horizon && allFinite(forecast) ? forecast : undefined;
  } catch {
    return undefined;
  }
}

/** Element-wise median of several forecasts of equal length. */
export function medianForecast(forecasts: ReadonlyArray<readonly number[]>): number[] {
  const horizon = forecasts[0]?.length ?? 0;
  return Array.from({ length: horizon }, (_, step) => {
    const column = forecasts.map((forecast) => forecast[step]!).sort((a, b) => a - b);
    const middle = column.length >> 1;
    return column.length % 2 === 1 ? column[middle]! : (column[middle - 1]! + column[middle]!) / 2;
  });
}
