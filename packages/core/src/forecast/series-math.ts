/** Small numeric helpers shared by the forecasting methods (pure TypeScript, no allocation-heavy work). */

/** Arithmetic mean; 0 for an empty input. */
export function mean(values: ArrayLike<number>, from = 0, to = values.length): number {
  if (to <= from) return 0;
  let sum = 0;
  for (let index = from; index < to; index++) sum += values[index]!;
  return sum / (to - from);
}

/** Median of a copy of `values`; 0 for an empty input. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9).
 * `probability` must be in (0, 1).
 */
export function normalQuantile(probability: number): number {
  const a = [
    -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
    2.506628277459239,
  ];
  const b = [
    -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
  ];
  const c = [
    -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (probability < low) {
    const q = Math.sqrt(-2 * Math.log(probability));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (probability > 1 - low) return -normalQuantile(1 - probability);
  const q = probability - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Autocorrelation of `values` at `lag` (biased estimator, as in R's `acf`). */
export function autocorrelation(values: ArrayLike<number>, lag: number): number {
  const n = values.length;
  const average = mean(values);
  let numerator = 0;
  let denominator = 0;
  for (let index = 0; index < n; index++) {
    const deviation = values[index]! - average;
    denominator += deviation * deviation;
    if (index >= lag) numerator += deviation * (values[index - lag]! - average);
  }
  return denominator === 0 ? 0 : numerator / denominator;
}

/** Least-squares line through `values` against time 0..n-1: `{ intercept, slope }`. */
export function linearTrend(values: ArrayLike<number>): { intercept: number; slope: number } {
  const n = values.length;
  if (n < 2) return { intercept: n === 1 ? values[0]! : 0, slope: 0 };
  const timeMean = (n - 1) / 2;
  const valueMean = mean(values);
  let covariance = 0;
  let variance = 0;
  for (let index = 0; index < n; index++) {
    covariance += (index - timeMean) * (values[index]! - valueMean);
    variance += (index - timeMean) * (index - timeMean);
  }
  const slope = covariance / variance;
  return { intercept: valueMean - slope * timeMean, slope };
}

/** True when every value is finite. */
export function allFinite(values: ArrayLike<number>): boolean {
  for (let index = 0; index < values.length; index++) if (!Number.isFinite(values[index]!)) return false;
  return true;
}
