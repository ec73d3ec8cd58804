import { z } from 'zod';
import { IdSchema, TimestampSchema } from '../schemas/common.js';

/** Unit prices used to turn right-sizing recommendations into money. */
export const UnitPricesSchema = z.object({
  /** Price of one CPU core for one hour. */
  cpuCoreHour: z.number().nonnegative().finite(),
  /** Price of one GiB of memory for one hour. */
  memoryGiBHour: z.number().nonnegative().finite(),
});
export type UnitPrices = z.infer<typeof UnitPricesSchema>;

/** A spending limit for one resource or one team over a period. */
export const BudgetSchema = z
  .object({
    /** The resource whose spend is limited (give this or `team`). */
    resource: IdSchema.optional(),
    /** The team (value of the team label) whose spend is limited. */
    team: IdSchema.optional(),
    /** The limit, in the cost metric's currency. */
    amount: z.number().positive().finite(),
    /** Start of the (first) period. */
    periodStart: TimestampSchema,
    /** Period length in ms. @default 2592000000 (30 days) */
    periodMs: z
      .number()
      .positive()
      .default(30 * 86_400_000),
    /** The budget renews every period (the period holding the latest spend is checked). @default true */
    recurring: z.boolean().default(true),
  })
  .refine((budget) => (budget.resource === undefined) !== (budget.team === undefined), {
    message: 'give exactly one of resource or team',
    path: ['resource'],
  });
export type BudgetInput = z.input<typeof BudgetSchema>;
export type Budget = z.output<typeof BudgetSchema>;

/** Options of `CostPredictor`. */
export const CostPredictorOptionsSchema = z.object({
  /** Analyzer name (unique per engine; the key of its saved state). @default 'cost-predictor' */
  name: z.string().min(1).default('cost-predictor'),
  /** Metric whose samples are spend (currency units accrued since the previous sample, e.g. an hourly bill line). @default 'cost' */
  costMetric: IdSchema.default('cost'),
  /** Label naming the team a resource's spend belongs to. @default 'team' */
  teamLabel: z.string().min(1).default('team'),
  /** Spend is summed into buckets of this length before forecasting, in ms. @default 3600000 (1 h) */
  stepMs: z.number().positive().default(3_600_000),
  /** Currency named in summaries. @default 'USD' */
  currency: z.string().min(1).max(16).default('USD'),
  /** Budgets to check on every tick. @default [] */
  budgets: z.array(BudgetSchema).default([]),
  /** Seasonal periods of the bucketed spend, in steps. @default [24] (daily, for hourly buckets) */
  seasonLengths: z.array(z.number().int().min(2)).default([24]),
  /** Prediction interval level of spend forecasts. @default 0.95 */
  level: z.number().gt(0).lt(1).default(0.95),
  /** Anomaly score (0–1, from the core AnomalyDetector) at which a spend sample is flagged. @default 0.6 */
  anomalyThreshold: z.number().min(0).max(1).default(0.6),
  /** After a cost anomaly for a resource or team, further ones within this many ms are folded into it. @default 21600000 (6 h) */
  anomalyDedupeMs: z.number().nonnegative().default(21_600_000),
  /** Unit prices for savings estimates from a ResourceOptimizer. */
  prices: UnitPricesSchema.optional(),
  /** Savings below this (per 730-hour month) are not reported. @default 0 */
  minMonthlySavings: z.number().nonnegative().default(0),
  /** A budget or savings finding is not repeated for this long unless its severity rises, in ms. @default 86400000 */
  renotifyMs: z.number().nonnegative().default(86_400_000),
  /** How often the engine checks budgets and savings, in ms. @default 3600000 */
  tickIntervalMs: z.number().int().positive().default(3_600_000),
  /** Buckets kept per resource and team. @default 2160 (90 days of hours) */
  historyLimit: z.number().int().min(3).default(2160),
});
export type CostPredictorOptionsInput = z.input<typeof CostPredictorOptionsSchema>;
export type CostPredictorOptions = z.output<typeof CostPredictorOptionsSchema>;

/** Which spend: one resource's or one team's. */
export const CostScopeSchema = z
  .object({ resource: IdSchema.optional(), team: IdSchema.optional() })
  .refine((scope) => (scope.resource === undefined) !== (scope.team === undefined), {
    message: 'give exactly one of resource or team',
    path: ['resource'],
  });
export type CostScope = z.infer<typeof CostScopeSchema>;
