/** JSON form of a {@link CostSeries}. */
export interface CostSeriesState {
  /** Bucket index (timestamp / stepMs, floored) of the first entry of `values`. */
  firstBucket: number;
  values: number[];
  /** Buckets that received at least one sample (others are gaps). */
  observed: boolean[];
}

/**
 * Spend summed into fixed-length time buckets, oldest first, keeping the last `limit` buckets. Buckets
 * that received no sample between observed ones are gaps (`null` for the forecaster).
 */
export class CostSeries {
  private firstBucket: number | undefined;
  private values: number[] = [];
  private observed: boolean[] = [];

  constructor(
    readonly stepMs: number,
    private readonly limit: number,
  ) {}

  /** Number of buckets from the first to the last. */
  get length(): number {
    return this.values.length;
  }

  /** Start (epoch ms) of the newest bucket; undefined when empty. */
  get lastBucketStart(): number | undefined {
    return this.firstBucket === undefined ? undefined : (this.firstBucket + this.values.length - 1) * this.stepMs;
  }

  /**
   * Adds spend at `timestamp`. Returns the total of the bucket it closed when this sample opened a newer
   * bucket, or undefined. Samples older than the kept window are ignored (returns false in `accepted`).
   */
  add(timestamp: number, amount: number): { accepted: boolean; closed?: { start: number; total: number } } {
    const bucket = Math.floor(timestamp / this.stepMs);
    if (this.firstBucket === undefined) {
      this.firstBucket = bucket;
      this.values = [amount];
      this.observed = [true];
      return { accepted: true };
    }
    const offset = bucket - this.firstBucket;
    if (offset < 0) return { accepted: false };
    let closed: { start: number; total: number } | undefined;
    if (offset >= this.values.length) {
      const lastIndex = this.values.length - 1;
      closed = { start: (this.firstBucket + lastIndex) * this.stepMs, total: this.values[lastIndex]! };
      while (this.values.length <= offset) {
        this.values.push(0);
        this.observed.push(false);
      }
    }
    this.values[offset]! += amount;
    this.observed[offset] = true;
    this.trim();
    return closed ? { accepted: true, closed } : { accepted: true };
  }

  /** The buckets in order, `null` for gaps. */
  buckets(): (number | null)[] {
    return this.values.map((value, index) => (this.observed[index] ? value : null));
  }

  /** Sum of observed spend in buckets starting within [from, to). */
  sum(from: number, to: number): number {
    if (this.firstBucket === undefined) return 0;
    let total = 0;
    for (let index = 0; index < this.values.length; index++) {
      const start = (this.firstBucket + index) * this.stepMs;
      if (start >= from && start < to) total += this.values[index]!;
    }
    return total;
  }

  toJSON(): CostSeriesState {
    return { firstBucket: this.firstBucket ?? 0, values: [...this.values], observed: [...this.observed] };
  }

  /** Loads {@link toJSON} output; returns false (changing nothing) when unreadable. */
  load(state: unknown): boolean {
    if (typeof state !== 'object' || state === null) return false;
    const { firstBucket, values, observed } = state as Partial<CostSeriesState>;
    if (
      typeof firstBucket !== 'number' ||
      !Array.isArray(values) ||
      !Array.isArray(observed) ||
      values.length !== observed.length ||
      values.length === 0
    )
      return false;
    if (!values.every((value) => typeof value === 'number' && Number.isFinite(value))) return false;
    this.firstBucket = firstBucket;
    this.values = [...values];
    this.observed = observed.map(Boolean);
    this.trim();
    return true;
  }

  private trim(): void {
    const excess = this.values.length - this.limit;
    if (excess <= 0) return;
    this.values.splice(0, excess);
    this.observed.splice(0, excess);
    this.firstBucket! += excess;
  }
}
