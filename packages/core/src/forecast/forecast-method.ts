import type { AugursRuntime } from './augurs-runtime.js';

/** What a {@link ForecastMethod} is told about the series besides its values. */
export interface ForecastMethodContext {
  /** Seasonal periods in steps, most important first (e.g. `[24, 168]` for hourly data). May be empty. */
  seasonLengths: readonly number[];
  /** The WASM-backed augurs modules, when the host loaded them (methods needing them are skipped otherwise). */
  augurs?: AugursRuntime | undefined;
}

/**
 * One forecasting method. Methods are pure functions of the history: `forecast` fits on `values`
 * (evenly spaced, finite, oldest first) and returns `horizon` point forecasts.
 */
export interface ForecastMethod {
  /** Stable name reported as the finding's `method`, e.g. `seasonal-naive-168`. */
  readonly name: string;
  /** True when the method needs the augurs WASM runtime. */
  readonly requiresWasm?: boolean;
  /** Whether the method can run on a history of `length` points with this context. */
  supports(length: number, context: ForecastMethodContext): boolean;
  /** Point forecasts for the next `horizon` steps. */
  forecast(values: readonly number[], horizon: number, context: ForecastMethodContext): number[];
}
