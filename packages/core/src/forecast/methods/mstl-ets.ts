import type { ForecastMethod } from '../forecast-method.js';

/**
 * MSTL decomposition over the configured seasons with an AutoETS model of the trend, from `@bsull/augurs`
 * (WebAssembly). Needs the augurs runtime in the method context; skipped when it is not loaded.
 * About 60 ms per fit for 900 hourly points with periods [24, 168] on a 2-core machine, so it is not in
 * the default candidate set: name it in `methods` to use it.
 */
export function mstlEts(): ForecastMethod {
  return {
    name: 'mstl-ets',
    requiresWasm: true,
    supports: (length, context) => context.augurs !== undefined && length >= 2 * Math.max(2, ...context.seasonLengths),
    forecast(values, horizon, context) {
      const model = context.augurs!.mstl.MSTL.ets([...context.seasonLengths]);
      try {
        model.fit(Float64Array.from(values));
        return model.predict(horizon).point;
      } finally {
        model.free();
      }
    },
  };
}
