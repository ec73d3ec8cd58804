/**
 * Remembers the last `capacity` message ids (first in, first out), so a redelivered message — same
 * envelope id after a producer retry, a restart or a rebalance — is recognised and not handled twice.
 * Memory is bounded: about 100 bytes per id.
 */
export class DedupeWindow {
  private readonly ids = new Set<string>();

  /** @param capacity How many ids to remember; 0 disables deduplication. */
  constructor(readonly capacity: number) {}

  /** True when `id` was handled within the window. */
  has(id: string): boolean {
    return this.ids.has(id);
  }

  /** Records a handled id, evicting the oldest one past capacity. */
  add(id: string): void {
    if (this.capacity <= 0 || this.ids.has(id)) return;
    this.ids.add(id);
    if (this.ids.size > this.capacity) {
      // Sets iterate in insertion order: the first value is the oldest id.
      const oldest = this.ids.values().next().value as string;
      this.ids.delete(oldest);
    }
  }

  /** Number of ids currently remembered. */
  get size(): number {
    return this.ids.size;
  }
}
