import { normalQuantile } from './series-math.js';

/**
 * Prediction intervals around `point` at `level`, calibrated on the method's own holdout errors
 * (`errors[origin][h-1]` = actual − forecast at step h, for each validation origin). Assuming the error variance grows linearly with the
 * step, σ² = mean over origins and steps of e_h² / h and the half-width at step h is z·σ·√h, so intervals widen with the horizon
 * and always contain the point forecast. Without holdout errors the fallback scale is `fallbackScale`
 * (e.g. the standard deviation of one-step changes).
 */
export function predictionIntervals(options: {
  point: readonly number[];
  errors: ReadonlyArray<readonly number[]>;
  level: number;
  fallbackScale: number;
}): { lower: number[]; upper: number[] } {
  const { point, errors, level } = options;
  let scale = options.fallbackScale;
  let sum = 0;
  let count = 0;
  for (const originErrors of errors) {
    originErrors.forEach((error, index) => (sum += (error * error) / (index + 1)));
    count += originErrors.length;
  }
  if (count > 0) scale = Math.sqrt(sum / count);
  if (!Number.isFinite(scale)) scale = 0;
  const z = normalQuantile(0.5 + level / 2);
  const lower = point.map((value, index) => value - z * scale * Math.sqrt(index + 1));
  const upper = point.map((value, index) => value + z * scale * Math.sqrt(index + 1));
  return { lower, upper };
}
