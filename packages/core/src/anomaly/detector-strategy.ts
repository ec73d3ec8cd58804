/**
 * A pluggable way of scoring one univariate series. The {@link AnomalyDetector} keeps one `State` per
 * series and calls `update` for each sample in time order.
 *
 * Contract: `update` scores the sample using only what the state learned from earlier samples (no
 * look-ahead), then learns the sample by mutating `state` in place, and returns a score in [0, 1]
 * (0 = normal). It must be deterministic: the same samples from the same state give the same scores,
 * which is what makes `serialize`/`deserialize` round trips exact.
 */
export interface DetectorStrategy<State = unknown> {
  /** Stable identifier, stored in snapshots (a snapshot is only restored into the same strategy). */
  readonly name: string;
  /**
   * The finding threshold that suits this strategy's score scale, used when the detector's `threshold`
   * option is not given. @default 0.6
   */
  readonly defaultThreshold?: number;
  /** A fresh state for a series never seen before. */
  createState(): State;
  /** Scores `value` observed at `timestamp` (epoch ms) from the past only, then learns it; returns [0, 1]. */
  update(state: State, timestamp: number, value: number): number;
  /** What the strategy expected the last scored sample to be (e.g. a smoothed level), when it has an expectation. */
  expected?(state: State): number | undefined;
  /** A JSON-serialisable copy of `state`. */
  serialize(state: State): unknown;
  /** Rebuilds a state from `serialize` output; returns `undefined` when the data is not recognised. */
  deserialize(data: unknown): State | undefined;
}
