/** Why a sample was not scored. */
export type SkipReason = 'invalid-value' | 'invalid-timestamp' | 'out-of-order' | 'duplicate-timestamp';

/** What happened to one sample given to {@link AnomalyDetector.observe}. */
export type SampleOutcome =
  | {
      status: 'scored';
      /** Anomaly score in [0, 1], computed from earlier samples only. */
      score: number;
      /** What the strategy expected, when it has an expectation. */
      expected: number | undefined;
    }
  | {
      status: 'skipped';
      /**
       * `invalid-value`: NaN, ±Infinity or not a number. `invalid-timestamp`: not a finite number.
       * `out-of-order`: older than the series' last scored sample. `duplicate-timestamp`: same time as it.
       */
      reason: SkipReason;
    };

/** Counters of an {@link AnomalyDetector}. */
export interface AnomalyDetectorStats {
  /** Samples scored. */
  scored: number;
  /** Samples skipped, by reason. */
  skipped: Record<SkipReason, number>;
  /** Series currently tracked. */
  series: number;
  /** Findings emitted. */
  findings: number;
}
