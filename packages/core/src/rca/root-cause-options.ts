import { z } from 'zod';

/** The ranking methods {@link RootCauseAnalyzer} implements (see the root-cause guide for their figures). */
export const ROOT_CAUSE_METHODS = ['blame', 'traversal', 'pagerank', 'regression', 'max-change'] as const;
/** One of {@link ROOT_CAUSE_METHODS}. */
export type RootCauseMethod = (typeof ROOT_CAUSE_METHODS)[number];

/** Options of {@link RootCauseAnalyzer}; every field has a default. */
export const RootCauseAnalyzerOptionsSchema = z.object({
  /**
   * Ranking method. `blame`: anomalous nodes reachable from the target whose own callees stay normal, weighted by
   * the weakest link of the anomalous path. `traversal`: the dataset authors' walk down anomalous callees.
   * `pagerank`: personalised random walk on the anomaly-weighted graph. `regression`: each node's metric
   * regressed on its callees' over the baseline, ranked by the unexplained residual. `max-change`: largest
   * metric change, ignoring the graph. @default 'blame'
   */
  method: z.enum(ROOT_CAUSE_METHODS).default('blame'),
  /** A node counts as anomalous when its strongest change exceeds this many spreads. @default 3 */
  threshold: z.number().positive().default(3),
  /** Smallest spread as a share of the reference level, so flat baselines do not make every wiggle huge. @default 0.05 */
  relativeFloor: z.number().nonnegative().default(0.05),
  /**
   * Smallest spread of metrics that get worse downwards (availability, success rate), as a share of the level:
   * a 1-point drop of a 100 % availability already matters. @default 0.005
   */
  downRelativeFloor: z.number().nonnegative().default(0.005),
  /** Smallest spread of count-like metrics that may move either way (requests), in absolute units. @default 1 */
  countFloor: z.number().nonnegative().default(1),
  /** Metrics to consider, as regular expressions matched against metric names; empty = all. @default [] */
  include: z.array(z.string()).default([]),
  /** Smallest spread in absolute units. @default 1e-6 */
  absoluteFloor: z.number().nonnegative().default(1e-6),
  /** How many time steps at and after the target time are examined. @default 3 */
  horizonSteps: z.number().int().positive().default(3),
  /** Weight of metric families other than the target's (e.g. `requests` when the target is `latency`). @default 0.5 */
  otherFamilyWeight: z.number().min(0).max(1).default(0.5),
  /** Direction in which a metric gets worse, by metric or family name; unnamed ones are inferred from the name. @default {} */
  directions: z.record(z.string(), z.enum(['up', 'down', 'both'])).default({}),
  /** `blame`: a callee explains a caller's change only in proportion to the size of its own change. @default true */
  explainByMagnitude: z.boolean().default(true),
  /** `blame`: weight of the anomalous callers a candidate would explain (counterfactual coverage). @default 0.5 */
  coverageWeight: z.number().nonnegative().default(0.5),
  /** `blame`: weight of leaf nodes (no observed callees, so nothing confirms the change starts there). @default 0.5 */
  leafWeight: z.number().min(0).max(1).default(0.5),
  /** Ridge penalty of the `regression` method (on standardised inputs). @default 1 */
  ridge: z.number().positive().default(1),
  /** Baseline rows the `regression` method needs; with fewer it falls back to `blame`. @default 8 */
  minBaselineRows: z.number().int().positive().default(8),
  /** How many candidates to return. @default 10 */
  maxCandidates: z.number().int().positive().default(10),
});
/** Resolved options. */
export type RootCauseAnalyzerOptions = z.infer<typeof RootCauseAnalyzerOptionsSchema>;
/** Options as accepted by the constructor. */
export type RootCauseAnalyzerOptionsInput = z.input<typeof RootCauseAnalyzerOptionsSchema>;
