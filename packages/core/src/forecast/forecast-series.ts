import { ValidationError, parseWith } from '../errors/validation-error.js';
import type { AugursRuntime } from './augurs-runtime.js';
import { builtInMethods, defaultMethodNames } from './built-in-methods.js';
import { findExhaustion } from './exhaustion.js';
import type { ForecastMethod, ForecastMethodContext } from './forecast-method.js';
import {
  ForecastOptionsSchema,
  type ForecastOptions,
  type ForecastOptionsInput,
  type ForecastResult,
} from './forecast-options.js';
import {
  holdoutErrors,
  medianForecast,
  safeForecast,
  scoreCandidates,
  type ScoredCandidate,
} from './model-selection.js';
import { BLENDED_INTERVAL_CALIBRATION, blendIntervals, predictionIntervals } from './prediction-intervals.js';
import { prepareSeries } from './prepare-series.js';

/** Extra dependencies of {@link forecastSeries}. */
export interface ForecastDependencies {
  /** The loaded augurs WebAssembly modules; needed only for `mstl-ets`. */
  augurs?: AugursRuntime | undefined;
  /** Methods of your own, offered alongside the built-in ones (by name). */
  extraMethods?: readonly ForecastMethod[];
}

/** How many of the best candidates the `ensemble` strategy combines. */
const ENSEMBLE_SIZE = 3;
/** Largest weight of the seasonal naive interval in a blend (see `intervalBlend`). */
const MAX_BLEND_WEIGHT = 0.7;
/** Histories shorter than this skip validation and use the naive fallback. */
const MINIMUM_FOR_SELECTION = 8;

/**
 * Forecasts one evenly spaced series (oldest first; `null` = a gap) `horizon` steps ahead with
 * prediction intervals, choosing the method by out-of-sample error on the series' own recent history.
 *
 * Fallbacks (reported in `notes`): a constant history forecasts that constant with zero-width intervals;
 * a history shorter than 8 points uses the naive method. Throws `ValidationError` (bad options or values,
 * negatives for a `nonNegative` metric) and `InsufficientDataError` (fewer than 3 observed values).
 * The result never contains NaN or Infinity.
 */
