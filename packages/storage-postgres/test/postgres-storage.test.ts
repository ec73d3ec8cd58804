import { DharmaError, StorageError, ValidationError, seriesKey } from '@iac-dharma/core';
import { makeAnomalyFinding, makeHistoryRecord } from '@iac-dharma/core/testing';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createPostgresStorage, type PostgresStorage, type PostgresStorageOptions } from '../src/index.js';
import { dropSchemas, postgresUrl, uniqueSchema } from './postgres-test-database.js';

const schemas: string[] = [];
const opened: PostgresStorage[] = [];
afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.close();
});
afterAll(() => dropSchemas(schemas));

function open(options: Partial<PostgresStorageOptions> = {}): PostgresStorage {
  const schema = options.schema ?? uniqueSchema('adapter');
  if (!schemas.includes(schema)) schemas.push(schema);
  const storage = createPostgresStorage({ connectionString: postgresUrl(), maxConnections: 4, ...options, schema });
  opened.push(storage);
  return storage;
}

describe('PostgresStorage', () => {
  it('creates its schema once when several processes start at the same time', async () => {
    const schema = uniqueSchema('race');
    // Separate pools are separate server sessions, like separate processes.
    const storages = Array.from({ length: 4 }, () => open({ schema }));
    const infos = await Promise.all(storages.map((storage) => storage.ready()));
    expect(infos.map((info) => info.schemaVersion)).toEqual([3, 3, 3, 3]);
    const { rows } = await storages[0]!.pool.query(`SELECT version FROM "${schema}".schema_version`);
    expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
  });

  it('migrates series keys written by the old resource/metric scheme (schema 1 → 2)', async () => {
    const schema = uniqueSchema('series_keys');
    const storage = open({ schema });
    await storage.appendPoints({
      points: [
        { series: 'default/web-1/cpu', timestamp: 1000, value: 1 },
        { series: 'web-2/cpu', timestamp: 1000, value: 2 },
        { series: '50%/cpu', timestamp: 1000, value: 3 },
      ],
    });
    // (and without the tables of the later migrations)
    await storage.pool.query(
      `DELETE FROM "${schema}".schema_version WHERE version >= 2; DROP TABLE "${schema}".state_heads; DROP TABLE "${schema}".state_parts`,
    );
    const migrated = open({ schema });
    expect((await migrated.ready()).schemaVersion).toBe(3);
    expect(await migrated.rangePoints({ series: seriesKey({ resource: 'default/web-1', metric: 'cpu' }) })).toEqual([
      { series: 'default%2Fweb-1/cpu', timestamp: 1000, value: 1 },
    ]);
    expect(await migrated.rangePoints({ series: seriesKey({ resource: 'web-2', metric: 'cpu' }) })).toHaveLength(1);
    expect(await migrated.rangePoints({ series: seriesKey({ resource: '50%', metric: 'cpu' }) })).toHaveLength(1);
    expect(await migrated.rangePoints({ series: 'default/web-1/cpu' })).toEqual([]);
  });

  it('reports whether points live in a TimescaleDB hypertable', async () => {
    const storage = open();
    const health = await storage.health();
    expect(health.status).toBe('ok');
    const available =
      (await storage.pool.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`)).rowCount! > 0;
    expect(health.data).toMatchObject({ timescale: available, schemaVersion: 3 });
    if (!available) expect(health.detail).toMatch(/not available/);
    const off = await open({ timescale: 'off' }).health();
    expect(off.data).toMatchObject({ timescale: false });
    if (!available) await expect(open({ timescale: 'require' }).ready()).rejects.toThrow(/TimescaleDB was required/);
  });

  it('lets exactly one of two concurrent writers append each seq', async () => {
    const schema = uniqueSchema('history');
    const [first, second] = [open({ schema }), open({ schema })];
    await Promise.all([first.ready(), second.ready()]);
    for (let seq = 1; seq <= 15; seq++) {
      const results = await Promise.allSettled([
        first.appendHistory({ record: makeHistoryRecord(seq, { id: `first-${seq}` }) }),
        second.appendHistory({ record: makeHistoryRecord(seq, { id: `second-${seq}` }) }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const failure = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
      expect(failure.reason).toBeInstanceOf(StorageError);
      expect((failure.reason as Error).message).toContain(`${seq} given, ${seq + 1} expected`);
    }
    const history = await first.readHistory({});
    expect(history.map((record) => record.seq)).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
  });

  it('enforces the append-only history in the database itself', async () => {
    const storage = open();
    await storage.appendHistory({ record: makeHistoryRecord(1) });
    const table = `"${storage.schema}".history`;
    await expect(storage.pool.query(`UPDATE ${table} SET resource = 'tampered'`)).rejects.toThrow(
      /append-only: UPDATE/,
    );
    await expect(storage.pool.query(`DELETE FROM ${table}`)).rejects.toThrow(/append-only: DELETE/);
    await expect(storage.pool.query(`TRUNCATE ${table}`)).rejects.toThrow(/append-only: TRUNCATE/);
    // A writer that bypasses the adapter still cannot duplicate a seq: the primary key refuses it.
    await expect(
      storage.pool.query(
        `INSERT INTO ${table} (seq, id, ts, remediation_id, resource, body) VALUES (1, 'x', 0, 'r', 'w', '{}')`,
      ),
    ).rejects.toThrow(/duplicate key/);
    expect((await storage.readHistory({})).map((record) => record.id)).toEqual(['record-1']);
  });

  it('keeps fractional-millisecond timestamps and the last of duplicate points in one batch', async () => {
    const storage = open();
    await storage.appendPoints({
      points: [
        { series: 's', timestamp: 1_769_904_004_123.5, value: 1 },
        { series: 's', timestamp: 5, value: 2 },
        { series: 's', timestamp: 5, value: 3 },
      ],
    });
    expect(await storage.rangePoints({ series: 's' })).toEqual([
      { series: 's', timestamp: 5, value: 3 },
      { series: 's', timestamp: 1_769_904_004_123.5, value: 1 },
    ]);
    const finding = makeAnomalyFinding({ resource: 'dup' });
    await storage.saveFindings({ findings: [finding, { ...finding, summary: 'second' }] });
    expect((await storage.queryFindings({ resource: 'dup' })).map((saved) => saved.summary)).toEqual(['second']);
  });

  it('rejects invalid options and input with a ValidationError naming the field', async () => {
    expect(() => createPostgresStorage({ connectionString: postgresUrl(), schema: 'Bad-Name' })).toThrow(/schema/);
    expect(() => createPostgresStorage({})).toThrow(ValidationError);
    const storage = open();
    const error = await storage
      .saveFindings({ findings: [{ ...makeAnomalyFinding(), severity: 'extreme' as never }] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('findings.0.severity');
    await expect(storage.rangePoints({ series: '' })).rejects.toBeInstanceOf(ValidationError);
  });

  it('uses a pool it is given and leaves it open', async () => {
    const pool = new pg.Pool({ connectionString: postgresUrl(), max: 2 });
    try {
      const storage = open({ pool, connectionString: undefined });
      await storage.putState({ key: 'shared', value: { ok: true } });
      await storage.close();
      expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      await expect(storage.getState({ key: 'shared' })).rejects.toSatisfy(DharmaError.isInstance);
    } finally {
      await pool.end();
    }
  });

  it('turns an unreachable server into a retryable StorageError and a down health', async () => {
    const url = new URL(postgresUrl());
    url.port = '1'; // nothing listens on port 1
    const storage = createPostgresStorage({ connectionString: url.toString(), schema: 'unreachable' });
    opened.push(storage);
    const error = await storage.queryFindings({}).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StorageError);
    expect((error as StorageError).isRetryable).toBe(true);
    expect((await storage.health()).status).toBe('down');
  });
});

describe('postgresUrl', () => {
  it('fails, naming `npm test`, when no PostgreSQL is configured', () => {
    const saved = { url: process.env.DHARMA_PG_URL, dir: process.env.DHARMA_SERVICES_DIR };
    delete process.env.DHARMA_PG_URL;
    process.env.DHARMA_SERVICES_DIR = '/nonexistent-dharma-services';
    try {
      expect(() => postgresUrl()).toThrow(/npm test/);
    } finally {
      if (saved.url !== undefined) process.env.DHARMA_PG_URL = saved.url;
      if (saved.dir === undefined) delete process.env.DHARMA_SERVICES_DIR;
      else process.env.DHARMA_SERVICES_DIR = saved.dir;
    }
  });
});
