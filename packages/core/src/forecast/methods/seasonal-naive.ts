import type { ForecastMethod } from '../forecast-method.js';

/** Repeats the last full season of `period` steps: ŷ(t+h) = y(t+h−period·k). */
export function seasonalNaive(period: number): ForecastMethod {
  return {
    name: period === 1 ? 'naive' : `seasonal-naive-${period}`,
    supports: (length) => length >= period,
    forecast(values, horizon) {
      const n = values.length;
      const result = new Array<number>(horizon);
      for (let step = 0; step < horizon; step++) result[step] = values[n - period + (step % period)]!;
      return result;
    },
  };
}
