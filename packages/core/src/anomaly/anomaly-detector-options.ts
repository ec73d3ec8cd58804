import { z } from 'zod';
import type { DetectorStrategy } from './detector-strategy.js';

/** The validated, defaulted form of {@link AnomalyDetectorOptions} (the strategy excepted). */
export const AnomalyDetectorOptionsSchema = z.object({
  /** Analyzer name (also the key of its saved state). @default 'anomaly' */
  name: z.string().min(1).default('anomaly'),
  /**
   * Score at or above which a finding is emitted, in [0, 1]. When absent, the strategy's
   * `defaultThreshold` applies: 0.45 for the default ensemble (its `detectionLevel`, so every detection
   * that starts its rest period is reported), 0.6 for the z-score strategies.
   */
  threshold: z.number().min(0).max(1).optional(),
  /**
   * De-duplication: after a finding for a series (or resource, in multivariate mode), further crossings
   * within this many ms of sample time are folded into it. @default 600000 (10 minutes)
   */
  dedupeMs: z.number().nonnegative().finite().default(600_000),
  /**
   * `univariate`: one finding per anomalous series. `multivariate`: one resource-level finding combining
   * the resource's metrics, naming the contributors. `both`: both kinds. @default 'univariate'
   */
  mode: z.enum(['univariate', 'multivariate', 'both']).default('univariate'),
  /** Multivariate mode: metric scores older than this (ms of sample time) no longer count for the resource. @default 300000 */
  resourceWindowMs: z.number().positive().finite().default(300_000),
  /** Multivariate mode: metric scores below this are treated as noise (not combined, not listed). @default 0.1 */
  contributorFloor: z.number().min(0).max(1).default(0.1),
  /** Multivariate mode: how many contributors a finding lists at most. @default 5 */
  maxContributors: z.number().int().positive().default(5),
  /** Most series tracked at once; the least recently updated is forgotten beyond it. @default 100000 */
  maxSeries: z.number().int().positive().default(100_000),
});

/** Options of {@link AnomalyDetector}. */
export interface AnomalyDetectorOptions extends z.input<typeof AnomalyDetectorOptionsSchema> {
  /** How each series is scored. @default ensembleStrategy() */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each strategy has its own state type; `any` keeps every DetectorStrategy<S> assignable
  strategy?: DetectorStrategy<any>;
}

/** Parsed options. */
export type ResolvedAnomalyDetectorOptions = z.output<typeof AnomalyDetectorOptionsSchema>;
