import { AnomalyDetector } from '../anomaly/anomaly-detector.js';
import { Engine } from '../engine/engine.js';
import type { StatePart, StatePartsWrite, Storage } from '../spec/storage.js';

/** Options of {@link runSnapshotCrasher}. */
export interface SnapshotCrasherOptions {
  /** Number of series the engine learns. */
  series: number;
  /**
   * `midway`: the second save stops after two batches of parts are written and waits forever (to be killed);
   * `close`: the second save is `engine.close()`, which the parent kills at any moment.
   */
  mode: 'midway' | 'close';
  /** Receives the detector's state before the second save: `previous` (saved completely), `next` (in `close` mode). */
  saveState(which: 'previous' | 'next', json: string): void;
  /** Told `midway`, `closing` and `closed` as the child reaches them (write them to stdout for the parent). */
  signal(event: 'midway' | 'closing' | 'closed'): void;
}

/**
 * The body of a child process for a storage adapter's kill -9 snapshot test: an engine on `storage` learns
 * `series` series, saves a complete snapshot, learns one more sample per series, then saves again as `mode`
 * says. The parent kills the child and checks that a restore gives either the previous or the next state.
 * Needs `storage.writeStateParts` (chunked snapshots).
 */
export async function runSnapshotCrasher(storage: Storage, options: SnapshotCrasherOptions): Promise<void> {
  const { series, mode, saveState, signal } = options;
  const detector = new AnomalyDetector();
  const engine = await new Engine({ storage, analyzers: [detector], persistSamples: false }).start();
  const step = (index: number) =>
    Array.from({ length: series }, (_, row) => ({
      resource: `host-${row}`,
      metric: 'cpu',
      timestamp: 60_000 * (index + 1),
      value: 40 + ((row * 7 + index * 13) % 20),
    }));
  for (let index = 0; index < 4; index += 1) await engine.ingest(step(index));
  await engine.snapshot();
  saveState('previous', JSON.stringify(detector.snapshot()));
  await engine.ingest(step(4));

  if (mode === 'midway') {
    const write = storage.writeStateParts?.bind(storage);
    if (!write) throw new TypeError('runSnapshotCrasher needs a storage with writeStateParts');
    storage.writeStateParts = (request: StatePartsWrite) => {
      async function* stopAfterTwo(): AsyncGenerator<readonly StatePart[]> {
        let batches = 0;
        for await (const batch of request.batches) {
          if (batches === 2) {
            signal('midway');
            await new Promise(() => undefined); // wait here to be killed
          }
          batches += 1;
          yield batch;
        }
      }
      return write({ ...request, batches: stopAfterTwo() });
    };
    await engine.snapshot();
  } else {
    saveState('next', JSON.stringify(detector.snapshot()));
    signal('closing');
    await engine.close();
    signal('closed');
  }
}
