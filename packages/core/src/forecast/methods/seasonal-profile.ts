import type { ForecastMethod } from '../forecast-method.js';

/**
 * Average of the last `seasons` seasons at the same phase (a smoothed seasonal naive): less noisy than
 * repeating one season, still following the series' own shape.
 */
export function seasonalProfile(period: number, seasons: number): ForecastMethod {
  return {
    name: `seasonal-mean-${period}x${seasons}`,
    supports: (length) => length >= period * seasons,
    forecast(values, horizon) {
      const n = values.length;
      const result = new Array<number>(horizon);
      for (let step = 0; step < horizon; step++) {
        let sum = 0;
        for (let season = 0; season < seasons; season++) {
          sum += values[n - period * (season + 1) + (step % period)]!;
        }
        result[step] = sum / seasons;
      }
      return result;
    },
  };
}
