import { z } from 'zod';
import { LogTemplateMinerOptionsSchema } from './log-template-miner.js';

/** Options of a {@link LogAnomalyDetector}. */
export const LogAnomalyDetectorOptionsSchema = z.object({
  /** Analyzer name (also the key of its saved state). @default 'log-anomaly' */
  name: z.string().min(1).default('log-anomaly'),
  /** Length of the counting window, in ms. @default 60000 */
  windowMs: z.number().int().positive().default(60_000),
  /**
   * Windows a resource must have been watched before anything is reported (its templates are learned
   * quietly until then).
   * @default 10
   */
  warmupWindows: z.number().int().min(1).default(10),
  /**
   * A template bursts when its count in a window exceeds its usual count by this many standard deviations
   * (Poisson-like: the variance is at least the mean).
   * @default 4
   */
  burstSigmas: z.number().positive().default(4),
  /** Fewest messages in a window for a burst. @default 10 */
  minBurstCount: z.number().int().min(1).default(10),
  /** A template is silent after this many windows without it, when it usually comes `minSilenceRate` times a window or more. @default 3 */
  silenceWindows: z.number().int().min(1).default(3),
  /** Usual count per window a template needs before its absence is reported. @default 2 */
  minSilenceRate: z.number().positive().default(2),
  /** Fewest error-level (error, fatal) messages in a window for an error-rate finding; the window's error share must also exceed its usual share by `burstSigmas` deviations. @default 5 */
  minErrorCount: z.number().int().min(1).default(5),
  /** Weight of the newest window in the moving averages of counts and error share. @default 0.1 */
  smoothing: z.number().gt(0).lt(1).default(0.1),
  /** Example messages carried by a finding. @default 3 */
  maxExamples: z.number().int().min(0).max(20).default(3),
  /** Options of the template miner. */
  miner: LogTemplateMinerOptionsSchema.default(LogTemplateMinerOptionsSchema.parse({})),
  /** How often the engine calls `tick` (closes windows of quiet resources), in ms. @default 60000 */
  tickIntervalMs: z.number().int().positive().default(60_000),
});

/** Resolved options of a {@link LogAnomalyDetector}. */
export type LogAnomalyDetectorOptions = z.output<typeof LogAnomalyDetectorOptionsSchema>;
/** Options of a {@link LogAnomalyDetector} as written by users (every field optional). */
export type LogAnomalyDetectorOptionsInput = z.input<typeof LogAnomalyDetectorOptionsSchema>;
