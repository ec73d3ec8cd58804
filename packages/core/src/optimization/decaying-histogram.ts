/** Options of a {@link DecayingHistogram}. */
export interface DecayingHistogramOptions {
  /** Upper edge of the first bucket (the first bucket is [0, firstBucketSize)), in the metric's unit. */
  firstBucketSize: number;
  /** Each bucket is this many times wider than the previous one (> 1). @default 1.05 */
  ratio?: number;
  /** Largest value tracked; larger values land in the last bucket. */
  maxValue: number;
  /** A sample's weight halves for every `halfLifeMs` it is older than the newest one, in ms. @default 86400000 (24 h) */
  halfLifeMs?: number;
}

/** JSON form of a {@link DecayingHistogram} (sparse: bucket index → weight). */
export interface DecayingHistogramState {
  referenceTimestamp: number;
  weights: Record<string, number>;
  /** Bucket index → [smallest, largest] value seen in it (sharpens interpolation). */
  ranges?: Record<string, [number, number]>;
}

/** Rescale stored weights once the newest sample's factor passes 2^this, to stay far from overflow. */
const MAX_EXPONENT = 100;
/** Weights below this are treated as empty (they come from subtracting floating-point sums). */
const EPSILON = 1e-10;

/**
 * A histogram with exponentially growing buckets whose samples lose half their weight every half-life,
 * like the Kubernetes VPA recommender's: percentiles favour recent usage, and the relative error of a
 * percentile is bounded by the bucket ratio (interpolation within the bucket usually does better).
 *
 * Each bucket also remembers the smallest and largest value it has seen, so percentiles interpolate
 * within what was observed (a constant workload gets its exact value back, not the bucket's edge).
 *
 * Instead of decaying every stored weight, each new sample gets weight `w · 2^((t − reference) / halfLife)`:
 * the same ratios, O(1) per sample.
 */
export class DecayingHistogram {
  readonly firstBucketSize: number;
  readonly ratio: number;
  readonly maxValue: number;
  readonly halfLifeMs: number;
  private readonly bucketCount: number;
  private weights = new Map<number, number>();
  private ranges = new Map<number, [number, number]>();
  private referenceTimestamp: number | undefined;

  constructor(options: DecayingHistogramOptions) {
    this.firstBucketSize = options.firstBucketSize;
    this.ratio = options.ratio ?? 1.05;
    this.maxValue = options.maxValue;
    this.halfLifeMs = options.halfLifeMs ?? 86_400_000;
    // Bucket i spans [start(i), start(i+1)), start(i) = first · (ratio^i − 1) / (ratio − 1).
    this.bucketCount =
      Math.ceil(Math.log(1 + (this.maxValue * (this.ratio - 1)) / this.firstBucketSize) / Math.log(this.ratio)) + 1;
  }

  /** True when no weight is stored. */
  get isEmpty(): boolean {
    return this.totalWeight() <= EPSILON;
  }

  /** Lower edge of bucket `index`. */
  bucketStart(index: number): number {
    return (this.firstBucketSize * (this.ratio ** index - 1)) / (this.ratio - 1);
  }

  /** Index of the bucket holding `value` (values ≤ 0 go to bucket 0, values past `maxValue` to the last). */
  bucketIndex(value: number): number {
    if (!(value > 0)) return 0;
    const index = Math.floor(Math.log(1 + (value * (this.ratio - 1)) / this.firstBucketSize) / Math.log(this.ratio));
    return Math.min(this.bucketCount - 1, Math.max(0, index));
  }

  /** Adds `value` observed at `timestamp` (epoch ms) with base weight `weight`. */
  add(value: number, timestamp: number, weight = 1): void {
    this.change(value, timestamp, weight);
  }

  /** Removes a sample added earlier with the same value, timestamp and weight (used to replace a window's peak). */
  subtract(value: number, timestamp: number, weight = 1): void {
    this.change(value, timestamp, -weight);
  }

  /** Sum of the (decayed) weights, relative to the newest sample's time. */
  totalWeight(): number {
    let total = 0;
    for (const index of this.sortedIndexes()) total += this.weights.get(index)!;
    return total;
  }

  /**
   * The value below which `fraction` of the weight lies, interpolated linearly within its bucket;
   * 0 when empty.
   */
  percentile(fraction: number): number {
    const total = this.totalWeight();
    if (total <= EPSILON) return 0;
    const target = Math.min(1, Math.max(0, fraction)) * total;
    let cumulative = 0;
    const indexes = this.sortedIndexes();
    for (const index of indexes) {
      const weight = this.weights.get(index)!;
      if (cumulative + weight >= target) {
        const inside = weight > 0 ? (target - cumulative) / weight : 1;
        const [low, high] = this.range(index);
        return low + inside * (high - low);
      }
      cumulative += weight;
    }
    return this.range(indexes[indexes.length - 1]!)[1];
  }

