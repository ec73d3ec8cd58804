import pg from 'pg';
import {
  DharmaError,
  StateError,
  StorageError,
  noopLogger,
  type CallOptions,
  type ComponentHealth,
  type Finding,
  type FindingQuery,
  type HistoryQuery,
  type HistoryRecord,
  type Logger,
  type PointRangeQuery,
  type Resource,
  type ResourceQuery,
  type SeriesPoint,
  type StatePart,
  type StatePartsWrite,
  type StatePartsWriteResult,
  type Storage,
  type StoredStateParts,
  storageInput,
} from '@iac-dharma/core/kernel';
import { migratePostgres, quoteIdentifier, type PostgresSchemaInfo } from './postgres-schema.js';
import { parsePostgresStorageOptions, type PostgresStorageOptions } from './postgres-storage-options.js';
import { toStorageError } from './postgres-errors.js';
import { SqlFilter } from './sql-filter.js';

/** Milliseconds since the epoch → timestamptz (microsecond precision), and back. */
const TO_TIME = (parameter: string) => `to_timestamp(${parameter}::float8 / 1000)`;
const FROM_TIME = `(extract(epoch FROM ts) * 1000)::float8`;

/**
 * {@link Storage} on PostgreSQL through `pg`. Creates its schema on first use (or `await ready()`),
 * serialised across processes by an advisory lock; series points go to a TimescaleDB hypertable when the
 * extension is available. Findings, resources and history are `jsonb` with indexed filter columns; the
 * history is append-only (primary key on `seq`, triggers refuse UPDATE, DELETE and TRUNCATE).
 *
 * Nothing is sent to the server until the first call (or `await storage.ready()`), which creates the schema.
 * The constructor throws `ValidationError` for bad options.
 * @example const storage = new PostgresStorage({ connectionString: process.env.DATABASE_URL, schema: 'dharma' });
 */
export class PostgresStorage implements Storage {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'postgres';
  /** The pool the adapter queries through. */
  readonly pool: pg.Pool;
  /** The PostgreSQL schema holding the tables. */
  readonly schema: string;
  private readonly s: string;
  private readonly closePool: boolean;
  private readonly timescaleMode: 'auto' | 'require' | 'off';
  private readonly logger: Logger;
  private info: Promise<PostgresSchemaInfo> | undefined;
  private closed = false;
  /** Keys with a chunked state write in progress in this process. */
  private readonly writingKeys = new Set<string>();

  constructor(options: PostgresStorageOptions) {
    const parsed = parsePostgresStorageOptions(options);
    this.schema = parsed.schema ?? 'dharma';
    this.s = quoteIdentifier(this.schema);
    this.timescaleMode = parsed.timescale ?? 'auto';
    this.logger = parsed.logger ?? noopLogger;
    if (parsed.pool) {
      this.pool = parsed.pool;
      this.closePool = parsed.closePool ?? false;
    } else {
      this.pool = new pg.Pool({ connectionString: parsed.connectionString, max: parsed.maxConnections ?? 10 });
      this.closePool = parsed.closePool ?? true;
      // An idle client losing its connection must not crash the host: report it; the pool replaces the client.
      this.pool.on('error', (error) =>
        this.logger.error('storage-postgres: idle connection failed', { error: error.message }),
      );
    }
  }

  /** Creates or upgrades the schema (once; later calls return the same result). Every other call awaits it. */
  ready(): Promise<PostgresSchemaInfo> {
    this.info ??= (async () => {
      const client = await this.pool.connect();
      try {
        return await migratePostgres(client, {
          schema: this.schema,
          timescale: this.timescaleMode,
          logger: this.logger,
        });
      } finally {
        client.release();
      }
    })().catch((error: unknown) => {
      this.info = undefined; // let the next call try again (the server may come back)
      throw toStorageError(error, `preparing schema "${this.schema}"`);
    });
    return this.info;
  }

