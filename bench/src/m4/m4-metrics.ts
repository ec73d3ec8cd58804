/**
 * M4 accuracy measures (Makridakis et al., 2020): sMAPE (in %), MASE (scaled by the in-sample seasonal
 * naive error with the series' frequency, m = 24 for hourly) and OWA relative to Naive2.
 */

/** Symmetric MAPE in percent: 200/h · Σ |y − ŷ| / (|y| + |ŷ|). */
export function smape(actual: readonly number[], forecast: readonly number[]): number {
  let sum = 0;
  for (let index = 0; index < actual.length; index++) {
    const denominator = Math.abs(actual[index]!) + Math.abs(forecast[index]!);
    sum += denominator === 0 ? 0 : Math.abs(actual[index]! - forecast[index]!) / denominator;
  }
  return (200 * sum) / actual.length;
}

/** Mean absolute scaled error: MAE of the forecast over the in-sample MAE of the seasonal naive with period `period`. */
export function mase(
  insample: readonly number[],
  actual: readonly number[],
  forecast: readonly number[],
  period: number,
): number {
  let scale = 0;
  for (let index = period; index < insample.length; index++)
    scale += Math.abs(insample[index]! - insample[index - period]!);
  scale /= insample.length - period;
  let error = 0;
  for (let index = 0; index < actual.length; index++) error += Math.abs(actual[index]! - forecast[index]!);
  return error / actual.length / scale;
}

/** Mean sMAPE and MASE of a method over a set of series. */
export interface Accuracy {
  smape: number;
  mase: number;
}

/** M4 overall weighted average: ½ (sMAPE / sMAPE_Naive2 + MASE / MASE_Naive2), on set-level means. */
export function owa(method: Accuracy, naive2: Accuracy): number {
  return 0.5 * (method.smape / naive2.smape + method.mase / naive2.mase);
}

/** Means sMAPE and MASE over series (each entry one series' insample, actual and forecast). */
export function accuracy(
  series: ReadonlyArray<{ insample: readonly number[]; actual: readonly number[] }>,
  forecasts: ReadonlyArray<readonly number[]>,
  period: number,
): Accuracy {
  let smapeSum = 0;
  let maseSum = 0;
  series.forEach((entry, index) => {
    smapeSum += smape(entry.actual, forecasts[index]!);
    maseSum += mase(entry.insample, entry.actual, forecasts[index]!, period);
  });
  return { smape: smapeSum / series.length, mase: maseSum / series.length };
}

/**
 * Mean scaled interval score (M4): (1/h) Σ [(U − L) + (2/α)(L − y)·1{y < L} + (2/α)(y − U)·1{y > U}],
 * scaled like MASE by the in-sample seasonal naive MAE; α = 1 − level (0.05 for 95% intervals).
 */
export function msis(
  insample: readonly number[],
  actual: readonly number[],
  lower: readonly number[],
  upper: readonly number[],
  period: number,
  alpha = 0.05,
): number {
  let scale = 0;
  for (let index = period; index < insample.length; index++)
    scale += Math.abs(insample[index]! - insample[index - period]!);
  scale /= insample.length - period;
  let score = 0;
  for (let index = 0; index < actual.length; index++) {
    const value = actual[index]!;
    score += upper[index]! - lower[index]!;
    if (value < lower[index]!) score += (2 / alpha) * (lower[index]! - value);
    if (value > upper[index]!) score += (2 / alpha) * (value - upper[index]!);
  }
  return score / actual.length / scale;
}

/** Fraction of actual values inside [lower, upper]. */
export function coverage(actual: readonly number[], lower: readonly number[], upper: readonly number[]): number {
  let inside = 0;
  for (let index = 0; index < actual.length; index++)
    if (actual[index]! >= lower[index]! && actual[index]! <= upper[index]!) inside++;
  return inside / actual.length;
}
