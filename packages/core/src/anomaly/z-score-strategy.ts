import type { DetectorStrategy } from './detector-strategy.js';
import { decodeFloat64, encodeFloat64 } from './float-codec.js';

/** Options of {@link zScoreStrategy}. */
export interface ZScoreOptions {
  /** Smoothing factor of the exponentially weighted mean and variance, per sample. @default 0.01 */
  alpha?: number;
  /** Deviation (standard deviations) that scores 0.5; the score is z² / (z² + k²). @default 4 */
  halfScoreDeviation?: number;
  /** Samples learned before scores rise above 0. @default 30 */
  warmupSamples?: number;
}

const COUNT = 0,
  MEAN = 1,
  VARIANCE = 2,
  EXPECTED = 3;

/**
 * A simple strategy: distance from an exponentially weighted mean in exponentially weighted standard
 * deviations (a streaming "windowed Gaussian"). Cheap and predictable; good for steady metrics.
 */
export function zScoreStrategy(options: ZScoreOptions = {}): DetectorStrategy<Float64Array> {
  const alpha = options.alpha ?? 0.01;
  const half = options.halfScoreDeviation ?? 4;
  const warmup = options.warmupSamples ?? 30;
  const signature = `z-score/v1:${alpha}:${half}:${warmup}`;
  return {
    name: 'z-score',
    defaultThreshold: 0.6,
    createState: () => new Float64Array(4),
    update(state, _timestamp, value) {
      const count = state[COUNT]!;
      const mean = count === 0 ? value : state[MEAN]!;
      const variance = state[VARIANCE]!;
      const deviation = Math.abs(value - mean) / (Math.sqrt(variance) + 1e-9 * (Math.abs(mean) + 1));
      state[EXPECTED] = mean;
      const rate = Math.max(alpha, 1 / (count + 1));
      const delta = value - mean;
      state[MEAN] = mean + rate * delta;
      state[VARIANCE] = (1 - rate) * (variance + rate * delta * delta);
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