  /** Runs `work` after the closed/abort checks and schema creation, turning driver errors into `StorageError`. */
  private async run<T>(operation: string, signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
    if (this.closed)
      throw new StateError(`PostgresStorage is closed: ${operation} needs a new storage (new PostgresStorage).`);
    signal?.throwIfAborted();
    await this.ready();
    try {
      // The signal is checked before the statement is sent; pg cannot cancel one in flight.
      return await work();
    } catch (error) {
      if (DharmaError.isInstance(error)) throw error;
      throw toStorageError(error, operation);
    }
  }

  private async rows<R extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<R[]> {
    return (await this.pool.query<R>(text, values)).rows;
  }

  saveFindings({ findings, signal }: { findings: readonly Finding[] } & CallOptions): Promise<void> {
    return this.run('saveFindings', signal, async () => {
      const valid = storageInput.parseFindings(findings);
      if (valid.length === 0) return;
      // One statement per batch; a batch repeating an id keeps its last finding (ON CONFLICT may touch a row once).
      const unique = [...new Map(valid.map((finding) => [finding.id, finding])).values()];
      await this.pool.query(
        `INSERT INTO ${this.s}.findings (id, resource, kind, ts, body)
         SELECT f->>'id', f->>'resource', f->>'kind', (f->>'timestamp')::float8, f FROM jsonb_array_elements($1::jsonb) AS f
         ON CONFLICT (id) DO UPDATE SET resource = excluded.resource, kind = excluded.kind, ts = excluded.ts, body = excluded.body`,
        [JSON.stringify(unique)],
      );
    });
  }

  queryFindings(query: FindingQuery): Promise<Finding[]> {
    return this.run('queryFindings', query.signal, async () => {
      storageInput.checkFindingQuery(query);
      const filter = new SqlFilter()
        .add('resource = ?', query.resource)
        .add('kind = ?', query.kind)
        .add('ts >= ?', query.from)
        .add('ts < ?', query.to);
      const rows = await this.rows<{ body: Finding }>(
        `SELECT body FROM ${this.s}.findings ${filter.where()} ORDER BY ts DESC, id COLLATE "C" DESC LIMIT ${filter.next()}`,
        [...filter.values, query.limit ?? 1000],
      );
      return rows.reverse().map((row) => row.body);
    });
  }

  appendPoints({ points, signal }: { points: readonly SeriesPoint[] } & CallOptions): Promise<void> {
    return this.run('appendPoints', signal, async () => {
      const valid = storageInput.parsePoints(points);
      if (valid.length === 0) return;
      const latest = new Map(valid.map((point) => [`${point.timestamp}\u0000${point.series}`, point]));
      const unique = [...latest.values()];
      await this.pool.query(
        `INSERT INTO ${this.s}.points (series, ts, value)
         SELECT series, ${TO_TIME('ms')}, value FROM unnest($1::text[], $2::float8[], $3::float8[]) AS p (series, ms, value)
         ON CONFLICT (series, ts) DO UPDATE SET value = excluded.value`,
        [
          unique.map((point) => point.series),
          unique.map((point) => point.timestamp),
          unique.map((point) => point.value),
        ],
      );
    });
  }

  rangePoints(query: PointRangeQuery): Promise<SeriesPoint[]> {
    return this.run('rangePoints', query.signal, async () => {
      storageInput.checkPointRangeQuery(query);
      const filter = new SqlFilter()
        .add('series = ?', query.series)
        .add(`ts >= ${TO_TIME('?')}`, query.from)
        .add(`ts < ${TO_TIME('?')}`, query.to);
      const rows = await this.rows<{ timestamp: number; value: number }>(
        `SELECT ${FROM_TIME} AS timestamp, value FROM ${this.s}.points ${filter.where()} ORDER BY ts DESC LIMIT ${filter.next()}`,
        [...filter.values, query.limit ?? null],
      );
      return rows.reverse().map((row) => ({ series: query.series, timestamp: row.timestamp, value: row.value }));
    });
  }

