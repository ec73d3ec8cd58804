import type { WindowStatistic } from '../card/model-card-schema.js';

/**
 * One window statistic of a column `values[0..L-1]` (oldest first), in float64 like training:
 * `last`, `first`, `mean` (sum/L), `slope` (least-squares slope over the index 0..L-1:
 * Σ(i-ī)(x_i-x̄) / Σ(i-ī)²), `min`, `max`, `std` (population, ddof 0).
 */
export function windowStatistic(statistic: WindowStatistic, values: ArrayLike<number>): number {
  const length = values.length;
  switch (statistic) {
    case 'last':
      return values[length - 1]!;
    case 'first':
      return values[0]!;
    case 'mean':
      return mean(values);
    case 'min': {
      let min = Infinity;
      for (let index = 0; index < length; index++) min = Math.min(min, values[index]!);
      return min;
    }
    case 'max': {
      let max = -Infinity;
      for (let index = 0; index < length; index++) max = Math.max(max, values[index]!);
      return max;
    }
    case 'slope': {
      if (length < 2) return 0;
      const average = mean(values);
      const centre = (length - 1) / 2;
      let numerator = 0;
      let denominator = 0;
      for (let index = 0; index < length; index++) {
        const offset = index - centre;
        numerator += offset * (values[index]! - average);
        denominator += offset * offset;
      }
      return numerator / denominator;
    }
    case 'std': {
      const average = mean(values);
      let sum = 0;
      for (let index = 0; index < length; index++) sum += (values[index]! - average) ** 2;
      return Math.sqrt(sum / length);
    }
  }
}

function mean(values: ArrayLike<number>): number {
  let sum = 0;
  for (let index = 0; index < values.length; index++) sum += values[index]!;
  return sum / values.length;
}
