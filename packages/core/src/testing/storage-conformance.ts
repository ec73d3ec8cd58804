import { afterEach, describe, expect, it } from 'vitest';
import { DharmaError } from '../errors/dharma-error.js';
import type { StatePart, Storage } from '../spec/storage.js';
import { makeAnomalyFinding, makeDeployment, makeHistoryRecord } from './fixtures.js';

/** How the conformance suite gets storages: `open()` makes one; `reopen()` reopens the same data after `close()`. */
export interface StorageConformanceHarness {
  /** Opens a fresh, empty storage. */
  open(): Promise<Storage>;
  /** Opens the data of `previous` again (after it was closed), as a restarted process would. */
  reopen(previous: Storage): Promise<Storage>;
}

async function* batchesOf(...batches: StatePart[][]): AsyncGenerator<StatePart[]> {
  for (const batch of batches) yield batch;
}

/** A chunked state value read whole: its head and `[id, value]` pairs in order. */
async function readParts(
  storage: Storage,
  key: string,
): Promise<{ head: unknown; parts: Array<[string, unknown]> } | undefined> {
  const stored = await storage.readStateParts!({ key });
  if (stored === undefined) return undefined;
  const parts: Array<[string, unknown]> = [];
  for await (const batch of stored.batches) for (const part of batch) parts.push([part.id, part.value]);
  return { head: stored.head, parts };
}

/**
 * The behaviour every {@link Storage} adapter must have. Call it inside a vitest test file:
 * `runStorageConformance('sqlite', harness)`. It registers its own `describe` block.
 */