  appendHistory({ record, signal }: { record: HistoryRecord } & CallOptions): Promise<void> {
    return this.run('appendHistory', signal, async () => {
      const valid = storageInput.parseHistoryRecord(record);
      const client = await this.pool.connect();
      try {
        await client.query('BEGIN');
        // Writers take turns (across processes) so "next seq" is decided against committed history;
        // the primary key on seq still refuses a duplicate from any writer that skips the lock.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
          `@iac-dharma/storage-postgres:${this.schema}:history`,
        ]);
        const { rows } = await client.query<{ seq: string | null }>(`SELECT max(seq) AS seq FROM ${this.s}.history`);
        const expected = Number(rows[0]?.seq ?? 0) + 1;
        if (valid.seq !== expected)
          throw new StorageError(`History is append-only: record seq ${valid.seq} given, ${expected} expected.`);
        await client.query(
          `INSERT INTO ${this.s}.history (seq, id, ts, remediation_id, resource, outcome, body) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [
            valid.seq,
            valid.id,
            valid.timestamp,
            valid.remediationId,
            valid.resource,
            valid.outcome ?? null,
            JSON.stringify(valid),
          ],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    });
  }

  readHistory(query: HistoryQuery): Promise<HistoryRecord[]> {
    return this.run('readHistory', query.signal, async () => {
      storageInput.checkHistoryQuery(query);
      const filter = new SqlFilter()
        .add('resource = ?', query.resource)
        .add('remediation_id = ?', query.remediationId)
        .add('outcome = ?', query.outcome)
        .add('ts >= ?', query.from)
        .add('ts < ?', query.to)
        .add('seq > ?', query.afterSeq)
        .add('seq < ?', query.beforeSeq);
      const latest = query.latest === true && query.limit !== undefined;
      const rows = await this.rows<{ body: HistoryRecord }>(
        `SELECT body FROM ${this.s}.history ${filter.where()} ORDER BY seq ${latest ? 'DESC' : 'ASC'} LIMIT ${filter.next()}`,
        [...filter.values, query.limit ?? null],
      );
      if (latest) rows.reverse();
      return rows.map((row) => row.body);
    });
  }

  putResource({ resource, signal }: { resource: Resource } & CallOptions): Promise<void> {
    return this.run('putResource', signal, async () => {
      const valid = storageInput.parseResource(resource);
      await this.pool.query(
        `INSERT INTO ${this.s}.resources (id, type, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO UPDATE SET type = excluded.type, body = excluded.body`,
        [valid.id, valid.type, JSON.stringify(valid)],
      );
    });
  }

  getResource({ id, signal }: { id: string } & CallOptions): Promise<Resource | undefined> {
    return this.run(
      'getResource',
      signal,
      async () =>
        (await this.rows<{ body: Resource }>(`SELECT body FROM ${this.s}.resources WHERE id = $1`, [id]))[0]?.body,
    );
  }

  listResources(query: ResourceQuery): Promise<Resource[]> {
    return this.run('listResources', query.signal, async () => {
      const filter = new SqlFilter().add('type = ?', query.type);
      const rows = await this.rows<{ body: Resource }>(
        `SELECT body FROM ${this.s}.resources ${filter.where()} ORDER BY id COLLATE "C"`,
        filter.values,
      );
      return rows.map((row) => row.body);
    });
  }

  deleteResource({ id, signal }: { id: string } & CallOptions): Promise<boolean> {
    return this.run(
      'deleteResource',
      signal,
      async () => ((await this.pool.query(`DELETE FROM ${this.s}.resources WHERE id = $1`, [id])).rowCount ?? 0) > 0,
    );
  }

  putState({ key, value, signal }: { key: string; value: unknown } & CallOptions): Promise<void> {
    return this.run('putState', signal, async () => {
      const validKey = storageInput.parseStateKey(key);
      await this.pool.query(
        `INSERT INTO ${this.s}.state (key, value, updated_at) VALUES ($1, $2, now()) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
        [validKey, storageInput.stateToJson(validKey, value)],
      );
    });
  }

