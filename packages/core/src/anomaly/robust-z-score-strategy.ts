import type { DetectorStrategy } from './detector-strategy.js';
import { decodeFloat64, encodeFloat64 } from './float-codec.js';

/** Options of {@link robustZScoreStrategy}. */
export interface RobustZScoreOptions {
  /** Step size of the streaming median and MAD estimates, as a fraction of the current MAD. @default 0.05 */
  rate?: number;
  /** Deviation (in MAD × 1.4826 units) that scores 0.5; the score is z² / (z² + k²). @default 5 */
  halfScoreDeviation?: number;
  /** Samples learned before scores rise above 0. @default 30 */
  warmupSamples?: number;
}

const COUNT = 0,
  MEDIAN = 1,
  MAD = 2,
  EXPECTED = 3;

/**
 * A simple strategy robust to outliers: distance from a streaming median in units of a streaming median
 * absolute deviation (both tracked by stochastic approximation, so one spike barely moves them).
 */
export function robustZScoreStrategy(options: RobustZScoreOptions = {}): DetectorStrategy<Float64Array> {
  const rate = options.rate ?? 0.05;
  const half = options.halfScoreDeviation ?? 5;
  const warmup = options.warmupSamples ?? 30;
  const signature = `robust-z-score/v1:${rate}:${half}:${warmup}`;
  return {
    name: 'robust-z-score',
    defaultThreshold: 0.6,
    createState: () => new Float64Array(4),
    update(state, _timestamp, value) {
      const count = state[COUNT]!;
      if (count === 0) {
        state[MEDIAN] = value;
        state[MAD] = 0;
      }
      const median = state[MEDIAN]!;
      const mad = state[MAD]!;
      const scale = 1.4826 * mad + 1e-9 * (Math.abs(median) + 1);
      const deviation = Math.abs(value - median) / scale;
      state[EXPECTED] = median;
      // Sign-based updates: the median moves towards the value by a step proportional to the spread.
      const step = rate * (mad > 0 ? mad : Math.abs(value - median) || 1e-9);
      state[MEDIAN] = median + Math.sign(value - median) * step;
      const absolute = Math.abs(value - median);
      state[MAD] = Math.max(0, mad + Math.sign(absolute - mad) * rate * (mad > 0 ? mad : absolute));
      state[COUNT] = count + 1;
      if (count < warmup) return 0;
      const squared = deviation * deviation;
      return squared / (squared + half * half);
    },
    expected: (state) => (state[COUNT]! > 0 ? state[EXPECTED] : undefined),
    serialize: (state) => ({ v: signature, values: encodeFloat64(state) }),
    deserialize: (data) =>
      typeof data === 'object' && data !== null && (data as { v?: unknown }).v === signature
        ? decodeFloat64((data as { values?: unknown }).values, 4)
        : undefined,
  };
}
