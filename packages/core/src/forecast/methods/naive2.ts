import { Deseasonalizer } from '../deseasonalizer.js';
import type { ForecastMethod } from '../forecast-method.js';

/**
 * The M4 "Naive2" benchmark: naive forecast of the series seasonally adjusted by classical multiplicative
 * decomposition on the primary period (when the 90% autocorrelation test passes), reseasonalised.
 */
export function naive2(): ForecastMethod {
  return {
    name: 'naive2',
    supports: (length) => length >= 1,
    forecast(values, horizon, context) {
      const primary = context.seasonLengths[0];
      const deseasonalizer = new Deseasonalizer(values, primary === undefined ? [] : [primary]);
      const last = deseasonalizer.adjusted[deseasonalizer.adjusted.length - 1]!;
      return deseasonalizer.reseasonalize(new Array<number>(horizon).fill(last));
    },
  };
}