  getState({ key, signal }: { key: string } & CallOptions): Promise<unknown | undefined> {
    return this.run('getState', signal, async () => {
      const row = (await this.rows<{ value: string }>(`SELECT value FROM ${this.s}.state WHERE key = $1`, [key]))[0];
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
    });
  }

  /** Runs `work` in a transaction on one pooled client. */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Writes a version of a chunked state value: the parts go to `state_parts` under a new version number,
   * one statement per batch; a last transaction checks that nothing else wrote the key meanwhile, makes
   * the version current in `state_heads` and deletes the rows it replaces. A crash before that leaves rows
   * above the head's version, which readers ignore and the next write deletes.
   */
  async writeStateParts(write: StatePartsWrite): Promise<StatePartsWriteResult> {
    const { key, head, base, version } = await this.run('writeStateParts', write.signal, async () => {
      const key = storageInput.parseStateKey(write.key);
      const head = storageInput.stateToJson(key, write.head);
      if (this.writingKeys.has(key))
        throw new StorageError(`Another write of chunked state "${key}" is in progress: one writer per key at a time.`);
      this.writingKeys.add(key);
      try {
        return await this.transaction(async (client) => {
          await client.query(
            `INSERT INTO ${this.s}.state_heads (key, version, next_version) VALUES ($1, 0, 1) ON CONFLICT (key) DO NOTHING`,
            [key],
          );
          const { rows } = await client.query<{ version: string; next_version: string }>(
            `SELECT version, next_version FROM ${this.s}.state_heads WHERE key = $1 FOR UPDATE`,
            [key],
          );
          const base = Number(rows[0]!.version);
          const version = Math.max(Number(rows[0]!.next_version), base + 1);
          // Rows above the head are a write that never committed (a crash or a failure): drop them.
          await client.query(`DELETE FROM ${this.s}.state_parts WHERE key = $1 AND version > $2`, [key, base]);
          await client.query(`UPDATE ${this.s}.state_heads SET next_version = $2 WHERE key = $1`, [key, version + 1]);
          return { key, head, base, version };
        });
      } catch (error) {
        this.writingKeys.delete(key);
        throw error;
      }
    });
    let written = 0;
    try {
      for await (const batch of write.batches) {
        if (batch.length === 0) continue;
        await this.run('writeStateParts', write.signal, async () => {
          // One statement per batch; a batch repeating an id keeps its last value (ON CONFLICT may touch a row once).
          const latest = new Map<string, string | null>();
          for (const part of batch) {
            const { id, json } = storageInput.statePartToJson(key, part);
            latest.delete(id);
            latest.set(id, json);
          }
          const { rows } = await this.pool.query<{ inserted: boolean }>(
            `INSERT INTO ${this.s}.state_parts (key, part, version, value)
             SELECT $1, part, $2, value FROM unnest($3::text[], $4::text[]) AS p (part, value)
             ON CONFLICT (key, part, version) DO UPDATE SET value = excluded.value
             RETURNING (xmax = 0) AS inserted`,
            [key, version, [...latest.keys()], [...latest.values()]],
          );
          for (const row of rows) if (row.inserted) written++;
        });
      }
      await this.run('writeStateParts', write.signal, () =>
        this.transaction(async (client) => {
          const { rows } = await client.query<{ version: string }>(
            `SELECT version FROM ${this.s}.state_heads WHERE key = $1 FOR UPDATE`,
            [key],
          );
          const count = await client.query<{ count: string }>(
            `SELECT count(*) AS count FROM ${this.s}.state_parts WHERE key = $1 AND version = $2`,
            [key, version],
          );
          if (Number(rows[0]?.version) !== base || Number(count.rows[0]!.count) !== written) {
            throw new StorageError(
              `Chunked state "${key}" was written by another writer meanwhile; this write (version ${version}) was not committed.`,
              { isRetryable: true },
            );
          }
          if (write.replace)
            await client.query(`DELETE FROM ${this.s}.state_parts WHERE key = $1 AND version < $2`, [key, version]);
          else {
            await client.query(
              `DELETE FROM ${this.s}.state_parts AS old USING ${this.s}.state_parts AS new
               WHERE old.key = $1 AND old.version < $2 AND new.key = $1 AND new.version = $2 AND new.part = old.part`,
              [key, version],
            );
          }
          await client.query(`DELETE FROM ${this.s}.state_parts WHERE key = $1 AND version = $2 AND value IS NULL`, [
            key,
            version,
          ]);
          await client.query(
            `UPDATE ${this.s}.state_heads SET version = $2, head = $3, updated_at = now() WHERE key = $1`,
            [key, version, head],
          );
          await client.query(`DELETE FROM ${this.s}.state WHERE key = $1`, [key]);
        }),
      );
      return { version, parts: written };
    } catch (error) {
      if (!this.closed)
        await this.pool
          .query(`DELETE FROM ${this.s}.state_parts WHERE key = $1 AND version = $2`, [key, version])
          .catch(() => undefined);
      throw error;
    } finally {
      this.writingKeys.delete(key);
    }
  }

