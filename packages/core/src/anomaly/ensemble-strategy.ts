import { contextNovelty, type ContextNoveltyConfig } from './context-novelty.js';
import type { DetectorStrategy } from './detector-strategy.js';
import { FIXED_SLOTS, SLOT, type EnsembleState } from './ensemble-state.js';
import { decodeFloat64, decodeUint32, encodeFloat64, encodeUint32 } from './float-codec.js';
import { normalTail } from './tail-probability.js';

/** Tuning of the default {@link ensembleStrategy}. The defaults are the one configuration we ship and benchmark. */
export interface EnsembleOptions {
  /** Quantisation levels of the value range, one context lane per entry (coarse and fine). @default [6, 24] */
  resolutions?: number[];
  /** Longest sequence of levels remembered as a context. @default 4 */
  contextLength?: number;
  /** Also remember how long the value stays at its coarse level (log2 buckets). @default true */
  runContext?: boolean;
  /** Freeze the quantisation grid after warm-up, so a new extreme adds levels instead of re-quantising. @default true */
  stableGrid?: boolean;
  /** Range growth factor that re-makes a frozen grid. @default 4 */
  gridGrowth?: number;
  /** Size of the context memory in bits (rounded down to a multiple of 32; a power of two). @default 4096 */
  memoryBits?: number;
  /** Samples averaged before the likelihood step (HTM anomaly-likelihood style). @default 10 */
  averagingWindow?: number;
  /** Use the likelihood step (false: the raw novelty is the score). @default true */
  likelihood?: boolean;
  /** Smoothing factor (per sample) of the long-run distribution of averaged novelty. @default 0.004 */
  likelihoodAlpha?: number;
  /** A value beyond the range seen so far by more than this fraction of it scores 1 (0 disables). @default 0.03 */
  spatialTolerance?: number;
  /** Smoothing factor (per sample) of the smoothed level whose own range is checked too (0 disables). @default 0.05 */
  smoothSpatialAlpha?: number;
  /** Tolerance of the smoothed-level range check, as a fraction of its range. @default 0.1 */
  smoothSpatialTolerance?: number;
  /** Samples learned before any score above 0 is given. @default 150 */
  warmupSamples?: number;
  /** Score at which a sample counts as a detection and starts the rest period. @default 0.45 */
  detectionLevel?: number;
  /** After a detection, samples during which scores are held at 0 so one incident scores once. @default 120 */
  restSamples?: number;
  /** During a rest, a value beyond the range seen so far by at least this fraction of it still scores 1 (0: never). @default 0.25 */
  restBreakExcess?: number;
  /**
   * Smallest variance the likelihood step assumes for averaged novelty (a standard deviation of 0.01),
   * so a long-quiet series does not alarm on the first small blip. @default 1e-4
   */
  varianceFloor?: number;
  /**
   * Outlier cap: a lone sample beyond the learned range by more than this fraction of it widens the range
   * (and the smoothed level) only up to that fraction, so one wild value (a 1e6 in a series in the tens)
   * cannot blind the detector to later spikes. A second consecutive sample beyond the cap on the same side
   * is a level shift and is learned in full. 0 disables. @default 0.5
   */
  outlierCap?: number;
  /**
   * Forgetting of outliers: per sample, the part of the range that lone outliers added (see `outlierCap`)
   * shrinks by this fraction, so their trace fades after about 1/outlierForgetting samples. The range
   * learned from ordinary and repeated values is kept. 0 never forgets. @default 0.001
   */
  outlierForgetting?: number;
}

const DEFAULTS: Required<EnsembleOptions> = {
  resolutions: [6, 24],
  contextLength: 4,
  runContext: true,
  stableGrid: true,
  gridGrowth: 4,
  memoryBits: 4096,
  averagingWindow: 10,
  likelihood: true,
  likelihoodAlpha: 0.004,
  spatialTolerance: 0.03,
  smoothSpatialAlpha: 0.05,
  smoothSpatialTolerance: 0.1,
  warmupSamples: 150,
  detectionLevel: 0.45,
  restSamples: 120,
  restBreakExcess: 0.25,
  varianceFloor: 1e-4,
  outlierCap: 1,
  outlierForgetting: 0.001,
};

const LOG_FLOOR = Math.log(1e-10);

/**
 * The default detector, an ensemble of simple streaming signals:
 * (1) context novelty — recent sequences of quantised levels never seen before (CAD OSE-style);
 * (2) anomaly likelihood — the recent average of novelty against its long-run distribution, log-scaled
 *     (as in Numenta's HTM detector), so a series that is always a little novel does not alarm;
 * (3) out-of-range — a value beyond the range seen so far scores 1 (HTM's "spatial anomaly");
 * (4) smoothed out-of-range — the same on an exponentially smoothed level, for sustained shifts;
 * then (5) warm-up, and a rest period after each detection so one incident is reported once.
 * O(1) time per sample; about 0.8 KB of typed-array state per series.
 */
