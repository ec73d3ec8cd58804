import { afterEach, describe, expect, it } from 'vitest';
import { DharmaError } from '../errors/dharma-error.js';
import type { Storage } from '../spec/storage.js';
import { makeAnomalyFinding, makeDeployment, makeHistoryRecord } from './fixtures.js';

/** How the conformance suite gets storages: `open()` makes one; `reopen()` reopens the same data after `close()`. */
export interface StorageConformanceHarness {
  /** Opens a fresh, empty storage. */
  open(): Promise<Storage>;
  /** Opens the data of `previous` again (after it was closed), as a restarted process would. */
  reopen(previous: Storage): Promise<Storage>;
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
      const forecast = { ...makeAnomalyFinding({ resource: 'db-1', timestamp: base + 4000 }), kind: 'forecast' as const, threshold: 100, level: 0.9, horizon: 48, exhaustionAt: base + 99_000 };
      await storage.saveFindings({ findings: [a, b, c, forecast] });
      const forDb = await storage.queryFindings({ resource: 'db-1' });
      expect(forDb.map((finding) => finding.id)).toEqual([b.id, a.id, forecast.id]);
      expect(await storage.queryFindings({ resource: 'db-1', kind: 'forecast' })).toEqual([forecast]);
      const window = await storage.queryFindings({ from: base + 1500, to: base + 3500 });
      expect(window.map((finding) => finding.id)).toEqual([c.id, a.id]);
      expect((await storage.queryFindings({ resource: 'db-1', limit: 2 })).map((finding) => finding.id)).toEqual([a.id, forecast.id]);
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
      await storage.appendPoints({ points: [3, 1, 2, 5, 4].map((index) => ({ series: 'web-1/cpu', timestamp: index * 60_000, value: index / 10 })) });
      await storage.appendPoints({ points: [{ series: 'web-1/cpu', timestamp: 2 * 60_000, value: 0.99 }, { series: 'web-1/mem', timestamp: 0, value: 1 }] });
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
        await storage.appendHistory({ record: makeHistoryRecord(seq, { resource: seq % 2 ? 'web-1' : 'db-1', outcome: seq === 4 ? 'succeeded' : undefined }) });
      }
      await expect(storage.appendHistory({ record: makeHistoryRecord(4) })).rejects.toSatisfy(DharmaError.isInstance);
      await expect(storage.appendHistory({ record: makeHistoryRecord(9) })).rejects.toSatisfy(DharmaError.isInstance);
      const all = await storage.readHistory({});
      expect(all.map((record) => record.seq)).toEqual([1, 2, 3, 4]);
      expect(all[2]).toEqual(makeHistoryRecord(3, { resource: 'web-1' }));
      expect((await storage.readHistory({ resource: 'db-1' })).map((record) => record.seq)).toEqual([2, 4]);
      expect((await storage.readHistory({ outcome: 'succeeded' })).map((record) => record.seq)).toEqual([4]);
      expect((await storage.readHistory({ afterSeq: 2, limit: 1 })).map((record) => record.seq)).toEqual([3]);
      expect((await storage.readHistory({ remediationId: 'remediation-1' })).map((record) => record.seq)).toEqual([1, 2]);
    });

    it('pages the history from the newest end with latest and beforeSeq, reading only the page', async () => {
      const storage = await open();
      for (let seq = 1; seq <= 7; seq++) await storage.appendHistory({ record: makeHistoryRecord(seq, { resource: seq % 2 ? 'web-1' : 'db-1' }) });
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
      await storage.putResource({ resource: { type: 'infrastructure', id: 'vpc-1', name: 'main vpc', labels: {}, status: 'running', provider: 'local', spec: { cidr: '10.0.0.0/16' } } });
      await storage.putResource({ resource: makeDeployment('api', 5) });
      expect(await storage.getResource({ id: 'api' })).toMatchObject({ type: 'deployment', replicas: 5 });
      expect((await storage.listResources({})).map((resource) => resource.id)).toEqual(['api', 'vpc-1']);
      expect((await storage.listResources({ type: 'infrastructure' }))[0]).toMatchObject({ spec: { cidr: '10.0.0.0/16' } });
      expect(await storage.deleteResource({ id: 'api' })).toBe(true);
      expect(await storage.deleteResource({ id: 'api' })).toBe(false);
      expect(await storage.getResource({ id: 'api' })).toBeUndefined();
    });

    it('round-trips JSON state values and replaces them', async () => {
      const storage = await open();
      const state = { version: 1, series: { 'web-1/cpu': { mean: 0.5, count: 1200, window: [1, 2.5, -3] } }, flag: true, none: null };
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
      expect(await reopened.rangePoints({ series: 'persist-1/cpu' })).toEqual([{ series: 'persist-1/cpu', timestamp: 1000, value: 0.5 }]);
      expect((await reopened.readHistory({})).map((record) => record.seq)).toEqual([1]);
      await reopened.appendHistory({ record: makeHistoryRecord(2) });
      expect(await reopened.getResource({ id: 'persist-api' })).toMatchObject({ replicas: 2 });
      expect(await reopened.getState({ key: 'analyzer:x' })).toEqual({ learned: [1, 2, 3] });
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
