import { Deseasonalizer } from '../deseasonalizer.js';
import { fitDampedHolt, forecastDampedHolt } from '../exponential-smoothing.js';
import type { ForecastMethod } from '../forecast-method.js';

/** Holt's damped-trend exponential smoothing on the series seasonally adjusted for every configured period. */
export function dampedHolt(): ForecastMethod {
  return {
    name: 'damped-holt',
    supports: (length) => length >= 4,
    forecast(values, horizon, context) {
      const deseasonalizer = new Deseasonalizer(values, context.seasonLengths);
      return deseasonalizer.reseasonalize(forecastDampedHolt(fitDampedHolt(deseasonalizer.adjusted), horizon));
    },
  };
}
