import { z } from 'zod';
import { IdSchema } from '../schemas/common.js';

/** One numeric configuration knob and its safe range. */
export const KnobSchema = z
  .object({
    /** Knob name, e.g. `poolSize`. */
    name: z.string().min(1).max(128),
    /** Smallest allowed value; nothing below it is ever proposed. */
    min: z.number().finite(),
    /** Largest allowed value; nothing above it is ever proposed. */
    max: z.number().finite(),
    /** Largest change per proposal, in the knob's unit. @default a quarter of the range */
    maxStep: z.number().positive().optional(),
    /** Only whole numbers (pool sizes, replica counts). @default false */
    integer: z.boolean().default(false),
    /** The value in production today: the first proposal. @default the middle of the range */
    initial: z.number().finite().optional(),
  })
  .refine((knob) => knob.max > knob.min, { message: 'max must be greater than min', path: ['max'] })
  .refine((knob) => knob.initial === undefined || (knob.initial >= knob.min && knob.initial <= knob.max), {
    message: 'initial must lie within [min, max]',
    path: ['initial'],
  });
export type KnobInput = z.input<typeof KnobSchema>;
export type Knob = z.output<typeof KnobSchema>;

/** Options of `PerformanceOptimizer`. */
export const PerformanceOptimizerOptionsSchema = z
  .object({
    /** Analyzer name (unique per engine; the key of its saved state). @default 'performance-optimizer' */
    name: z.string().min(1).default('performance-optimizer'),
    /** The knobs to tune together: one or two. */
    knobs: z.array(KnobSchema).min(1).max(2),
    /** Exploration bonus ξ of expected improvement, in standard deviations of the observed rewards. @default 0.01 */
    exploration: z.number().min(0).max(10).default(0.01),
    /**
     * A reward below `best − collapseFraction × |best|` is a collapse (saturation, errors): the next proposal reverts to the best
     * configuration seen (bypassing the step limit, since it is known to be good). @default 0.5
     */
    collapseFraction: z.number().positive().max(100).default(0.5),
    /**
     * Safe exploration: a candidate is proposed only if its pessimistic reward (mean − this many standard
     * deviations) stays above the collapse line; 0 turns the check off. @default 2
     */
    safetyStandardDeviations: z.number().min(0).max(10).default(2),
    /** Candidate values per knob searched within the step limit. @default 41 */
    gridSize: z.number().int().min(3).max(401).default(41),
    /** Observations kept for the model (the most recent). @default 150 */
    maxObservations: z.number().int().min(5).max(1000).default(150),
    /** Analyzer mode: the resource whose reward metric is read. @default any resource */
    resource: IdSchema.optional(),
    /** Analyzer mode: the metric carrying the reward (e.g. a score, or latency with `rewardDirection: 'minimize'`). */
    rewardMetric: IdSchema.optional(),
    /** Analyzer mode: whether larger (`maximize`) or smaller (`minimize`) metric values are better. @default 'maximize' */
    rewardDirection: z.enum(['maximize', 'minimize']).default('maximize'),
    /** Analyzer mode: reward samples averaged into one evaluation of a configuration. @default 5 */
    samplesPerEvaluation: z.number().int().min(1).default(5),
  })
  .refine((options) => new Set(options.knobs.map((knob) => knob.name)).size === options.knobs.length, {
    message: 'knob names must be unique',
    path: ['knobs'],
  });
export type PerformanceOptimizerOptionsInput = z.input<typeof PerformanceOptimizerOptionsSchema>;
export type PerformanceOptimizerOptions = z.output<typeof PerformanceOptimizerOptionsSchema>;

/** A configuration: knob name → value. */
export type KnobConfiguration = Record<string, number>;

/** Why a configuration was proposed. */
export type TuningSuggestionReason = 'initial' | 'explore' | 'exploit' | 'revert';

/** What `suggest()` returns. */
export interface TuningSuggestion {
  config: KnobConfiguration;
  reason: TuningSuggestionReason;
  /** The model's expected reward there (absent before any observation). */
  expectedReward?: number;
  /** The model's standard deviation there. */
  uncertainty?: number;
}
