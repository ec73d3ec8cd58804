import { z } from 'zod';
import { IdSchema } from '../schemas/common.js';

/** One metric to watch: which series, its limit, and which side of it is bad. */
export const ForecastTargetSchema = z.object({
  /** Metric name, e.g. `disk_used_bytes`. */
  metric: IdSchema,
  /** One resource; omit to watch this metric on every resource that reports it. */
  resource: IdSchema.optional(),
  /** The limit, in the metric's unit. */
  threshold: z.number().finite(),
  /** `above`: exhausted when rising to the threshold (used space); `below`: when falling to it (free space). @default 'above' */
  direction: z.enum(['above', 'below']).default('above'),
  /** The metric is never negative; negative samples are reported as bad input. @default true */
  nonNegative: z.boolean().default(true),
});
export type ForecastTargetInput = z.input<typeof ForecastTargetSchema>;
export type ForecastTarget = z.output<typeof ForecastTargetSchema>;

/** Options of `CapacityForecaster`. */
export const CapacityForecasterOptionsSchema = z.object({
  /** Analyzer name (unique per engine). @default 'capacity-forecaster' */
  name: z.string().min(1).default('capacity-forecaster'),
  /** The metrics to forecast and their thresholds. @default [] */
  targets: z.array(ForecastTargetSchema).default([]),
  /** Forecast horizon in steps. @default 48 */
  horizon: z.number().int().positive().max(10_000).default(48),
  /** Prediction interval level. @default 0.95 */
  level: z.number().gt(0).lt(1).default(0.95),
  /** Seasonal periods in steps, e.g. `[24, 168]` for hourly samples. @default [] */
  seasonLengths: z.array(z.number().int().min(2)).default([]),
  /** Sampling interval of the series in ms. @default the median gap between stored points */
  stepMs: z.number().positive().optional(),
  /** A finding is published when the pessimistic exhaustion time is within this many ms of the last sample. @default the whole horizon */
  warningWindowMs: z.number().positive().optional(),
  /** How often the engine re-forecasts, in ms. @default 300000 (5 minutes) */
  tickIntervalMs: z.number().int().positive().default(300_000),
  /** Most recent points read per series. @default 2000 */
  historyLimit: z.number().int().min(3).default(2000),
  /** A series with a published finding is not reported again for this long unless its severity rises, in ms. @default 3600000 */
  renotifyMs: z.number().nonnegative().default(3_600_000),
  /** Candidate methods; see `forecastSeries`. @default every built-in method that needs no WebAssembly */
  methods: z.array(z.string().min(1)).min(1).optional(),
  /** `select`, `ensemble` or one method name; see `forecastSeries`. @default 'select' */
  strategy: z.string().min(1).default('select'),
});
export type CapacityForecasterOptionsInput = z.input<typeof CapacityForecasterOptionsSchema>;
export type CapacityForecasterOptions = z.output<typeof CapacityForecasterOptionsSchema>;
