import { additiveSeasonalIndices, isSeasonal, multiplicativeSeasonalIndices } from './classical-decomposition.js';

/** Seasonal adjustment for one period: multiplicative indices for positive series, additive offsets otherwise. */
interface SeasonalComponent {
  period: number;
  multiplicative: boolean;
  indices: number[];
}

/**
 * Classical seasonal adjustment over one or more periods (applied in order, each on the series adjusted
 * for the previous ones). Periods that fail the M4 90% autocorrelation test, or lack three full
 * seasons of history, are skipped. Use `adjusted` to fit a non-seasonal method, then `reseasonalize`.
 */
export class Deseasonalizer {
  /** The seasonally adjusted history. */
  readonly adjusted: number[];
  private readonly components: SeasonalComponent[] = [];
  private readonly length: number;

  constructor(values: readonly number[], periods: readonly number[]) {
    this.length = values.length;
    let current = [...values];
    const positive = current.every((value) => value > 0);
    for (const period of periods) {
      if (!isSeasonal(current, period)) continue;
      const multiplicative = positive;
      const indices = multiplicative
        ? multiplicativeSeasonalIndices(current, period)
        : additiveSeasonalIndices(current, period);
      current = current.map((value, t) =>
        multiplicative ? value / indices[t % period]! : value - indices[t % period]!,
      );
      this.components.push({ period, multiplicative, indices });
    }
    this.adjusted = current;
  }

  /** The periods that were found seasonal and removed. */
  get periods(): number[] {
    return this.components.map((component) => component.period);
  }

  /** Puts the seasonality back on forecasts of the adjusted series (step 0 = the first step after the history). */
  reseasonalize(forecast: readonly number[]): number[] {
    return forecast.map((value, step) => {
      let result = value;
      const t = this.length + step;
      for (let index = this.components.length - 1; index >= 0; index--) {
        const component = this.components[index]!;
        const seasonal = component.indices[t % component.period]!;
        result = component.multiplicative ? result * seasonal : result + seasonal;
      }
      return result;
    });
  }
}
