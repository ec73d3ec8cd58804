import type { ForecastMethod } from './forecast-method.js';
import { autoregression } from './methods/autoregression.js';
import { dampedHolt } from './methods/damped-holt.js';
import { drift } from './methods/drift.js';
import { mstlEts } from './methods/mstl-ets.js';
import { naive2 } from './methods/naive2.js';
import { seasonalNaive } from './methods/seasonal-naive.js';
import { theta } from './methods/theta.js';

/**
 * Every built-in method for these seasons, keyed by name, in preference order: `autoregression`, `naive`,
 * `drift`, `naive2`, `theta`, `damped-holt`, `seasonal-naive-<m>` per season, and `mstl-ets` (WebAssembly).
 */
export function builtInMethods(seasonLengths: readonly number[]): Map<string, ForecastMethod> {
  const methods: ForecastMethod[] = [
    autoregression(),
    seasonalNaive(1),
    drift(),
    naive2(),
    theta(),
    dampedHolt(),
    ...seasonLengths.map((period) => seasonalNaive(period)),
    mstlEts(),
  ];
  return new Map(methods.map((method) => [method.name, method]));
}

/** The default candidates, preferred first: every built-in method except the WebAssembly ones and the M4 `naive2` benchmark. */
export function defaultMethodNames(seasonLengths: readonly number[]): string[] {
  return [...builtInMethods(seasonLengths).values()]
    .filter((method) => !method.requiresWasm && method.name !== 'naive2')
    .map((method) => method.name);
}
