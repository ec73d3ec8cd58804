import type { Analyzer } from '../spec/analyzer.js';
import type { StatePart, Storage } from '../spec/storage.js';

/** Parts per batch written by a chunked snapshot (one storage transaction each). */
const PARTS_PER_BATCH = 1000;

/** Lets timers and I/O run between batches, so a long snapshot does not hold the event loop. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function take(iterator: Iterator<StatePart>, count: number): StatePart[] {
  const batch: StatePart[] = [];
  while (batch.length < count) {
    const next = iterator.next();
    if (next.done) break;
    batch.push(next.value);
  }
  return batch;
}

async function* batchesFrom(first: StatePart[], iterator: Iterator<StatePart>): AsyncGenerator<StatePart[]> {
  let batch = first;
  while (batch.length > 0) {
    yield batch;
    batch = take(iterator, PARTS_PER_BATCH);
    // Only between batches: a snapshot of one batch never waits on a timer (nor on a test's fake timers).
    if (batch.length > 0) await yieldToEventLoop();
  }
}

/**
 * Saves and restores the engine's analyzer state. With a storage that has `writeStateParts` and an analyzer
 * that has `snapshotParts`, state is written in bounded batches of parts, and only the parts changed since
 * the last saved snapshot once the stored state is known to match the analyzer's; otherwise as one value
 * (`putState`). Saves run one at a time.
 */
export class AnalyzerStateKeeper {
  /** Analyzers whose stored chunked state matches what they held at their last `snapshotParts` call. */
  private readonly synced = new Set<string>();
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly storage: Storage,
    private readonly prefix: string,
  ) {}

  /** Saves every analyzer's state (after any save in progress). */
  save(analyzers: Iterable<Analyzer>): Promise<void> {
    const run = this.running.then(() => this.saveAll(analyzers));
    this.running = run.catch(() => undefined);
    return run;
  }

  private async saveAll(analyzers: Iterable<Analyzer>): Promise<void> {
    for (const analyzer of analyzers) {
      const key = this.prefix + analyzer.name;
      if (analyzer.snapshotParts && this.storage.writeStateParts) {
        const full = !this.synced.has(analyzer.name);
        // Until this write commits, the stored state may differ from the analyzer's: a failure means a full save next time.
        this.synced.delete(analyzer.name);
        const { head, parts } = analyzer.snapshotParts({ full });
        const iterator = parts[Symbol.iterator]();
        const first = take(iterator, PARTS_PER_BATCH);
        if (full || first.length > 0) {
          await this.storage.writeStateParts({ key, head, replace: full, batches: batchesFrom(first, iterator) });
        }
        this.synced.add(analyzer.name);
      } else if (analyzer.snapshot) {
        await this.storage.putState({ key, value: analyzer.snapshot() });
      }
    }
  }

  /**
   * Restores one analyzer: its chunked state when the storage has one for it (streamed, one batch of parts
   * at a time), else a value saved with `putState` (including one written by an older version of the SDK).
   */
  async restore(analyzer: Analyzer): Promise<void> {
    const key = this.prefix + analyzer.name;
    if (analyzer.restoreParts && this.storage.readStateParts) {
      const stored = await this.storage.readStateParts({ key, batchSize: PARTS_PER_BATCH });
      if (stored !== undefined) {
        const accept = analyzer.restoreParts(stored.head);
        if (accept === undefined) return;
        for await (const batch of stored.batches) for (const part of batch) accept(part);
        this.synced.add(analyzer.name);
        return;
      }
    }
    if (!analyzer.restore) return;
    const state = await this.storage.getState({ key });
    if (state !== undefined) analyzer.restore(state);
  }
}