export function ensembleStrategy(options: EnsembleOptions = {}): DetectorStrategy<EnsembleState> {
  const config = { ...DEFAULTS, ...options };
  const memoryWords = Math.max(1, config.memoryBits >>> 5);
  const history = FIXED_SLOTS;
  const ring = history + config.contextLength * config.resolutions.length;
  const slots = ring + config.averagingWindow;
  const novelty: ContextNoveltyConfig = { ...config, mask: memoryWords * 32 - 1, history };
  const signature = `ensemble/v2:${JSON.stringify(config)}`;
  return {
    name: 'ensemble',
    // Every detection that starts the rest period is reported (NAB's optimiser picks 0.477 here).
    defaultThreshold: config.detectionLevel,
    createState: () => ({ values: new Float64Array(slots), memory: new Uint32Array(memoryWords) }),
    update(state, _timestamp, value) {
      const values = state.values;
      const count = values[SLOT.count]!;
      const min = count === 0 ? value : values[SLOT.min]!;
      const max = count === 0 ? value : values[SLOT.max]!;
      const range = max - min;
      // (1) Context novelty, against the range known before this sample.
      // A lone sample far beyond the range is learned only up to the cap; a repeat on the same side is a shift.
      let learned = value;
      const cap = config.outlierCap * range;
      const side = range > 0 && config.outlierCap > 0 ? (value > max + cap ? 1 : value < min - cap ? -1 : 0) : 0;
      const repeated = side !== 0 && values[SLOT.outlierSide] === side;
      if (side !== 0 && !repeated) learned = side > 0 ? max + cap : min - cap;
      values[SLOT.outlierSide] = side;
      const raw = contextNovelty(values, state.memory, novelty, value, min, max, learned);
      // Lone outliers widen the range only up to the cap, and that widening is forgotten over time.
      let excessHigh = values[SLOT.outlierExcessHigh]! * (1 - config.outlierForgetting);
      let excessLow = values[SLOT.outlierExcessLow]! * (1 - config.outlierForgetting);
      let high = max - values[SLOT.outlierExcessHigh]! + excessHigh;
      let low = min + values[SLOT.outlierExcessLow]! - excessLow;
      if (side > 0 && !repeated) excessHigh += learned - high;
      else if (learned > high - excessHigh) excessHigh = Math.max(0, high - learned);
      if (side < 0 && !repeated) excessLow += low - learned;
      else if (learned < low + excessLow) excessLow = Math.max(0, learned - low);
      high = Math.max(high, learned);
      low = Math.min(low, learned);
      values[SLOT.outlierExcessHigh] = excessHigh;
      values[SLOT.outlierExcessLow] = excessLow;
      values[SLOT.min] = low;
      values[SLOT.max] = high;
      values[SLOT.count] = count + 1;
      // (2) Likelihood of the recent average of novelty under its long-run distribution.
      const slot = ring + (count % config.averagingWindow);
      values[SLOT.ringSum] = values[SLOT.ringSum]! + raw - values[slot]!;
      values[slot] = raw;
      const average = values[SLOT.ringSum]! / Math.min(count + 1, config.averagingWindow);
      let score = raw;
      if (config.likelihood) {
        const longMean = count === 0 ? average : values[SLOT.likelihoodMean]!;
        const longVariance = values[SLOT.likelihoodVariance]!;
        const z = (average - longMean) / Math.sqrt(Math.max(longVariance, config.varianceFloor));
        score = Math.max(0, Math.log(normalTail(z) + 1e-10) / LOG_FLOOR);
        const rate = Math.max(config.likelihoodAlpha, 1 / (count + 1));
        const difference = average - longMean;
        values[SLOT.likelihoodMean] = longMean + rate * difference;
        values[SLOT.likelihoodVariance] = (1 - rate) * (longVariance + rate * difference * difference);
      }
      // (3) A value well outside the range seen so far.
      const excess = range > 0 ? Math.max(value - max, min - value) / range : 0;
      if (config.spatialTolerance > 0 && excess > config.spatialTolerance) score = 1;
      // (4) The same check on a smoothed level catches sustained shifts hidden in noisy samples.
      const previousSmooth = count === 0 ? value : values[SLOT.smooth]!;
      values[SLOT.expected] = previousSmooth;
      if (config.smoothSpatialAlpha > 0) {
        const smooth = previousSmooth + config.smoothSpatialAlpha * (learned - previousSmooth);
        const low = values[SLOT.smoothMin]!;
        const high = values[SLOT.smoothMax]!;
        const spread = high - low;
        const tolerance = spread * config.smoothSpatialTolerance;
        if (count > config.warmupSamples && spread > 0 && (smooth > high + tolerance || smooth < low - tolerance))
          score = 1;
        values[SLOT.smooth] = smooth;
        values[SLOT.smoothMin] = count === 0 ? smooth : Math.min(low, smooth);
        values[SLOT.smoothMax] = count === 0 ? smooth : Math.max(high, smooth);
      }
      // (5) Warm-up, and rest after a detection.
      if (count < config.warmupSamples) return 0;
      if (values[SLOT.rest]! > 0) {
        // Resting, except for a value far outside everything seen (a new incident, not an echo).
        if (config.restBreakExcess > 0 && excess >= config.restBreakExcess && !repeated) {
          values[SLOT.rest] = config.restSamples;
          return 1;
        }
        values[SLOT.rest] = values[SLOT.rest]! - 1;
        return 0;
      }
      if (score >= config.detectionLevel) values[SLOT.rest] = config.restSamples;
      return score;
    },
    expected: (state) => (state.values[SLOT.count]! > 0 ? state.values[SLOT.expected] : undefined),
    serialize: (state) => ({ v: signature, values: encodeFloat64(state.values), memory: encodeUint32(state.memory) }),
    deserialize(data) {
      if (typeof data !== 'object' || data === null || (data as { v?: unknown }).v !== signature) return undefined;
      const values = decodeFloat64((data as { values?: unknown }).values, slots);
      const memory = decodeUint32((data as { memory?: unknown }).memory, memoryWords);
      return values && memory ? { values, memory } : undefined;
    },
  };
}
