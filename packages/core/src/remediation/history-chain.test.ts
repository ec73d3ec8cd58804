import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory-storage.js';
import { ManualClock } from '../testing/manual-clock.js';
import { canonicalJson } from './canonical-json.js';
import { generateHistorySigningKeys } from './history-crypto.js';
import { createRecordingPlugin } from './remediation-test-kit.js';
import { createRemediator } from './remediator.js';
import type { RemediatorOptions } from './remediator-types.js';

async function withHistory(options: Partial<RemediatorOptions> = {}) {
  const storage = new MemoryStorage();
  const remediator = createRemediator({
    storage,
    clock: new ManualClock(),
    plugins: [createRecordingPlugin({ fix: {} })],
    guards: { cooldown: { resourceMs: 0, actionMs: 0 } },
    ...options,
  });
  for (const resourceId of ['a', 'b', 'c'])
    await remediator.execute({ action: { plugin: 'test', action: 'fix', params: {} }, resourceId });
  return { storage, remediator, history: storage.store.history };
}

describe('hash-chained remediation history', () => {
  it('canonical JSON ignores key order and undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, undefined], c: 'x' }, e: undefined })).toBe(
      '{"a":{"c":"x","d":[1,null]},"b":1}',
    );
  });

  it('chains every record to the previous one and verifies intact', async () => {
    const { remediator, history } = await withHistory();
    expect(history).toHaveLength(15);
    expect(history[0]!.prevHash).toBe('');
    for (let index = 1; index < history.length; index++)
      expect(history[index]!.prevHash).toBe(history[index - 1]!.hash);
    expect(history.every((record) => /^[0-9a-f]{64}$/.test(record.hash))).toBe(true);
    expect(await remediator.verifyHistory()).toEqual({ ok: true });
  });

  it('detects an edited record', async () => {
    const { remediator, history } = await withHistory();
    history[4]!.data = { ...history[4]!.data, ok: false };
    expect(await remediator.verifyHistory()).toMatchObject({
      ok: false,
      brokenAt: 5,
      reason: expect.stringContaining('edited'),
    });
  });

  it('detects an edited record whose hash was recomputed (the next link breaks)', async () => {
    const { remediator, history } = await withHistory();
    const { hashHistoryRecord } = await import('./verify-history-records.js');
    history[4]!.resource = 'someone-else';
    history[4]!.hash = await hashHistoryRecord(history[4]!);
    expect(await remediator.verifyHistory()).toMatchObject({ ok: false, brokenAt: 6 });
  });

  it('detects a removed record, in the middle and at the end', async () => {
    const middle = await withHistory();
    middle.history.splice(7, 1);
    expect(await middle.remediator.verifyHistory()).toMatchObject({ ok: false, brokenAt: 8 });
    const end = await withHistory();
    end.history.pop();
    expect(await end.remediator.verifyHistory()).toMatchObject({
      ok: false,
      brokenAt: 15,
      reason: expect.stringContaining('missing at the end'),
    });
  });

  it('detects reordered records, even with their seq numbers swapped back', async () => {
    const { remediator, history } = await withHistory();
    [history[2], history[3]] = [history[3]!, history[2]!];
    expect(await remediator.verifyHistory()).toMatchObject({ ok: false, brokenAt: 3 });
    const swapped = await withHistory();
    const [x, y] = [swapped.history[2]!, swapped.history[3]!];
    [swapped.history[2], swapped.history[3]] = [
      { ...y, seq: 3 },
      { ...x, seq: 4 },
    ];
    expect(await swapped.remediator.verifyHistory()).toMatchObject({ ok: false, brokenAt: 3 });
  });

  it('signs records with Ed25519 and rejects a forged signature', async () => {
    const signing = await generateHistorySigningKeys();
    const { remediator, history } = await withHistory({ signing });
    expect(history.every((record) => typeof record.signature === 'string')).toBe(true);
    expect(await remediator.verifyHistory()).toEqual({ ok: true });
    const other = await generateHistorySigningKeys();
    const forged = createRemediator({
      storage: new MemoryStorage({ store: { ...new MemoryStorage().store, history } }),
      signing: other,
    });
    expect(await forged.verifyHistory()).toMatchObject({
      ok: false,
      brokenAt: 1,
      reason: expect.stringContaining('signature'),
    });
  });

  it('continues the chain of an existing history after a restart', async () => {
    const { storage } = await withHistory();
    const restarted = createRemediator({
      storage,
      clock: new ManualClock(),
      plugins: [createRecordingPlugin({ fix: {} })],
    });
    await restarted.execute({ action: { plugin: 'test', action: 'fix', params: {} }, resourceId: 'z' });
    expect(storage.store.history.at(-1)!.seq).toBe(20);
    expect(await restarted.verifyHistory()).toEqual({ ok: true });
    expect((await restarted.history({ resource: 'z', outcome: 'succeeded' })).map((record) => record.type)).toEqual([
      'outcome',
    ]);
  });
});