export function runStorageConformance(name: string, harness: StorageConformanceHarness): void {
  describe(`Storage conformance: ${name}`, () => {
    const opened: Storage[] = [];
    const open = async () => {
      const storage = await harness.open();
      opened.push(storage);
      return storage;
    };
    afterEach(async () => {
      for (const storage of opened.splice(0)) await storage.close().catch(() => undefined);
    });

    it('declares specification v1 and reports ok health', async () => {
      const storage = await open();
      expect(storage.specificationVersion).toBe('v1');
      expect((await storage.health()).status).toBe('ok');
    });

    it('saves findings and queries them by resource, kind and time, in time order', async () => {
      const storage = await open();
      const base = Date.UTC(2026, 1, 1);
      const a = makeAnomalyFinding({ resource: 'db-1', timestamp: base + 3000 });
      const b = makeAnomalyFinding({ resource: 'db-1', timestamp: base + 1000 });
      const c = makeAnomalyFinding({ resource: 'web-9', timestamp: base + 2000 });
      const forecast = {
        ...makeAnomalyFinding({ resource: 'db-1', timestamp: base + 4000 }),
        kind: 'forecast' as const,
        threshold: 100,
        level: 0.9,
        horizon: 48,
        exhaustionAt: base + 99_000,
      };
      await storage.saveFindings({ findings: [a, b, c, forecast] });
      const forDb = await storage.queryFindings({ resource: 'db-1' });
      expect(forDb.map((finding) => finding.id)).toEqual([b.id, a.id, forecast.id]);
      expect(await storage.queryFindings({ resource: 'db-1', kind: 'forecast' })).toEqual([forecast]);
      const window = await storage.queryFindings({ from: base + 1500, to: base + 3500 });
      expect(window.map((finding) => finding.id)).toEqual([c.id, a.id]);
      expect((await storage.queryFindings({ resource: 'db-1', limit: 2 })).map((finding) => finding.id)).toEqual([
        a.id,
        forecast.id,
      ]);
      expect(await storage.queryFindings({ resource: 'nobody' })).toEqual([]);
    });

    it('replaces a finding saved twice with the same id', async () => {
      const storage = await open();
      const finding = makeAnomalyFinding();
      await storage.saveFindings({ findings: [finding] });
      await storage.saveFindings({ findings: [{ ...finding, summary: 'updated' }] });
      const found = await storage.queryFindings({ resource: finding.resource });
      expect(found).toHaveLength(1);
      expect(found[0]!.summary).toBe('updated');
    });

    it('appends series points and reads ranges in time order, last write wins per timestamp', async () => {
      const storage = await open();
      await storage.appendPoints({
        points: [3, 1, 2, 5, 4].map((index) => ({ series: 'web-1/cpu', timestamp: index * 60_000, value: index / 10 })),
      });
      await storage.appendPoints({
        points: [
          { series: 'web-1/cpu', timestamp: 2 * 60_000, value: 0.99 },
          { series: 'web-1/mem', timestamp: 0, value: 1 },
        ],
      });
      const all = await storage.rangePoints({ series: 'web-1/cpu' });
      expect(all.map((point) => point.timestamp)).toEqual([1, 2, 3, 4, 5].map((index) => index * 60_000));
      expect(all[1]!.value).toBeCloseTo(0.99);
      const middle = await storage.rangePoints({ series: 'web-1/cpu', from: 2 * 60_000, to: 4 * 60_000 });
      expect(middle.map((point) => point.value)).toEqual([0.99, 0.3]);
      const lastTwo = await storage.rangePoints({ series: 'web-1/cpu', limit: 2 });
      expect(lastTwo.map((point) => point.timestamp)).toEqual([4 * 60_000, 5 * 60_000]);
      expect(await storage.rangePoints({ series: 'nothing/here' })).toEqual([]);
    });

    it('keeps the remediation history append-only and in sequence', async () => {
      const storage = await open();
      for (let seq = 1; seq <= 4; seq++) {
        await storage.appendHistory({
          record: makeHistoryRecord(seq, {
            resource: seq % 2 ? 'web-1' : 'db-1',
            outcome: seq === 4 ? 'succeeded' : undefined,
          }),
        });
      }
      await expect(storage.appendHistory({ record: makeHistoryRecord(4) })).rejects.toSatisfy(DharmaError.isInstance);
      await expect(storage.appendHistory({ record: makeHistoryRecord(9) })).rejects.toSatisfy(DharmaError.isInstance);
      const all = await storage.readHistory({});
      expect(all.map((record) => record.seq)).toEqual([1, 2, 3, 4]);
      expect(all[2]).toEqual(makeHistoryRecord(3, { resource: 'web-1' }));
      expect((await storage.readHistory({ resource: 'db-1' })).map((record) => record.seq)).toEqual([2, 4]);
      expect((await storage.readHistory({ outcome: 'succeeded' })).map((record) => record.seq)).toEqual([4]);
      expect((await storage.readHistory({ afterSeq: 2, limit: 1 })).map((record) => record.seq)).toEqual([3]);
      expect((await storage.readHistory({ remediationId: 'remediation-1' })).map((record) => record.seq)).toEqual([
        1, 2,
      ]);
    });

    it('pages the history from the newest end with latest and beforeSeq, reading only the page', async () => {
      const storage = await open();
      for (let seq = 1; seq <= 7; seq++)
        await storage.appendHistory({ record: makeHistoryRecord(seq, { resource: seq % 2 ? 'web-1' : 'db-1' }) });
      const seqs = (records: { seq: number }[]) => records.map((record) => record.seq);
      expect(seqs(await storage.readHistory({ latest: true, limit: 3 }))).toEqual([5, 6, 7]);
      expect(seqs(await storage.readHistory({ latest: true, limit: 3, beforeSeq: 5 }))).toEqual([2, 3, 4]);
      expect(seqs(await storage.readHistory({ latest: true, limit: 3, beforeSeq: 2 }))).toEqual([1]);
      expect(seqs(await storage.readHistory({ latest: true, limit: 2, resource: 'web-1' }))).toEqual([5, 7]);
      expect(seqs(await storage.readHistory({ beforeSeq: 3 }))).toEqual([1, 2]);
      expect(seqs(await storage.readHistory({ limit: 2 }))).toEqual([1, 2]);
      await expect(storage.readHistory({ limit: -1 })).rejects.toSatisfy(DharmaError.isInstance);
      await expect(storage.readHistory({ beforeSeq: Number.NaN })).rejects.toSatisfy(DharmaError.isInstance);
    });

    it('stores, lists, replaces and deletes inventory resources', async () => {
      const storage = await open();
      await storage.putResource({ resource: makeDeployment('api', 2) });
      await storage.putResource({
        resource: {
          type: 'infrastructure',
          id: 'vpc-1',
          name: 'main vpc',
          labels: {},
          status: 'running',
          provider: 'local',
          spec: { cidr: '10.0.0.0/16' },
        },
      });
      await storage.putResource({ resource: makeDeployment('api', 5) });
      expect(await storage.getResource({ id: 'api' })).toMatchObject({ type: 'deployment', replicas: 5 });
      expect((await storage.listResources({})).map((resource) => resource.id)).toEqual(['api', 'vpc-1']);
      expect((await storage.listResources({ type: 'infrastructure' }))[0]).toMatchObject({
        spec: { cidr: '10.0.0.0/16' },
      });
      expect(await storage.deleteResource({ id: 'api' })).toBe(true);
      expect(await storage.deleteResource({ id: 'api' })).toBe(false);
      expect(await storage.getResource({ id: 'api' })).toBeUndefined();
    });

    it('round-trips JSON state values and replaces them', async () => {
      const storage = await open();
      const state = {
        version: 1,
        series: { 'web-1/cpu': { mean: 0.5, count: 1200, window: [1, 2.5, -3] } },
        flag: true,
        none: null,
      };
      await storage.putState({ key: 'analyzer:anomaly', value: state });
      expect(await storage.getState({ key: 'analyzer:anomaly' })).toEqual(state);
      await storage.putState({ key: 'analyzer:anomaly', value: { version: 2 } });
      expect(await storage.getState({ key: 'analyzer:anomaly' })).toEqual({ version: 2 });
      expect(await storage.getState({ key: 'missing' })).toBeUndefined();
    });

    it('keeps everything across close and reopen', async () => {
      const storage = await open();
      const finding = makeAnomalyFinding({ resource: 'persist-1' });
      await storage.saveFindings({ findings: [finding] });
      await storage.appendPoints({ points: [{ series: 'persist-1/cpu', timestamp: 1000, value: 0.5 }] });
      await storage.appendHistory({ record: makeHistoryRecord(1) });
      await storage.putResource({ resource: makeDeployment('persist-api') });
      await storage.putState({ key: 'analyzer:x', value: { learned: [1, 2, 3] } });
      await storage.close();
      opened.splice(opened.indexOf(storage), 1);
      const reopened = await harness.reopen(storage);
      opened.push(reopened);
      expect(await reopened.queryFindings({ resource: 'persist-1' })).toEqual([finding]);
      expect(await reopened.rangePoints({ series: 'persist-1/cpu' })).toEqual([
        { series: 'persist-1/cpu', timestamp: 1000, value: 0.5 },
      ]);
      expect((await reopened.readHistory({})).map((record) => record.seq)).toEqual([1]);
      await reopened.appendHistory({ record: makeHistoryRecord(2) });
      expect(await reopened.getResource({ id: 'persist-api' })).toMatchObject({ replicas: 2 });
      expect(await reopened.getState({ key: 'analyzer:x' })).toEqual({ learned: [1, 2, 3] });
    });

    it('writes chunked state in batches, reads it back in id order, and applies incremental writes', async () => {
      const storage = await open();
      if (!storage.writeStateParts || !storage.readStateParts) {
        // Both or neither: the engine needs to read back what it writes.
        expect(storage.writeStateParts).toBeUndefined();
        expect(storage.readStateParts).toBeUndefined();
        return;
      }
      expect(await storage.readStateParts({ key: 'analyzer:parts' })).toBeUndefined();
      const first = await storage.writeStateParts({
        key: 'analyzer:parts',
        head: { version: 1, strategy: 'ensemble' },
        replace: true,
        batches: batchesOf(
          [
            { id: 'b', value: { mean: 1 } },
            { id: 'a/1', value: [1, 2] },
          ],
          [
            { id: 'B', value: 'x' },
            { id: 'a%2F', value: 0 },
            { id: 'a', value: true },
          ],
        ),
      });
      expect(first.parts).toBe(5);
      expect(await readParts(storage, 'analyzer:parts')).toEqual({
        head: { version: 1, strategy: 'ensemble' },
        parts: [
          ['B', 'x'],
          ['a', true],
          ['a%2F', 0],
          ['a/1', [1, 2]],
          ['b', { mean: 1 }],
        ],
      });
      // Incremental: changed parts replace theirs, null deletes, parts not written stay.
      const second = await storage.writeStateParts({
        key: 'analyzer:parts',
        head: { version: 1, strategy: 'ensemble', note: 2 },
        replace: false,
        batches: batchesOf(
          [
            { id: 'b', value: { mean: 2 } },
            { id: 'a', value: null },
          ],
          [
            { id: 'c', value: 3 },
            { id: 'c', value: 4 },
          ],
        ),
      });
      expect(second.version).toBeGreaterThan(first.version);
      expect(await readParts(storage, 'analyzer:parts')).toEqual({
        head: { version: 1, strategy: 'ensemble', note: 2 },
        parts: [
          ['B', 'x'],
          ['a%2F', 0],
          ['a/1', [1, 2]],
          ['b', { mean: 2 }],
          ['c', 4],
        ],
      });
      // Replace: only the new parts remain.
      await storage.writeStateParts({
        key: 'analyzer:parts',
        head: null,
        replace: true,
        batches: [[{ id: 'z', value: 26 }]],
      });
      expect(await readParts(storage, 'analyzer:parts')).toEqual({ head: null, parts: [['z', 26]] });
    });

    it('reads chunked state in batches of batchSize and replaces a plain value of the same key', async () => {
      const storage = await open();
      if (!storage.writeStateParts || !storage.readStateParts) return;
      await storage.putState({ key: 'analyzer:old', value: { version: 1, series: { one: 1 } } });
      const parts = Array.from({ length: 25 }, (_, index) => ({
        id: `series-${String(index).padStart(2, '0')}`,
        value: index,
      }));
      await storage.writeStateParts({
        key: 'analyzer:old',
        head: { version: 1 },
        replace: true,
        batches: [parts.slice(0, 7), parts.slice(7)],
      });
      expect(await storage.getState({ key: 'analyzer:old' })).toBeUndefined();
      const stored = await storage.readStateParts({ key: 'analyzer:old', batchSize: 10 });
      const sizes: number[] = [];
      const ids: string[] = [];
      for await (const batch of stored!.batches) {
        sizes.push(batch.length);
        ids.push(...batch.map((part) => part.id));
      }
      expect(sizes).toEqual([10, 10, 5]);
      expect(ids).toEqual(parts.map((part) => part.id));
      await expect(storage.readStateParts({ key: 'analyzer:old', batchSize: 0 })).rejects.toMatchObject({
        code: 'VALIDATION_ERROR',
      });
    });

    it('leaves the previous chunked version when a write fails midway or has an invalid part', async () => {
      const storage = await open();
      if (!storage.writeStateParts || !storage.readStateParts) return;
      await storage.writeStateParts({
        key: 'analyzer:safe',
        head: { version: 1 },
        replace: true,
        batches: [
          [
            { id: 'a', value: 1 },
            { id: 'b', value: 2 },
          ],
        ],
      });
      const before = await readParts(storage, 'analyzer:safe');
      async function* failing(): AsyncGenerator<{ id: string; value: unknown }[]> {
        yield [
          { id: 'a', value: 10 },
          { id: 'c', value: 30 },
        ];
        throw new Error('the analyzer failed while serialising');
      }
      await expect(
        storage.writeStateParts({ key: 'analyzer:safe', head: { version: 2 }, replace: true, batches: failing() }),
      ).rejects.toThrow('serialising');
      expect(await readParts(storage, 'analyzer:safe')).toEqual(before);
      await expect(
        storage.writeStateParts({
          key: 'analyzer:safe',
          head: { version: 2 },
          replace: false,
          batches: [[{ id: 'a', value: 10 }], [{ id: '', value: 1 }]],
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      await expect(
        storage.writeStateParts({
          key: 'analyzer:safe',
          head: { version: 2 },
          replace: false,
          batches: [[{ id: 'a', value: undefined }]],
        }),
      ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
      expect(await readParts(storage, 'analyzer:safe')).toEqual(before);
      // The next write after the failures commits normally.
      await storage.writeStateParts({
        key: 'analyzer:safe',
        head: { version: 3 },
        replace: false,
        batches: [[{ id: 'c', value: 3 }]],
      });
      expect(await readParts(storage, 'analyzer:safe')).toEqual({
        head: { version: 3 },
        parts: [
          ['a', 1],
          ['b', 2],
          ['c', 3],
        ],
      });
    });

    it('refuses a second concurrent write of the same chunked key', async () => {
      const storage = await open();
      if (!storage.writeStateParts || !storage.readStateParts) return;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let started!: () => void;
      const startedWriting = new Promise<void>((resolve) => (started = resolve));
      async function* slow(): AsyncGenerator<{ id: string; value: unknown }[]> {
        yield [{ id: 'a', value: 1 }];
        started();
        await gate;
        yield [{ id: 'b', value: 2 }];
      }
      const first = storage.writeStateParts({ key: 'analyzer:one-writer', head: 1, replace: true, batches: slow() });
      await startedWriting;
      await expect(
        storage.writeStateParts({
          key: 'analyzer:one-writer',
          head: 2,
          replace: true,
          batches: [[{ id: 'x', value: 0 }]],
        }),
      ).rejects.toSatisfy(DharmaError.isInstance);
      release();
      await first;
      expect(await readParts(storage, 'analyzer:one-writer')).toEqual({
        head: 1,
        parts: [
          ['a', 1],
          ['b', 2],
        ],
      });
    });

    it('keeps chunked state across close and reopen', async () => {
      const storage = await open();
      if (!storage.writeStateParts || !storage.readStateParts) return;
      await storage.writeStateParts({
        key: 'analyzer:kept',
        head: { version: 1 },
        replace: true,
        batches: [
          [
            { id: 'a', value: 1 },
            { id: 'b', value: 2 },
          ],
        ],
      });
      await storage.writeStateParts({
        key: 'analyzer:kept',
        head: { version: 1 },
        replace: false,
        batches: [
          [
            { id: 'b', value: null },
            { id: 'c', value: 3 },
          ],
        ],
      });
      await storage.close();
      opened.splice(opened.indexOf(storage), 1);
      const reopened = await harness.reopen(storage);
      opened.push(reopened);
      expect(await readParts(reopened, 'analyzer:kept')).toEqual({
        head: { version: 1 },
        parts: [
          ['a', 1],
          ['c', 3],
        ],
      });
    });

    it('refuses calls after close with a typed error', async () => {
      const storage = await open();
      await storage.close();
      await expect(storage.queryFindings({})).rejects.toSatisfy(DharmaError.isInstance);
    });

    it('honours an aborted signal', async () => {
      const storage = await open();
      const controller = new AbortController();
      controller.abort(new Error('stop'));
      await expect(storage.queryFindings({ signal: controller.signal })).rejects.toThrow();
    });
  });
}
