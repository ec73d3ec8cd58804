import type { DetectorStrategy } from './detector-strategy.js';
import { decodeFloat64, decodeUint32, encodeFloat64, encodeUint32 } from './float-codec.js';
import { normalTail } from './tail-probability.js';

/** Tuning of the default {@link ensembleStrategy}. The defaults are the one configuration we ship and benchmark. */
export interface EnsembleOptions {
  /** Quantisation levels of the value range seen so far, for context novelty. @default 8 */
  bins?: number;
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
  /** Values beyond the range seen so far by this fraction of it score 1 (0 disables). @default 0.05 */
  spatialTolerance?: number;
  /** Grades out-of-range scores: 0.5 + excess / grade (0: always 1). @default 0 */
  spatialGrade?: number;
  /** Time-of-day buckets added as a context with the quantised value (0 disables). @default 0 */
  timeBuckets?: number;
  /** Adds the last two steps between quantised levels as a context. @default false */
  differenceContext?: boolean;
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
const COUNT = 0, MIN = 1, MAX = 2, MEAN = 3, VARIANCE = 4, REST = 5, EXPECTED = 6, RING_SUM = 7, L_MEAN = 8, L_VARIANCE = 9;
const FIXED_SLOTS = 10;
const LOG_FLOOR = Math.log(1e-10);

const DEFAULTS: Required<EnsembleOptions> = {
  bins: 8,
  contextLength: 3,
  memoryBits: 4096,
  warmupSamples: 150,
  restSamples: 100,
  detectionLevel: 0.5,
  slowAlpha: 0.005,
  deviationLow: 3,
  deviationHigh: 8,
  noveltyWeight: 0.7,
  averagingWindow: 10,
  likelihoodAlpha: 0.002,
  spatialTolerance: 0.05,
  likelihood: true,
  spatialGrade: 0,
  timeBuckets: 0,
  differenceContext: false,
  combine: 'blend',
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
  const ring = history + config.contextLength;
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
      let symbol: number;
      if (value > max) symbol = config.bins;
      else if (value < min) symbol = config.bins + 1;
      else symbol = range > 0 ? Math.min(config.bins - 1, Math.floor(((value - min) / range) * config.bins)) : 0;
      let hash = Math.imul(symbol + 1, 0x9e3779b1);
      let unseen = 0;
      for (let length = 0; length < config.contextLength; length += 1) {
        if (length > 0) hash = Math.imul(hash ^ (values[history + length - 1]! + 1), 0x85ebca6b) ^ (length * 0x27d4eb2f);
        const bit = (hash ^ (hash >>> 15)) & mask;
        const word = bit >>> 5;
        const flag = 1 << (bit & 31);
        if ((memory[word]! & flag) === 0) {
          unseen += 1;
          memory[word] = memory[word]! | flag;
        }
      }
      let checks = config.contextLength;
      const probe = (key: number) => {
        const mixed = Math.imul(key ^ (key >>> 16), 0x7feb352d);
        const bit = (mixed ^ (mixed >>> 15)) & mask;
        const flag = 1 << (bit & 31);
        checks += 1;
        if ((memory[bit >>> 5]! & flag) === 0) {
          unseen += 1;
          memory[bit >>> 5] = memory[bit >>> 5]! | flag;
        }
      };
      if (config.timeBuckets > 0) {
        const bucket = Math.floor((((_timestamp % 86_400_000) + 86_400_000) % 86_400_000) / (86_400_000 / config.timeBuckets));
        probe(Math.imul(symbol + 1, 0x2545f491) ^ Math.imul(bucket + 7, 0x6c8e9cf5));
      }
      if (config.differenceContext) {
        const previous = values[history]!;
        probe(Math.imul(symbol - previous + 64, 0x1b873593) ^ Math.imul(values[history + 1]! - previous + 64, 0xcc9e2d51) ^ 0x5bd1e995);
      }
      const novelty = unseen / checks;
      for (let length = config.contextLength - 1; length > 0; length -= 1) values[history + length] = values[history + length - 1]!;
      values[history] = symbol;
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
      // (4) Values well outside the range seen so far.
      if (config.spatialTolerance > 0 && range > 0) {
        const excess = Math.max(value - max, min - value) / range;
        if (excess > config.spatialTolerance) score = Math.max(score, config.spatialGrade > 0 ? Math.min(1, 0.5 + excess / config.spatialGrade) : 1);
      }
      // (5) Warm-up and rest after a detection.
      if (count < config.warmupSamples) return 0;
      if (values[REST]! > 0) {
        values[REST] = values[REST]! - 1;
        return 0;
      }
      if (score >= config.detectionLevel) values[REST] = config.restSamples;
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
