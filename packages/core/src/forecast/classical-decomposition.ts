import { autocorrelation } from './series-math.js';

/**
 * The M4 seasonality test: the autocorrelation at lag `period` is significant at the 90% level
 * (|acf| > 1.645·sqrt((1 + 2·Σ_{k<period} acf_k²) / n)). Needs at least 3 full periods.
 */
export function isSeasonal(values: ArrayLike<number>, period: number): boolean {
  const n = values.length;
  if (period < 2 || n < 3 * period) return false;
  let sumSquares = 0;
  for (let lag = 1; lag < period; lag++) sumSquares += autocorrelation(values, lag) ** 2;
  const limit = 1.645 * Math.sqrt((1 + 2 * sumSquares) / n);
  return Math.abs(autocorrelation(values, period)) > limit;
}

/**
 * Seasonal indices of a classical multiplicative decomposition (R's `decompose(type = "multiplicative")`):
 * centred moving average of order `period`, ratios averaged per phase, normalised to mean 1.
 * Returns `period` indices; index `i` belongs to positions `t` with `t % period === i`.
 * Series with non-positive values should use {@link additiveSeasonalIndices}.
 */
export function multiplicativeSeasonalIndices(values: ArrayLike<number>, period: number): number[] {
  const ratios = phaseAverages(values, period, (value, trend) => value / trend);
  const average = ratios.reduce((sum, value) => sum + value, 0) / period;
  return ratios.map((value) => (average > 0 && Number.isFinite(value / average) && value > 0 ? value / average : 1));
}

/** Seasonal offsets of a classical additive decomposition, centred to sum 0. */
export function additiveSeasonalIndices(values: ArrayLike<number>, period: number): number[] {
  const offsets = phaseAverages(values, period, (value, trend) => value - trend);
  const average = offsets.reduce((sum, value) => sum + value, 0) / period;
  return offsets.map((value) => value - average);
}

function phaseAverages(
  values: ArrayLike<number>,
  period: number,
  detrend: (value: number, trend: number) => number,
): number[] {
  const n = values.length;
  const sums = new Array<number>(period).fill(0);
  const counts = new Array<number>(period).fill(0);
  const half = Math.floor(period / 2);
  const even = period % 2 === 0;
  // Running window sum for the centred moving average (2×m MA for even m).
  for (let t = half; t < n - half; t++) {
    let trend: number;
    if (even) {
      let sum = 0.5 * values[t - half]! + 0.5 * values[t + half]!;
      for (let k = t - half + 1; k < t + half; k++) sum += values[k]!;
      trend = sum / period;
    } else {
      let sum = 0;
      for (let k = t - half; k <= t + half; k++) sum += values[k]!;
      trend = sum / period;
    }
    const ratio = detrend(values[t]!, trend);
    if (!Number.isFinite(ratio)) continue;
    sums[t % period]! += ratio;
    counts[t % period]!++;
  }
  return sums.map((sum, phase) => (counts[phase]! > 0 ? sum / counts[phase]! : 0));
}
