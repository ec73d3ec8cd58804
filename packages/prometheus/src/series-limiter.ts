/** Why a series' samples were dropped. */
export type SeriesDropReason = 'series-cap' | 'collision';

/**
 * Admits at most `maxSeries` distinct series and refuses a second label set that maps onto a series key
 * another label set already holds. Callers count the drops; nothing throws, and a cardinality flood
 * costs counters, not memory.
 */
export class SeriesLimiter {
  private readonly owners = new Map<string, string>();

  constructor(readonly maxSeries: number) {}

  /** Number of series admitted. */
  get size(): number {
    return this.owners.size;
  }

  /** Admits a series of `key` with label set `fingerprint`: `null` when it may pass, else why not. */
  admit(key: string, fingerprint: string): SeriesDropReason | null {
    const owner = this.owners.get(key);
    if (owner !== undefined) return owner === fingerprint ? null : 'collision';
    if (this.owners.size >= this.maxSeries) return 'series-cap';
    this.owners.set(key, fingerprint);
    return null;
  }

  /** Forgets a series (it no longer counts against the cap). */
  forget(key: string): void {
    this.owners.delete(key);
  }

  /** Every admitted series key. */
  keys(): IterableIterator<string> {
    return this.owners.keys();
  }
}