export function forecastSeries(
  values: readonly (number | null)[],
  optionsInput: ForecastOptionsInput,
  dependencies: ForecastDependencies = {},
): ForecastResult {
  const options = parseWith(ForecastOptionsSchema, optionsInput, 'forecast options');
  const { values: history, notes } = prepareSeries(values, { nonNegative: options.nonNegative });
  const { horizon, level } = options;
  const context: ForecastMethodContext = { seasonLengths: options.seasonLengths, augurs: dependencies.augurs };
  const available = builtInMethods(options.seasonLengths);
  for (const method of dependencies.extraMethods ?? []) available.set(method.name, method);
  const last = history[history.length - 1]!;

  let point: number[];
  let method: string;
  let errors: number[][] = [];
  let candidates: ScoredCandidate[] = [];
  /** The seasonal naive forecast and its holdout errors, when its interval is blended in (see `intervalBlend`). */
  let seasonal: { point: number[]; errors: number[][] } | undefined;
  const fallbackScale = oneStepScale(history);

  if (history.every((value) => value === history[0])) {
    point = new Array<number>(horizon).fill(last);
    method = 'constant';
    notes.push('constant history: forecasting the constant');
  } else if (history.length < MINIMUM_FOR_SELECTION) {
    point = new Array<number>(horizon).fill(last);
    method = 'naive';
    notes.push(`only ${history.length} values: used the naive forecast without model selection`);
  } else {
    const names =
      options.strategy === 'select' || options.strategy === 'ensemble'
        ? (options.methods ?? defaultMethodNames(options.seasonLengths))
        : [options.strategy];
    const methods = names.map((name, index) => {
      const found = available.get(name);
      if (!found) {
        const field = options.strategy === name ? 'strategy' : `methods.${index}`;
        throw new ValidationError(
          `Invalid forecast options.${field}: unknown method "${name}". Allowed: ${[...available.keys(), 'select', 'ensemble'].join(', ')}.`,
          [{ path: field, message: `unknown method "${name}"`, code: 'invalid_value' }],
        );
      }
      return found;
    });
    const validationLength = Math.max(1, Math.min(options.validationLength ?? horizon, Math.floor(history.length / 4)));
    candidates = scoreCandidates({
      values: history,
      methods,
      validationLength,
      origins: options.validationOrigins,
      context,
    });
    let usable = candidates.filter((candidate) => Number.isFinite(candidate.error));
    // The first usable candidate in the caller's order is preferred: a noisy holdout should only move
    // us off it when another method is clearly better (error below switchRatio × its error).
    const preferred = methods
      .map((method) => usable.find((candidate) => candidate.method === method.name))
      .find((candidate) => candidate !== undefined);
    if (preferred && options.strategy === 'select' && usable[0]!.error >= options.switchRatio * preferred.error) {
      usable = [preferred, ...usable.filter((candidate) => candidate !== preferred)];
    }
    const chosen = options.strategy === 'ensemble' ? usable.slice(0, ENSEMBLE_SIZE) : usable.slice(0, 1);
    const forecasts = chosen
      .map((candidate) => ({
        candidate,
        forecast: safeForecast(available.get(candidate.method)!, history, horizon, context),
      }))
      .filter((entry): entry is { candidate: ScoredCandidate; forecast: number[] } => entry.forecast !== undefined);
    if (forecasts.length === 0) {
      point = new Array<number>(horizon).fill(last);
      method = 'naive';
      notes.push('no candidate method could forecast this history: used the naive forecast');
    } else if (forecasts.length === 1) {
      point = forecasts[0]!.forecast;
      method = forecasts[0]!.candidate.method;
      errors = forecasts[0]!.candidate.errors;
      // Intervals are calibrated on more holdout windows than selection needs (the chosen method only).
      if (errors.length > 0 && errors.length < options.intervalOrigins) {
        errors = [
          ...errors,
          ...holdoutErrors(
            available.get(method)!,
            history,
            validationLength,
            errors.length,
            options.intervalOrigins,
            context,
          ),
        ];
      }
      seasonal = seasonalComponent(options, method, errors, available, history, validationLength, context);
    } else {
      point = medianForecast(forecasts.map((entry) => entry.forecast));
      method = `ensemble(${forecasts.map((entry) => entry.candidate.method).join(',')})`;
      errors = forecasts[0]!.candidate.errors.map((_, origin) =>
        medianForecast(forecasts.map((entry) => entry.candidate.errors[origin]!)),
      );
    }
  }

  if (!point.every(Number.isFinite)) {
    point = new Array<number>(horizon).fill(last);
    method = 'naive';
    notes.push('the chosen forecast overflowed: used the naive forecast');
  }
  const period = options.seasonLengths[0];
  let { lower, upper } = predictionIntervals({
    point,
    errors,
    level,
    fallbackScale: method === 'constant' ? 0 : fallbackScale,
    period,
    calibration: seasonal ? BLENDED_INTERVAL_CALIBRATION : undefined,
  });
  if (seasonal) {
    const alternative = predictionIntervals({
      point: seasonal.point,
      errors: seasonal.errors,
      level,
      fallbackScale,
      period,
      calibration: BLENDED_INTERVAL_CALIBRATION,
    });
    // The worse the chosen method did on the holdouts relative to the seasonal naive, the more the latter counts.
    const weight = Math.min(
      MAX_BLEND_WEIGHT,
      options.intervalBlend * (meanAbsolute(errors) / meanAbsolute(seasonal.errors)),
    );
    if (Number.isFinite(weight) && weight > 0)
      ({ lower, upper } = blendIntervals({ lower, upper }, alternative, weight));
    // The interval still contains the point forecast.
    lower = lower.map((value, index) => Math.min(value, point[index]!));
    upper = upper.map((value, index) => Math.max(value, point[index]!));
  }
  // Interval arithmetic can overflow on extreme magnitudes; never hand out NaN or Infinity.
  lower = lower.map((value, index) => (Number.isFinite(value) ? value : point[index]!));
  upper = upper.map((value, index) => (Number.isFinite(value) ? value : point[index]!));
  if (options.nonNegative) {
    point = point.map((value) => Math.max(0, value));
    lower = lower.map((value) => Math.max(0, value));
    upper = upper.map((value) => Math.max(0, value));
  }
  const result: ForecastResult = {
    point,
    lower,
    upper,
    level,
    method,
    candidates: candidates.map(({ method: name, error }) => ({ method: name, error })),
    notes,
  };
  if (options.threshold !== undefined) {
    result.exhaustion = findExhaustion({
      last,
      point,
      bound: options.direction === 'above' ? upper : lower,
      threshold: options.threshold,
      direction: options.direction,
    });
  }
  return result;
}

/**
 * The seasonal naive method of the first season (its forecast and holdout errors on the same windows as
 * the chosen method's), whose interval is blended into the chosen method's; undefined when blending is
 * off, there is no season, the chosen method is that seasonal naive, or it cannot run on this history.
 */
function seasonalComponent(
  options: ForecastOptions,
  method: string,
  errors: readonly number[][],
  available: ReadonlyMap<string, ForecastMethod>,
  history: readonly number[],
  validationLength: number,
  context: ForecastMethodContext,
): { point: number[]; errors: number[][] } | undefined {
  const period = options.seasonLengths[0];
  if (
    options.intervalBlend === 0 ||
    period === undefined ||
    errors.length === 0 ||
    method === `seasonal-naive-${period}`
  )
    return undefined;
  const seasonalNaive = available.get(`seasonal-naive-${period}`);
  if (!seasonalNaive) return undefined;
  const point = safeForecast(seasonalNaive, history, options.horizon, context);
  const seasonalErrors = holdoutErrors(seasonalNaive, history, validationLength, 0, options.intervalOrigins, context);
  return point && seasonalErrors.length > 0 ? { point, errors: seasonalErrors } : undefined;
}

/** Mean absolute value of holdout errors (NaN when there are none). */
function meanAbsolute(errors: readonly number[][]): number {
  let sum = 0;
  let count = 0;
  for (const originErrors of errors) {
    for (const error of originErrors) sum += Math.abs(error);
    count += originErrors.length;
  }
  return sum / count;
}

/** Standard deviation of one-step changes: the interval scale when no holdout errors exist. */
function oneStepScale(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const changes = values.slice(1).map((value, index) => value - values[index]!);
  const average = changes.reduce((sum, value) => sum + value, 0) / changes.length;
  return Math.sqrt(changes.reduce((sum, value) => sum + (value - average) ** 2, 0) / (changes.length - 1));
}
