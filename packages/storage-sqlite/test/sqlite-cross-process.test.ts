import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { StorageError } from '@iac-dharma/core';
import { makeHistoryRecord } from '@iac-dharma/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../src/index.js';

const run = promisify(execFile);
const writer = fileURLToPath(new URL('./fixtures/sqlite-writer.ts', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'dharma-sqlite-process-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Runs the writer in a real child Node process (TypeScript through tsx, workspace packages from source). */
async function writeFromChild(path: string, firstSeq: number): Promise<void> {
  const { stdout } = await run(
    process.execPath,
    ['--conditions=@iac-dharma/source', '--import', 'tsx', writer, path, String(firstSeq)],
    { timeout: 30_000 },
  );
  expect(stdout.trim()).toBe('written');
}

describe('SqliteStorage across processes', () => {
  it('reads what another process wrote, and both append to one history chain', async () => {
    const path = join(directory, 'shared.db');
    await writeFromChild(path, 1);

    // This process opens the file while it is closed by the child, then keeps it open while a second child writes.
    const storage = createSqliteStorage({ path });
    try {
      expect((await storage.queryFindings({ resource: 'child' })).map((finding) => finding.id)).toEqual([
        'child-finding-1',
      ]);
      expect(await storage.rangePoints({ series: 'child/cpu' })).toEqual([
        { series: 'child/cpu', timestamp: 1000, value: 1 },
      ]);
      expect(await storage.getState({ key: 'child' })).toMatchObject({ seq: 1 });
      await storage.appendHistory({ record: makeHistoryRecord(2) });

      await writeFromChild(path, 3);
      expect((await storage.readHistory({})).map((record) => record.id)).toEqual(['child-1', 'record-2', 'child-3']);
      expect((await storage.queryFindings({ resource: 'child' })).map((finding) => finding.id)).toEqual([
        'child-finding-1',
        'child-finding-3',
      ]);
      // The child took seq 3: this process's stale idea of the next seq is refused, not duplicated.
      await expect(storage.appendHistory({ record: makeHistoryRecord(3) })).rejects.toBeInstanceOf(StorageError);
    } finally {
      await storage.close();
    }
  });

  it('a child that appends out of sequence fails and leaves the chain intact', async () => {
    const path = join(directory, 'gap.db');
    await writeFromChild(path, 1);
    await expect(writeFromChild(path, 5)).rejects.toThrow(/5 given, 2 expected/);
    const storage = createSqliteStorage({ path });
    try {
      expect((await storage.readHistory({})).map((record) => record.seq)).toEqual([1]);
    } finally {
      await storage.close();
    }
  });
});
