import type { DetectorStrategy } from './detector-strategy.js';
import { decodeFloat64, decodeUint32, encodeFloat64, encodeUint32 } from './float-codec.js';
import { normalTail } from './tail-probability.js';

/** Tuning of the default {@link ensembleStrategy}. The defaults are the one configuration we ship and benchmark. */
export interface EnsembleOptions {
  /** Longest sequence of quantised values remembered as a context. @default 3 */
  contextLength?: number;
  /** Size of the context memory in bits (a power of two; 1 bit per hashed context). @default 4096 */
  memoryBits?: number;
  /** Samples learned before any score above 0 is given. @default 150 */
  warmupSamples?: number;
  /** After a detection, samples during which scores are held at 0 so one incident scores once. @default 100 */
  restSamples?: number;
  /** Score at which a sample counts as a detection and starts the rest period. @default 0.5 */
  detectionLevel?: number;
  /** Smoothing factor of the long-run mean and variance of the values (per sample). @default 0.005 */
  slowAlpha?: number;
  /** Deviation (in long-run standard deviations) where the deviation score starts to rise. @default 3 */
  deviationLow?: number;
  /** Deviation where the deviation score reaches 1. @default 8 */
  deviationHigh?: number;
  /** Weight of context novelty in the raw score (the deviation score gets 1 − weight). @default 0.7 */
  noveltyWeight?: number;
  /** Samples averaged before the likelihood step (HTM anomaly-likelihood style). @default 10 */
  averagingWindow?: number;
  /** Smoothing factor of the long-run distribution of averaged raw scores. @default 0.002 */
  likelihoodAlpha?: number;
  /** Also require the recent average of raw scores to beat its decaying record (time constant in samples; 0 disables). @default 0 */
  recordDecaySamples?: number;
  /** Values beyond the range seen so far by this fraction of it score 1 (0 disables). @default 0.05 */
  spatialTolerance?: number;
  /** Smoothing factor of a smoothed level whose own range is checked too (0 disables). @default 0 */
  smoothSpatialAlpha?: number;
  /** Tolerance of the smoothed-level range check, as a fraction of its range. @default 0.05 */
  smoothSpatialTolerance?: number;
  /** Smoothing factor of the mean absolute step whose new highs score 1 (0 disables). @default 0 */
  volatilityAlpha?: number;
  /** How far above its previous high the smoothed step must go, as a fraction. @default 0.1 */
  volatilityTolerance?: number;
  /** Freeze the quantisation grid after warm-up (re-made only when the range grows `gridGrowth`-fold). @default false */
  stableGrid?: boolean;
  /** Range growth factor that re-makes a frozen grid. @default 4 */
  gridGrowth?: number;
  /** Grades out-of-range scores: 0.5 + excess / grade (0: always 1). @default 0 */
  spatialGrade?: number;
  /** After the rest period, sensitivity recovers as 1 − exp(−samples since detection / this) (0: at once). @default 0 */
  recoverySamples?: number;
  /** Adds how long the value has stayed at its level (log2 buckets) as a context. @default false */
  runContext?: boolean;
  /** Quantisation levels of the value range seen so far, one context memory lane per entry. @default [8] */
  resolutions?: number[];
  /** How novelty and deviation combine: weighted `blend` or `max`. @default 'blend' */
  combine?: 'blend' | 'max';
  /** Use the likelihood step (false: the raw blend is the score). @default true */
  likelihood?: boolean;
}

/** Per-series state of the ensemble: numbers in `values`, the context memory in `memory`. */
export interface EnsembleState {
  values: Float64Array;
  memory: Uint32Array;
}

// Slots of EnsembleState.values.
const COUNT = 0, MIN = 1, MAX = 2, MEAN = 3, VARIANCE = 4, REST = 5, EXPECTED = 6, RING_SUM = 7, L_MEAN = 8, L_VARIANCE = 9, RUN = 10, DETECTED_AT = 11, PEAK = 12, SMOOTH = 13, S_MIN = 14, S_MAX = 15, LAST = 16, VOLATILITY = 17, V_MAX = 18, GRID_WIDTH = 19, GRID_ANCHOR = 20;
const FIXED_SLOTS = 21;
const LOG_FLOOR = Math.log(1e-10);

const DEFAULTS: Required<EnsembleOptions> = {
  resolutions: [6, 24],
  contextLength: 4,
  runContext: true,
  memoryBits: 4096,
  warmupSamples: 150,
  restSamples: 120,
  recoverySamples: 0,
  detectionLevel: 0.45,
  slowAlpha: 0.005,
  deviationLow: 3,
  deviationHigh: 8,
  noveltyWeight: 1,
  combine: 'blend',
  averagingWindow: 10,
  likelihood: true,
  likelihoodAlpha: 0.004,
  recordDecaySamples: 0,
  spatialTolerance: 0.03,
  spatialGrade: 0,
  smoothSpatialAlpha: 0.05,
  smoothSpatialTolerance: 0.1,
  volatilityAlpha: 0,
  stableGrid: false,
  gridGrowth: 4,

  volatilityTolerance: 0.1,
};