  readStateParts({
    key,
    batchSize,
    signal,
  }: { key: string; batchSize?: number } & CallOptions): Promise<StoredStateParts | undefined> {
    return this.run('readStateParts', signal, async () => {
      const size = storageInput.parseStateBatchSize(batchSize);
      const row = (
        await this.rows<{ version: string; head: string | null }>(
          `SELECT version, head FROM ${this.s}.state_heads WHERE key = $1`,
          [key],
        )
      )[0];
      if (row === undefined || Number(row.version) === 0 || row.head === null) return undefined;
      const run = this.run.bind(this);
      const rows = this.rows.bind(this);
      const s = this.s;
      async function* batches(): AsyncGenerator<StatePart[]> {
        let after = '';
        for (;;) {
          const page = await run('readStateParts', signal, () =>
            rows<{ part: string; value: string }>(
              `SELECT part, value FROM ${s}.state_parts WHERE key = $1 AND part > $2 AND version <= (SELECT version FROM ${s}.state_heads WHERE key = $1) ORDER BY part LIMIT $3`,
              [key, after, size],
            ),
          );
          if (page.length > 0)
            yield page.map((entry) => ({ id: entry.part, value: JSON.parse(entry.value) as unknown }));
          if (page.length < size) return;
          after = page.at(-1)!.part;
        }
      }
      return { head: JSON.parse(row.head) as unknown, batches: batches() };
    });
  }

  /** `ok` when the server answers; `data` says whether points are in a TimescaleDB hypertable (`timescale`). */
  async health(): Promise<ComponentHealth> {
    if (this.closed) return { status: 'down', detail: 'closed' };
    try {
      const info = await this.ready();
      await this.pool.query('SELECT 1');
      return {
        status: 'ok',
        ...(info.timescaleDetail === undefined ? {} : { detail: info.timescaleDetail }),
        data: {
          schema: this.schema,
          schemaVersion: info.schemaVersion,
          timescale: info.timescale,
          pool: { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount },
        },
      };
    } catch (error) {
      return { status: 'down', detail: (error as Error).message };
    }
  }

  /** Refuses further calls and ends the pool when the adapter owns it (waiting for queries in flight). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.info?.catch(() => undefined);
    if (this.closePool) await this.pool.end();
  }
}

/**
 * Creates a {@link PostgresStorage}.
 * @deprecated Construct it with `new PostgresStorage(options)` (the SDK's one construction style); this alias
 * is removed in a later 0.x release.
 */
export function createPostgresStorage(options: PostgresStorageOptions): PostgresStorage {
  return new PostgresStorage(options);
}
