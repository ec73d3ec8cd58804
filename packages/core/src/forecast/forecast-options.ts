import { z } from 'zod';

/** Names of the built-in methods (see `builtInMethods()`), plus `ensemble` (median of the best three). */
export const ForecastMethodNameSchema = z.string().min(1);

/** Options of `forecastSeries`. */
export const ForecastOptionsSchema = z.object({
  /** Steps to forecast. */
  horizon: z.number().int().positive().max(100_000),
  /** Prediction interval level in (0, 1). @default 0.95 */
  level: z.number().gt(0).lt(1).default(0.95),
  /**
   * Seasonal periods in steps, most important first, e.g. `[24, 168]` for hourly samples (day, week),
   * `[7]` for daily. Periods longer than a third of the history are ignored by the methods. @default []
   */
  seasonLengths: z.array(z.number().int().min(2).max(100_000)).default([]),
  /**
   * Candidate methods, preferred first (names from `builtInMethods()`, e.g. `autoregression`,
   * `seasonal-naive-24`, `theta`, `mstl-ets`). @default every built-in method that needs no WebAssembly, `autoregression` first
   */
  methods: z.array(ForecastMethodNameSchema).min(1).optional(),
  /**
   * How to pick among candidates, judged on a holdout of the last `validationLength` points:
   * `select` uses the single best (see `switchRatio`), `ensemble` the median of the best three, or name one
   * method to use it (its holdout errors still calibrate the intervals). @default 'select'
   */
  strategy: z.string().min(1).default('select'),
  /** Consecutive holdout windows the validation error is averaged over (fewer when the history is short). @default 2 */
  validationOrigins: z.number().int().min(1).max(10).default(2),
  /**
   * `select` keeps the first candidate that can run (with the default order, `autoregression`) unless
   * another method's validation error is below this fraction of its error. 1 = plain best-on-validation. @default 0.6
   */
  switchRatio: z.number().gt(0).max(1).default(0.6),
  /**
   * Holdout windows the chosen method's prediction intervals are calibrated on (at least the
   * `validationOrigins` already scored; fewer when the history is short). @default 4
   */
  intervalOrigins: z.number().int().min(1).max(20).default(4),
  /**
   * Blends the seasonal naive method's interval (first season, same holdout windows) into the chosen
   * method's, bound by bound, with weight min(0.7, intervalBlend × the chosen method's holdout MAE / the
   * seasonal naive's): where the two forecasts disagree the interval leans and widens towards that
   * alternative, the more so the less the chosen method beat it. 0 turns blending off. Applies to a single
   * chosen method (not `ensemble`) when `seasonLengths` is set. Chosen on M4 Hourly's development origin:
   * MSIS 7.09 → 6.57 on the validation origin (coverage 94.7%). @default 0.4
   */
  intervalBlend: z.number().min(0).max(10).default(0.4),
  /** Holdout length for model selection and interval calibration. @default min(horizon, a quarter of the history) */
  validationLength: z.number().int().positive().optional(),
  /** The metric cannot be negative (disk, memory, request rate, spend): negative input is rejected and forecasts are floored at 0. @default false */
  nonNegative: z.boolean().default(false),
  /** A limit to compare the forecast with; enables `exhaustion` in the result. */
  threshold: z.number().finite().optional(),
  /** Whether exhaustion means rising `above` the threshold (disk used) or falling `below` it (free space). @default 'above' */
  direction: z.enum(['above', 'below']).default('above'),
});
export type ForecastOptionsInput = z.input<typeof ForecastOptionsSchema>;
export type ForecastOptions = z.output<typeof ForecastOptionsSchema>;

/** When the forecast crosses the threshold. Steps count from the last observation (step 1 = the first forecast). */
export interface Exhaustion {
  /** The threshold compared with. */
  threshold: number;
  direction: 'above' | 'below';
  /** Step (fractional, linearly interpolated) at which the point forecast crosses; undefined when it does not within the horizon. 0 = already crossed. */
  step: number | undefined;
  /** Step at which the pessimistic bound (upper for `above`, lower for `below`) crosses; never later than `step`. */
  boundStep: number | undefined;
}

/** The validation score of one candidate method. */
export interface CandidateScore {
  method: string;
  /** Mean absolute error on the holdout (in the series' units); Infinity when the method failed. */
  error: number;
}

/** What `forecastSeries` returns. Arrays have `horizon` entries, all finite. */
export interface ForecastResult {
  point: number[];
  lower: number[];
  upper: number[];
  /** Interval level of `lower`/`upper`. */
  level: number;
  /** Chosen method (`ensemble(a,b,c)` for an ensemble, `constant` or `naive` for fallbacks). */
  method: string;
  /** Validation scores, best first (empty when no validation ran). */
  candidates: CandidateScore[];
  /** Present when a threshold was given. */
  exhaustion?: Exhaustion;
  /** Fallbacks and repairs applied to the input, e.g. `interpolated 3 missing values`. */
  notes: string[];
}