/**
 * The default detector. Raw score: a blend of (1) context novelty — the value is quantised into `bins`
 * levels of the range seen so far and each recent sequence of levels is looked up in a hashed bit memory
 * (CAD OSE-style: a never-seen context is novel) — and (2) deviation from the long-run level. Then
 * (3) an anomaly likelihood (as in HTM): the recent average of raw scores is compared with their
 * long-run distribution, so a series that is always a bit novel does not alarm; (4) a value beyond the
 * range seen so far (by `spatialTolerance`) scores 1; and (5) after a detection, scores rest at 0 for
 * `restSamples` so one incident is reported once. O(1) time per sample.
 */
export function ensembleStrategy(options: EnsembleOptions = {}): DetectorStrategy<EnsembleState> {
  const config = { ...DEFAULTS, ...options };
  const memoryWords = Math.max(1, config.memoryBits >>> 5);
  const mask = memoryWords * 32 - 1;
  const history = FIXED_SLOTS;
  const resolutions = config.resolutions;
  const ring = history + config.contextLength * resolutions.length;
  const slots = ring + config.averagingWindow;
  const signature = `ensemble/v1:${JSON.stringify(config)}`;
  return {
    name: 'ensemble',
    createState: () => ({ values: new Float64Array(slots), memory: new Uint32Array(memoryWords) }),
    update(state, _timestamp, value) {
      const values = state.values;
      const memory = state.memory;
      const count = values[COUNT]!;
      let min = values[MIN]!;
      let max = values[MAX]!;
      if (count === 0) min = max = value;
      // (1) Context novelty: quantise against the range known before this sample.
      const range = max - min;
      let unseen = 0;
      for (let level = 0; level < resolutions.length; level += 1) {
        const bins = resolutions[level]!;
        const base = history + level * config.contextLength;
        let symbol: number;
        if (config.stableGrid && values[GRID_WIDTH]! > 0) {
          // A grid frozen after warm-up: a new extreme adds levels instead of re-quantising the old ones.
          symbol = Math.floor((value - values[GRID_ANCHOR]!) / (values[GRID_WIDTH]! / bins)) | 0;
        } else if (value > max) symbol = bins;
        else if (value < min) symbol = bins + 1;
        else symbol = range > 0 ? Math.min(bins - 1, Math.floor(((value - min) / range) * bins)) : 0;
        let hash = Math.imul(symbol + 1 + level * 131, 0x9e3779b1);
        for (let length = 0; length < config.contextLength; length += 1) {
          if (length > 0) hash = Math.imul(hash ^ (values[base + length - 1]! + 1), 0x85ebca6b) ^ (length * 0x27d4eb2f);
          const mixed = Math.imul(hash ^ (hash >>> 16), 0x7feb352d);
          const bit = (mixed ^ (mixed >>> 15)) & mask;
          const word = bit >>> 5;
          const flag = 1 << (bit & 31);
          if ((memory[word]! & flag) === 0) {
            unseen += 1;
            memory[word] = memory[word]! | flag;
          }
        }
        if (level === 0 && config.runContext) {
          // How long the value has stayed in this level: a level held unusually long is novel too.
          const run = symbol === values[base]! ? values[RUN]! + 1 : 1;
          values[RUN] = run;
          const key = Math.imul(symbol + 1, 0x2545f491) ^ Math.imul(Math.floor(Math.log2(run)) + 97, 0x6c8e9cf5);
          const mixed = Math.imul(key ^ (key >>> 16), 0x7feb352d);
          const bit = (mixed ^ (mixed >>> 15)) & mask;
          const flag = 1 << (bit & 31);
          if ((memory[bit >>> 5]! & flag) === 0) {
            unseen += 1;
            memory[bit >>> 5] = memory[bit >>> 5]! | flag;
          }
        }
        for (let length = config.contextLength - 1; length > 0; length -= 1) values[base + length] = values[base + length - 1]!;
        values[base] = symbol;
      }
      if (config.stableGrid) {
        if (values[GRID_WIDTH]! === 0 && count + 1 >= config.warmupSamples && range > 0) {
          values[GRID_WIDTH] = range;
          values[GRID_ANCHOR] = min;
        } else if (values[GRID_WIDTH]! > 0 && Math.max(max, value) - Math.min(min, value) > config.gridGrowth * values[GRID_WIDTH]!) {
          values[GRID_WIDTH] = Math.max(max, value) - Math.min(min, value);
          values[GRID_ANCHOR] = Math.min(min, value);
        }
      }
      const novelty = unseen / (config.contextLength * resolutions.length + (config.runContext ? 1 : 0));
      // (2) Deviation from the long-run level.
      const mean = count === 0 ? value : values[MEAN]!;
      const variance = values[VARIANCE]!;
      const spread = Math.sqrt(variance) + 1e-9 * (Math.abs(mean) + 1);
      const deviation = Math.abs(value - mean) / spread;
      const deviationScore = Math.min(1, Math.max(0, (deviation - config.deviationLow) / (config.deviationHigh - config.deviationLow)));
      values[EXPECTED] = mean;
      const alpha = Math.max(config.slowAlpha, 1 / (count + 1));
      const delta = value - mean;
      values[MEAN] = mean + alpha * delta;
      values[VARIANCE] = (1 - alpha) * (variance + alpha * delta * delta);
      values[MIN] = Math.min(min, value);
      values[MAX] = Math.max(max, value);
      values[COUNT] = count + 1;
      const raw = config.combine === 'max' ? Math.max(novelty, deviationScore) : config.noveltyWeight * novelty + (1 - config.noveltyWeight) * deviationScore;
      // (3) Likelihood of the recent average of raw scores under their long-run distribution.
      const slot = ring + (count % config.averagingWindow);
      values[RING_SUM] = values[RING_SUM]! + raw - values[slot]!;
      values[slot] = raw;
      const average = values[RING_SUM]! / Math.min(count + 1, config.averagingWindow);
      let score = raw;
      if (config.likelihood) {
        const longMean = count === 0 ? average : values[L_MEAN]!;
        const longVariance = values[L_VARIANCE]!;
        const z = (average - longMean) / Math.sqrt(Math.max(longVariance, 1e-6));
        score = Math.max(0, Math.log(normalTail(z) + 1e-10) / LOG_FLOOR);
        const rate = Math.max(config.likelihoodAlpha, 1 / (count + 1));
        const difference = average - longMean;
        values[L_MEAN] = longMean + rate * difference;
        values[L_VARIANCE] = (1 - rate) * (longVariance + rate * difference * difference);
      }
      if (config.recordDecaySamples > 0) {
        // Record mode: how far the recent average exceeds the (slowly decaying) highest average so far.
        const peak = values[PEAK]!;
        const ratio = average / (peak + 1e-6);
        score = Math.min(score, ratio > 1 ? Math.min(1, 0.5 + (ratio - 1)) : 0.5 * ratio);
        values[PEAK] = count < config.warmupSamples ? 0 : Math.max(average, peak * Math.exp(-1 / config.recordDecaySamples));
      }
      // (4) Values well outside the range seen so far.
      if (config.spatialTolerance > 0 && range > 0) {
        const excess = Math.max(value - max, min - value) / range;
        if (excess > config.spatialTolerance) score = Math.max(score, config.spatialGrade > 0 ? Math.min(1, 0.5 + excess / config.spatialGrade) : 1);
      }
      if (config.smoothSpatialAlpha > 0) {
        // The same check on a smoothed level catches sustained shifts hidden in noisy samples.
        const smooth = count === 0 ? value : values[SMOOTH]! + config.smoothSpatialAlpha * (value - values[SMOOTH]!);
        const low = values[S_MIN]!, high = values[S_MAX]!;
        const smoothRange = high - low;
        if (count > config.warmupSamples && smoothRange > 0 && (smooth > high + smoothRange * config.smoothSpatialTolerance || smooth < low - smoothRange * config.smoothSpatialTolerance)) score = 1;
        values[SMOOTH] = smooth;
        values[S_MIN] = count === 0 ? smooth : Math.min(low, smooth);
        values[S_MAX] = count === 0 ? smooth : Math.max(high, smooth);
      }
      if (config.volatilityAlpha > 0) {
        // A new high of the smoothed step size: the series became unusually jumpy.
        const step = count === 0 ? 0 : Math.abs(value - values[LAST]!);
        const volatility = count === 0 ? 0 : values[VOLATILITY]! + config.volatilityAlpha * (step - values[VOLATILITY]!);
        const top = values[V_MAX]!;
        if (count > config.warmupSamples && top > 0 && volatility > top * (1 + config.volatilityTolerance)) score = 1;
        values[VOLATILITY] = volatility;
        if (count > 1 / config.volatilityAlpha) values[V_MAX] = Math.max(top, volatility);
      }
      values[LAST] = value;
      // (5) Warm-up and rest after a detection.
      if (count < config.warmupSamples) return 0;
      if (values[REST]! > 0) {
        values[REST] = values[REST]! - 1;
        return 0;
      }
      const lastDetection = values[DETECTED_AT]!;
      if (config.recoverySamples > 0 && lastDetection > 0) score *= 1 - Math.exp(-(count + 1 - lastDetection) / config.recoverySamples);
      if (score >= config.detectionLevel) {
        values[REST] = config.restSamples;
        values[DETECTED_AT] = count + 1;
      }
      return score;
    },
    expected: (state) => (state.values[COUNT]! > 0 ? state.values[EXPECTED] : undefined),
    serialize: (state) => ({ v: signature, values: encodeFloat64(state.values), memory: encodeUint32(state.memory) }),
    deserialize(data) {
      if (typeof data !== 'object' || data === null || (data as { v?: unknown }).v !== signature) return undefined;
      const values = decodeFloat64((data as { values?: unknown }).values, slots);
      const memory = decodeUint32((data as { memory?: unknown }).memory, memoryWords);
      return values && memory ? { values, memory } : undefined;
    },
  };
}
