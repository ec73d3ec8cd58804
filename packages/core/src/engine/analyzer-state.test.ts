import { describe, expect, it } from 'vitest';
import { AnomalyDetector } from '../anomaly/anomaly-detector.js';
import type { StatePartsWrite, StatePartsWriteResult } from '../spec/storage.js';
import { MemoryStorage, createMemoryStore, type MemoryStore } from '../storage/memory-storage.js';
import { createEngine } from './engine.js';

const SERIES = 2000;

/** Counts the parts of every chunked write. */
class CountingStorage extends MemoryStorage {
  readonly writes: Array<{ replace: boolean; parts: number }> = [];
  override async writeStateParts(write: StatePartsWrite): Promise<StatePartsWriteResult> {
    const result = await super.writeStateParts(write);
    this.writes.push({ replace: write.replace, parts: result.parts });
    return result;
  }
}

function samples(series: number, step: number, from = 0) {
  return Array.from({ length: series }, (_, index) => ({
    resource: `host-${from + index}`,
    metric: 'cpu',
    timestamp: 60_000 * (step + 1),
    value: 40 + ((index * 7 + step * 13) % 20),
  }));
}

/** Bytes of the largest value the store holds for analyzer state (plain values and chunked parts). */
function largestStateValue(store: MemoryStore): number {
  let largest = 0;
  for (const text of store.state.values()) largest = Math.max(largest, text.length);
  for (const stored of store.stateParts?.values() ?? []) {
    largest = Math.max(largest, stored.head.length);
    for (const text of stored.parts.values()) largest = Math.max(largest, text.length);
  }
  return largest;
}

describe('Engine analyzer state at scale', () => {
  it('saves one bounded part per series, then only the series changed since the last snapshot', async () => {
    const store = createMemoryStore();
    const storage = new CountingStorage({ store });
    const detector = new AnomalyDetector();
    const engine = await createEngine({ storage, analyzers: [detector], persistSamples: false }).start();
    for (let step = 0; step < 8; step += 1) await engine.ingest(samples(SERIES, step));
    await engine.snapshot();
    // One series' state is a few kB; a single value holding every series would be thousands of times that.
    expect(largestStateValue(store)).toBeLessThan(8 * 1024);
    expect(store.stateParts?.get('analyzer:anomaly')?.parts.size).toBe(SERIES);
    expect(storage.writes).toEqual([{ replace: true, parts: SERIES }]);

    await engine.snapshot(); // nothing changed: nothing written
    expect(storage.writes).toHaveLength(1);
    await engine.ingest(samples(30, 8, 100));
    detector.forget('host-5/cpu');
    const expected = detector.snapshot();
    await engine.close();
    expect(storage.writes[1]).toEqual({ replace: false, parts: 31 });

    const restored = new AnomalyDetector();
    await createEngine({ storage: new MemoryStorage({ store }), analyzers: [restored] }).start();
    expect(restored.stats().series).toBe(SERIES - 1);
    expect(restored.snapshot()).toEqual(expected);
  });

  it('restores a single-value snapshot saved by an earlier version, then replaces it with parts', async () => {
    const store = createMemoryStore();
    const old = new AnomalyDetector();
    for (let step = 0; step < 5; step += 1)
      for (const sample of samples(50, step)) old.score(`${sample.resource}/cpu`, sample.timestamp, sample.value);
    await new MemoryStorage({ store }).putState({ key: 'analyzer:anomaly', value: old.snapshot() });

    const storage = new CountingStorage({ store });
    const detector = new AnomalyDetector();
    const engine = await createEngine({ storage, analyzers: [detector] }).start();
    expect(detector.snapshot()).toEqual(old.snapshot());
    await engine.close();
    // The first chunked save is a full one, and it drops the old single value.
    expect(storage.writes).toEqual([{ replace: true, parts: 50 }]);
    expect(store.state.has('analyzer:anomaly')).toBe(false);
    const again = new AnomalyDetector();
    await createEngine({ storage: new MemoryStorage({ store }), analyzers: [again] }).start();
    expect(again.snapshot()).toEqual(old.snapshot());
  });

  it('saves in full again after a failed save', async () => {
    const store = createMemoryStore();
    const storage = new CountingStorage({ store });
    const detector = new AnomalyDetector();
    const engine = await createEngine({ storage, analyzers: [detector], persistSamples: false }).start();
    await engine.ingest(samples(20, 0));
    await engine.snapshot();
    await engine.ingest(samples(5, 1));
    const write = storage.writeStateParts.bind(storage);
    storage.writeStateParts = () => Promise.reject(new Error('disk full'));
    await expect(engine.snapshot()).rejects.toThrow('disk full');
    storage.writeStateParts = write;
    await engine.ingest(samples(1, 2, 10));
    await engine.snapshot();
    expect(storage.writes.at(-1)).toEqual({ replace: true, parts: 20 });
  });
});
