import type { ForecastMethod } from '../forecast-method.js';

/** Random walk with drift: the last value plus the average step of the history, ŷ(t+h) = y(t) + h·(y(t) − y(1))/(t − 1). */
export function drift(): ForecastMethod {
  return {
    name: 'drift',
    supports: (length) => length >= 2,
    forecast(values, horizon) {
      const n = values.length;
      const last = values[n - 1]!;
      const slope = (last - values[0]!) / (n - 1);
      return Array.from({ length: horizon }, (_, step) => last + (step + 1) * slope);
    },
  };
}
