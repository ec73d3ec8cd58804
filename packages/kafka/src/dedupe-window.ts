/**
 * Remembers the last `capacity` message ids (first in, first out), so a redelivered message — same
 * envelope id after a producer retry, a restart or a rebalance — is recognised and not handled twice.
 * Memory is bounded: about 100 bytes per id. `has` and `add` are O(1): the eviction order lives in a ring
 * buffer (asking a `Set` for its oldest entry after many deletions scans the deleted slots in V8).
 */
export class DedupeWindow {
  private readonly ids = new Set<string>();
  private readonly order: (string | undefined)[];
  private next = 0;

  /** @param capacity How many ids to remember; 0 disables deduplication. */
  constructor(readonly capacity: number) {
    this.order = new Array<string | undefined>(Math.max(0, capacity));
  }

  /** True when `id` was handled within the window. */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records a handled id, evicting the oldest one past capacity. */
  add(id: string): void {
    if (this.capacity <= 0 || this.ids.has(id)) return;
    const oldest = this.order[this.next];
    if (oldest !== undefined) this.ids.delete(oldest);
    this.order[this.next] = id;
    this.next = (this.next + 1) % this.capacity;
    this.ids.add(id);
  }

  /** Number of ids currently remembered. */
  get size(): number {
    return this.ids.size;
  }
}
