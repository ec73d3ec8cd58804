import { Deseasonalizer } from '../deseasonalizer.js';
import { fitSimpleExponentialSmoothing } from '../exponential-smoothing.js';
import type { ForecastMethod } from '../forecast-method.js';
import { linearTrend } from '../series-math.js';

/**
 * The Theta method (Assimakopoulos & Nikolopoulos; Hyndman & Billah's SES-with-drift form) on the series
 * seasonally adjusted for every configured period: SES forecast plus half the linear-trend slope.
 */
export function theta(): ForecastMethod {
  return {
    name: 'theta',
    supports: (length) => length >= 4,
    forecast(values, horizon, context) {
      const deseasonalizer = new Deseasonalizer(values, context.seasonLengths);
      const adjusted = deseasonalizer.adjusted;
      const { level, alpha } = fitSimpleExponentialSmoothing(adjusted);
      const { slope } = linearTrend(adjusted);
      const n = adjusted.length;
      const drift = (step: number) => 0.5 * slope * (step - 1 + 1 / alpha - (1 - alpha) ** n / alpha);
      const forecast = Array.from({ length: horizon }, (_, index) => level + drift(index + 1));
      return deseasonalizer.reseasonalize(forecast);
    },
  };
}