  /** Fraction of the weight above `value` (the probability a sample exceeds it), interpolated within the bucket. */
  exceedanceProbability(value: number): number {
    const total = this.totalWeight();
    if (total <= EPSILON) return 0;
    let above = 0;
    for (const index of this.sortedIndexes()) {
      const weight = this.weights.get(index)!;
      const [low, high] = this.range(index);
      if (value < low) above += weight;
      else if (value < high) above += (weight * (high - value)) / (high - low);
    }
    return Math.min(1, Math.max(0, above / total));
  }

  /** JSON-serialisable state. */
  toJSON(): DecayingHistogramState {
    const weights: Record<string, number> = {};
    const ranges: Record<string, [number, number]> = {};
    for (const [index, weight] of this.weights) weights[String(index)] = weight;
    for (const [index, range] of this.ranges) if (this.weights.has(index)) ranges[String(index)] = [range[0], range[1]];
    return { referenceTimestamp: this.referenceTimestamp ?? 0, weights, ranges };
  }

  /** Replaces this histogram's contents with `state`; returns false (and changes nothing) when it is unreadable. */
  load(state: unknown): boolean {
    if (typeof state !== 'object' || state === null) return false;
    const { referenceTimestamp, weights, ranges } = state as Partial<DecayingHistogramState>;
    if (
      typeof referenceTimestamp !== 'number' ||
      !Number.isFinite(referenceTimestamp) ||
      typeof weights !== 'object' ||
      weights === null
    )
      return false;
    const loaded = new Map<number, number>();
    for (const [key, weight] of Object.entries(weights)) {
      const index = Number(key);
      if (
        !Number.isInteger(index) ||
        index < 0 ||
        index >= this.bucketCount ||
        typeof weight !== 'number' ||
        !Number.isFinite(weight)
      )
        return false;
      if (weight > EPSILON) loaded.set(index, weight);
    }
    const loadedRanges = new Map<number, [number, number]>();
    for (const [key, range] of Object.entries(ranges ?? {})) {
      const index = Number(key);
      if (
        loaded.has(index) &&
        Array.isArray(range) &&
        range.length === 2 &&
        range.every(Number.isFinite) &&
        range[0] <= range[1]
      )
        loadedRanges.set(index, [range[0], range[1]]);
    }
    this.weights = loaded;
    this.ranges = loadedRanges;
    this.referenceTimestamp = loaded.size > 0 ? referenceTimestamp : undefined;
    return true;
  }

  private change(value: number, timestamp: number, weight: number): void {
    if (!Number.isFinite(value) || !Number.isFinite(timestamp) || !Number.isFinite(weight)) return;
    if (this.referenceTimestamp === undefined) this.referenceTimestamp = timestamp;
    let exponent = (timestamp - this.referenceTimestamp) / this.halfLifeMs;
    if (exponent > MAX_EXPONENT) {
      this.shiftReference(timestamp);
      exponent = 0;
    }
    const index = this.bucketIndex(value);
    if (weight > 0) {
      const range = this.ranges.get(index);
      if (!range || !this.weights.has(index)) this.ranges.set(index, [value, value]);
      else this.ranges.set(index, [Math.min(range[0], value), Math.max(range[1], value)]);
    }
    const next = (this.weights.get(index) ?? 0) + weight * 2 ** exponent;
    if (next > EPSILON * 2 ** Math.max(0, exponent)) this.weights.set(index, next);
    else this.weights.delete(index);
  }

  private sortedIndexes(): number[] {
    return [...this.weights.keys()].sort((a, b) => a - b);
  }

  /** The span to interpolate over in bucket `index`: the values seen there, within the bucket's edges. */
  private range(index: number): [number, number] {
    const start = this.bucketStart(index);
    const end = this.bucketStart(index + 1);
    const seen = this.ranges.get(index);
    if (!seen) return [start, end];
    return [Math.max(start, Math.min(seen[0], end)), Math.min(end, Math.max(seen[1], start))];
  }

  /** Moves the reference time to `timestamp`, scaling stored weights down to match. */
  private shiftReference(timestamp: number): void {
    const factor = 2 ** (-(timestamp - this.referenceTimestamp!) / this.halfLifeMs);
    for (const [index, weight] of this.weights) {
      const scaled = weight * factor;
      if (scaled > EPSILON) this.weights.set(index, scaled);
      else this.weights.delete(index);
    }
    this.referenceTimestamp = timestamp;
  }
}
