import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DharmaError, StorageError, ValidationError, seriesKey, type Storage } from '@iac-dharma/core';
import { makeAnomalyFinding, makeHistoryRecord, runStorageConformance } from '@iac-dharma/core/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SQLITE_SCHEMA_VERSION, createSqliteStorage, type SqliteStorage } from './index.js';

const directory = mkdtempSync(join(tmpdir(), 'dharma-sqlite-'));
let files = 0;
const newPath = () => join(directory, `storage-${++files}.db`);
afterAll(() => rmSync(directory, { recursive: true, force: true }));

runStorageConformance('sqlite (file)', {
  open: async () => createSqliteStorage({ path: newPath() }),
  reopen: async (previous: Storage) => createSqliteStorage({ path: (previous as SqliteStorage).database.name }),
});

describe('SqliteStorage', () => {
  const opened: SqliteStorage[] = [];
  const open = (path = newPath()) => {
    const storage = createSqliteStorage({ path });
    opened.push(storage);
    return storage;
  };
  afterEach(async () => {
    for (const storage of opened.splice(0)) await storage.close();
  });

  it('uses WAL mode and records its schema version', async () => {
    const storage = open();
    const health = await storage.health();
    expect(health).toMatchObject({ status: 'ok', data: { journalMode: 'wal', schemaVersion: SQLITE_SCHEMA_VERSION } });
    const versions = storage.database.prepare('SELECT version FROM schema_version').all();
    expect(versions).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });

  it('works in memory', async () => {
    const storage = createSqliteStorage({ path: ':memory:' });
    opened.push(storage);
    await storage.putState({ key: 'k', value: [1, 'two'] });
    expect(await storage.getState({ key: 'k' })).toEqual([1, 'two']);
  });

  it('reopens an existing file without re-running migrations', async () => {
    const path = newPath();
    await open(path).close();
    const again = open(path);
    expect(again.database.prepare('SELECT COUNT(*) AS count FROM schema_version').get()).toEqual({
      count: SQLITE_SCHEMA_VERSION,
    });
  });

  it('migrates series keys written by the old resource/metric scheme (schema 1 → 2)', async () => {
    const path = newPath();
    const storage = open(path);
    // A store as schema 1 left it: keys built as `${resource}/${metric}`, where web/1 + cpu and web + 1/cpu collided.
    await storage.appendPoints({
      points: [
        { series: 'default/web-1/cpu', timestamp: 1000, value: 1 },
        { series: 'web-2/cpu', timestamp: 1000, value: 2 },
        { series: '50%/cpu', timestamp: 1000, value: 3 },
      ],
    });
    // (and without the tables of the later migrations)
    storage.database.exec(
      'DELETE FROM schema_version WHERE version >= 2; DROP TABLE state_heads; DROP TABLE state_parts;',
    );
    await storage.close();
    const migrated = open(path);
    expect(migrated.schemaVersion).toBe(SQLITE_SCHEMA_VERSION);
    expect(await migrated.rangePoints({ series: seriesKey({ resource: 'default/web-1', metric: 'cpu' }) })).toEqual([
      { series: 'default%2Fweb-1/cpu', timestamp: 1000, value: 1 },
    ]);
    expect(await migrated.rangePoints({ series: seriesKey({ resource: 'web-2', metric: 'cpu' }) })).toHaveLength(1);
    expect(await migrated.rangePoints({ series: seriesKey({ resource: '50%', metric: 'cpu' }) })).toHaveLength(1);
    expect(await migrated.rangePoints({ series: 'default/web-1/cpu' })).toEqual([]);
  });

  it('refuses a database written by a newer schema version', async () => {
    const path = newPath();
    const storage = open(path);
    storage.database.prepare('INSERT INTO schema_version (version, applied_at) VALUES (99, 0)').run();
    await storage.close();
    expect(() => createSqliteStorage({ path })).toThrow(/schema version 99/);
  });

  it('enforces the append-only history in the database itself', async () => {
    const storage = open();
    await storage.appendHistory({ record: makeHistoryRecord(1) });
    const raw = storage.database;
    expect(() => raw.prepare('UPDATE history SET resource = ? WHERE seq = 1').run('tampered')).toThrow(/append-only/);
    expect(() => raw.prepare('DELETE FROM history').run()).toThrow(/append-only/);
    expect(() =>
      raw
        .prepare(
          "INSERT INTO history (seq, id, timestamp, remediation_id, resource, body) VALUES (3, 'x', 0, 'r', 'w', '{}')",
        )
        .run(),
    ).toThrow(/exactly one more/);
    const error = await storage.appendHistory({ record: makeHistoryRecord(5) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).message).toContain('5 given, 2 expected');
    expect((await storage.readHistory({})).map((record) => record.seq)).toEqual([1]);
  });

  it('rejects invalid input with a ValidationError naming the field, and writes nothing of the batch', async () => {
    const storage = open();
    const good = makeAnomalyFinding({ resource: 'batch' });
    const error = await storage
      .saveFindings({ findings: [good, { ...makeAnomalyFinding(), score: 7 }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('findings.1.score');
    expect(await storage.queryFindings({ resource: 'batch' })).toEqual([]);
    await expect(storage.appendPoints({ points: [{ series: 's', timestamp: 1, value: Number.NaN }] })).rejects.toThrow(
      /points\.0\.value/,
    );
    await expect(storage.queryFindings({ limit: -1 })).rejects.toBeInstanceOf(ValidationError);
    await expect(storage.putState({ key: 'k', value: undefined })).rejects.toBeInstanceOf(ValidationError);
    expect(() => createSqliteStorage({})).toThrow(ValidationError);
  });

  it('writes a large batch of points in one transaction and reads a bounded range', async () => {
    const storage = open();
    const points = Array.from({ length: 20_000 }, (_, index) => ({
      series: `host-${index % 4}/cpu`,
      timestamp: index,
      value: index / 7,
    }));
    await storage.appendPoints({ points });
    const range = await storage.rangePoints({ series: 'host-1/cpu', from: 1000, to: 2000 });
    expect(range).toHaveLength(250);
    expect(range[0]).toEqual({ series: 'host-1/cpu', timestamp: 1001, value: 1001 / 7 });
    expect(range.at(-1)!.timestamp).toBe(1997);
  });

  it('uses its indexes for the filtered queries', () => {
    const storage = open();
    const plan = (sql: string) =>
      (storage.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as Array<{ detail: string }>)
        .map((row) => row.detail)
        .join(' | ');
    expect(plan('SELECT body FROM findings WHERE resource = 1 AND timestamp >= 0 ORDER BY timestamp DESC')).toContain(
      'findings_resource_time',
    );
    expect(plan('SELECT body FROM findings WHERE kind = 1 ORDER BY timestamp DESC')).toContain('findings_kind_time');
    expect(plan('SELECT value FROM points WHERE series = 1 AND timestamp < 5 ORDER BY timestamp DESC')).toMatch(
      /PRIMARY KEY|primary key/i,
    );
    expect(plan('SELECT body FROM history WHERE remediation_id = 1 ORDER BY seq')).toContain('history_remediation');
  });

  it('works on a database handed in, and leaves it open when asked', async () => {
    const database = new Database(':memory:');
    const storage = createSqliteStorage({ database, closeDatabase: false });
    await storage.putResource({
      resource: { type: 'compute', id: 'vm-1', name: 'vm', labels: {}, status: 'running', cpu: 2, memoryMiB: 4096 },
    });
    await storage.close();
    expect(database.open).toBe(true);
    expect(database.prepare('SELECT type FROM resources').get()).toEqual({ type: 'compute' });
    await expect(storage.getResource({ id: 'vm-1' })).rejects.toSatisfy(DharmaError.isInstance);
    database.close();
  });

  it('fails with a StorageError when the file cannot be opened', () => {
    expect(() => createSqliteStorage({ path: join(directory, 'missing-dir', 'x.db') })).toThrow(StorageError);
  });
});
