import Database from 'better-sqlite3';
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
import { migrateSqlite } from './sqlite-schema.js';
import { parseSqliteStorageOptions, type SqliteStorageOptions } from './sqlite-storage-options.js';

type Parameter = string | number | null;

/** Builds `WHERE a AND b` from the filters that are set. */
function where(conditions: Array<[string, Parameter | undefined]>): { sql: string; parameters: Parameter[] } {
  const used = conditions.filter(([, value]) => value !== undefined) as Array<[string, Parameter]>;
  return {
    sql: used.length === 0 ? '' : `WHERE ${used.map(([sql]) => sql).join(' AND ')}`,
    parameters: used.map(([, value]) => value),
  };
}

/**
 * {@link Storage} on SQLite through better-sqlite3: one file (or `:memory:`), WAL mode, prepared
 * statements, batched writes in transactions. Findings, resources and history are stored as JSON with
 * indexed columns for the filters; the history table is append-only, enforced by triggers.
 * Calls are synchronous underneath (better-sqlite3) and resolve immediately.
 *
 * The constructor opens (or creates) the file, switches it to WAL mode and creates or upgrades the schema. It
 * throws `ValidationError` for bad options and `StorageError` when the file cannot be opened.
 * @example const storage = new SqliteStorage({ path: './dharma.db' });
 */
export class SqliteStorage implements Storage {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'sqlite';
  /** The better-sqlite3 connection (for inspection and tests; do not write to the tables directly). */
  readonly database: Database.Database;
  /** The schema version of the open database. */
  readonly schemaVersion: number;
  private readonly ownsDatabase: boolean;
  private readonly statements = new Map<string, Database.Statement>();
  private closed = false;
  /** Keys with a chunked state write in progress in this process. */
  private readonly writingKeys = new Set<string>();

  constructor(options: SqliteStorageOptions) {
    const parsed = parseSqliteStorageOptions(options);
    const logger = parsed.logger ?? noopLogger;
    try {
      this.database = parsed.database ?? new Database(parsed.path!, { timeout: parsed.busyTimeoutMs ?? 5000 });
    } catch (error) {
      throw new StorageError(
        `Cannot open the SQLite database at "${parsed.path}": ${(error as Error).message}. Check the path and that its directory exists and is writable.`,
        { cause: error },
      );
    }
    this.ownsDatabase = parsed.database === undefined || parsed.closeDatabase !== false;
    try {
      this.database.pragma(`busy_timeout = ${parsed.busyTimeoutMs ?? 5000}`);
      this.database.pragma('journal_mode = WAL');
      this.database.pragma(`synchronous = ${(parsed.synchronous ?? 'normal').toUpperCase()}`);
      this.database.pragma('foreign_keys = ON');
      this.schemaVersion = migrateSqlite(this.database);
      logger.debug('sqlite storage ready', { path: this.database.name, schemaVersion: this.schemaVersion });
    } catch (error) {
      if (this.ownsDatabase) this.database.close();
      throw DharmaError.isInstance(error)
        ? error
        : new StorageError(`Cannot prepare the SQLite database "${this.database.name}": ${(error as Error).message}`, {
            cause: error,
          });
    }
  }

  /** Runs `work` after the closed/abort checks, turning driver errors into `StorageError`. */
  private run<T>(operation: string, signal: AbortSignal | undefined, work: () => T): Promise<T> {
    if (this.closed)
      return Promise.reject(
        new StateError(`SqliteStorage is closed: ${operation} needs a new storage (new SqliteStorage).`),
      );
    if (signal?.aborted) return Promise.reject(signal.reason);
    try {
      return Promise.resolve(work());
    } catch (error) {
      if (DharmaError.isInstance(error)) return Promise.reject(error);
      const code = (error as { code?: string }).code ?? '';
      return Promise.reject(
        new StorageError(`SQLite ${operation} failed: ${(error as Error).message}`, {
          cause: error,
          isRetryable: code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'),
        }),
      );
    }
  }

  /** A cached prepared statement. */
  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) this.statements.set(sql, (statement = this.database.prepare(sql)));
    return statement;
  }

  saveFindings({ findings, signal }: { findings: readonly Finding[] } & CallOptions): Promise<void> {
    return this.run('saveFindings', signal, () => {
      const valid = storageInput.parseFindings(findings);
      const insert = this.statement(
        'INSERT INTO findings (id, resource, kind, timestamp, body) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (id) DO UPDATE SET resource = excluded.resource, kind = excluded.kind, timestamp = excluded.timestamp, body = excluded.body',
      );
      this.database.transaction(() => {
        for (const finding of valid)
          insert.run(finding.id, finding.resource, finding.kind, finding.timestamp, JSON.stringify(finding));
      })();
    });
  }

  queryFindings(query: FindingQuery): Promise<Finding[]> {
    return this.run('queryFindings', query.signal, () => {
      storageInput.checkFindingQuery(query);
      const filter = where([
        ['resource = ?', query.resource],
        ['kind = ?', query.kind],
        ['timestamp >= ?', query.from],
        ['timestamp < ?', query.to],
      ]);
      // The most recent `limit` matches, returned oldest first.
      const rows = this.statement(
        `SELECT body FROM findings ${filter.sql} ORDER BY timestamp DESC, id DESC LIMIT ?`,
      ).all(...filter.parameters, query.limit ?? 1000) as Array<{ body: string }>;
      return rows.reverse().map((row) => JSON.parse(row.body) as Finding);
    });
  }

  appendPoints({ points, signal }: { points: readonly SeriesPoint[] } & CallOptions): Promise<void> {
    return this.run('appendPoints', signal, () => {
      const valid = storageInput.parsePoints(points);
      const upsert = this.statement(
        'INSERT INTO points (series, timestamp, value) VALUES (?, ?, ?) ON CONFLICT (series, timestamp) DO UPDATE SET value = excluded.value',
      );
      this.database.transaction(() => {
        for (const point of valid) upsert.run(point.series, point.timestamp, point.value);
      })();
    });
  }

  rangePoints(query: PointRangeQuery): Promise<SeriesPoint[]> {
    return this.run('rangePoints', query.signal, () => {
      storageInput.checkPointRangeQuery(query);
      const filter = where([
        ['series = ?', query.series],
        ['timestamp >= ?', query.from],
        ['timestamp < ?', query.to],
      ]);
      // LIMIT -1 means no limit in SQLite.
      const rows = this.statement(
        `SELECT timestamp, value FROM points ${filter.sql} ORDER BY timestamp DESC LIMIT ?`,
      ).all(...filter.parameters, query.limit ?? -1) as Array<{ timestamp: number; value: number }>;
      return rows.reverse().map((row) => ({ series: query.series, timestamp: row.timestamp, value: row.value }));
    });
  }

  appendHistory({ record, signal }: { record: HistoryRecord } & CallOptions): Promise<void> {
    return this.run('appendHistory', signal, () => {
      const valid = storageInput.parseHistoryRecord(record);
      const last = this.statement('SELECT MAX(seq) AS seq FROM history');
      const insert = this.statement(
        'INSERT INTO history (seq, id, timestamp, remediation_id, resource, outcome, body) VALUES (?, ?, ?, ?, ?, ?, ?)',
      );
      // IMMEDIATE takes the write lock first, so another process cannot slip a record in between the check and the insert.
      this.database
        .transaction(() => {
          const expected = ((last.get() as { seq: number | null }).seq ?? 0) + 1;
          if (valid.seq !== expected)
            throw new StorageError(`History is append-only: record seq ${valid.seq} given, ${expected} expected.`);
          insert.run(
            valid.seq,
            valid.id,
            valid.timestamp,
            valid.remediationId,
            valid.resource,
            valid.outcome ?? null,
            JSON.stringify(valid),
          );
        })
        .immediate();
    });
  }

  readHistory(query: HistoryQuery): Promise<HistoryRecord[]> {
    return this.run('readHistory', query.signal, () => {
      storageInput.checkHistoryQuery(query);
      const filter = where([
        ['resource = ?', query.resource],
        ['remediation_id = ?', query.remediationId],
        ['outcome = ?', query.outcome],
        ['timestamp >= ?', query.from],
        ['timestamp < ?', query.to],
        ['seq > ?', query.afterSeq],
        ['seq < ?', query.beforeSeq],
      ]);
      const latest = query.latest === true && query.limit !== undefined;
      const rows = this.statement(
        `SELECT body FROM history ${filter.sql} ORDER BY seq ${latest ? 'DESC' : 'ASC'} LIMIT ?`,
      ).all(...filter.parameters, query.limit ?? -1) as Array<{ body: string }>;
      if (latest) rows.reverse();
      return rows.map((row) => JSON.parse(row.body) as HistoryRecord);
    });
  }

  putResource({ resource, signal }: { resource: Resource } & CallOptions): Promise<void> {
    return this.run('putResource', signal, () => {
      const valid = storageInput.parseResource(resource);
      this.statement(
        'INSERT INTO resources (id, type, body) VALUES (?, ?, ?) ON CONFLICT (id) DO UPDATE SET type = excluded.type, body = excluded.body',
      ).run(valid.id, valid.type, JSON.stringify(valid));
    });
  }

  getResource({ id, signal }: { id: string } & CallOptions): Promise<Resource | undefined> {
    return this.run('getResource', signal, () => {
      const row = this.statement('SELECT body FROM resources WHERE id = ?').get(id) as { body: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.body) as Resource);
    });
  }

  listResources(query: ResourceQuery): Promise<Resource[]> {
    return this.run('listResources', query.signal, () => {
      const filter = where([['type = ?', query.type]]);
      const rows = this.statement(`SELECT body FROM resources ${filter.sql} ORDER BY id`).all(
        ...filter.parameters,
      ) as Array<{ body: string }>;
      return rows.map((row) => JSON.parse(row.body) as Resource);
    });
  }

  deleteResource({ id, signal }: { id: string } & CallOptions): Promise<boolean> {
    return this.run(
      'deleteResource',
      signal,
      () => this.statement('DELETE FROM resources WHERE id = ?').run(id).changes > 0,
    );
  }

  putState({ key, value, signal }: { key: string; value: unknown } & CallOptions): Promise<void> {
    return this.run('putState', signal, () => {
      const validKey = storageInput.parseStateKey(key);
      this.statement(
        'INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
      ).run(validKey, storageInput.stateToJson(validKey, value), Date.now());
    });
  }

  getState({ key, signal }: { key: string } & CallOptions): Promise<unknown | undefined> {
    return this.run('getState', signal, () => {
      const row = this.statement('SELECT value FROM state WHERE key = ?').get(key) as { value: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.value) as unknown);
    });
  }

  /**
   * Writes a version of a chunked state value: the parts go to `state_parts` under a new version number,
   * one transaction per batch; a last transaction checks that nothing else wrote the key meanwhile, makes
   * the version current in `state_heads` and deletes the rows it replaces. A crash before that leaves rows
   * above the head's version, which readers ignore and the next write deletes.
   */
  async writeStateParts(write: StatePartsWrite): Promise<StatePartsWriteResult> {
    const begun = await this.run('writeStateParts', write.signal, () => {
      const key = storageInput.parseStateKey(write.key);
      const head = storageInput.stateToJson(key, write.head);
      if (this.writingKeys.has(key))
        throw new StorageError(`Another write of chunked state "${key}" is in progress: one writer per key at a time.`);
      const start = this.database.transaction(() => {
        const row = this.statement('SELECT version, next_version FROM state_heads WHERE key = ?').get(key) as
          { version: number; next_version: number } | undefined;
        const base = row?.version ?? 0;
        const version = Math.max(row?.next_version ?? 1, base + 1);
        // Rows above the head are a write that never committed (a crash or a failure): drop them.
        this.statement('DELETE FROM state_parts WHERE key = ? AND version > ?').run(key, base);
        this.statement(
          'INSERT INTO state_heads (key, version, next_version, head, updated_at) VALUES (?, 0, ?, NULL, ?) ON CONFLICT (key) DO UPDATE SET next_version = excluded.next_version',
        ).run(key, version + 1, Date.now());
        return { key, head, base, version };
      });
      const begin = start.immediate();
      this.writingKeys.add(key);
      return begin;
    });
    const { key, head, base, version } = begun;
    let written = 0;
    try {
      const insert = this.statement(
        'INSERT INTO state_parts (key, part, version, value) VALUES (?, ?, ?, ?) ON CONFLICT (key, part, version) DO NOTHING',
      );
      const update = this.statement('UPDATE state_parts SET value = ? WHERE key = ? AND part = ? AND version = ?');
      for await (const batch of write.batches) {
        await this.run('writeStateParts', write.signal, () => {
          this.database.transaction(() => {
            for (const part of batch) {
              const { id, json } = storageInput.statePartToJson(key, part);
              // A part repeated in this write keeps its last value (and is counted once).
              if (insert.run(key, id, version, json).changes === 1) written++;
              else update.run(json, key, id, version);
            }
          })();
        });
      }
      await this.run('writeStateParts', write.signal, () => {
        this.database
          .transaction(() => {
            const row = this.statement('SELECT version FROM state_heads WHERE key = ?').get(key) as
              { version: number } | undefined;
            const count = (
              this.statement('SELECT count(*) AS count FROM state_parts WHERE key = ? AND version = ?').get(
                key,
                version,
              ) as { count: number }
            ).count;
            if (row?.version !== base || count !== written) {
              throw new StorageError(
                `Chunked state "${key}" was written by another writer meanwhile; this write (version ${version}) was not committed.`,
                { isRetryable: true },
              );
            }
            if (write.replace)
              this.statement('DELETE FROM state_parts WHERE key = ? AND version < ?').run(key, version);
            else
              this.statement(
                'DELETE FROM state_parts WHERE key = @key AND version < @version AND part IN (SELECT part FROM state_parts WHERE key = @key AND version = @version)',
              ).run({ key, version });
            this.statement('DELETE FROM state_parts WHERE key = ? AND version = ? AND value IS NULL').run(key, version);
            this.statement('UPDATE state_heads SET version = ?, head = ?, updated_at = ? WHERE key = ?').run(
              version,
              head,
              Date.now(),
              key,
            );
            this.statement('DELETE FROM state WHERE key = ?').run(key);
          })
          .immediate();
      });
      return { version, parts: written };
    } catch (error) {
      if (!this.closed) {
        try {
          this.statement('DELETE FROM state_parts WHERE key = ? AND version = ?').run(key, version);
        } catch {
          // Best effort: the next write deletes the uncommitted rows anyway.
        }
      }
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
    return this.run('readStateParts', signal, () => {
      const size = storageInput.parseStateBatchSize(batchSize);
      const row = this.statement('SELECT version, head FROM state_heads WHERE key = ?').get(key) as
        { version: number; head: string | null } | undefined;
      if (row === undefined || row.version === 0 || row.head === null) return undefined;
      const page = this.statement(
        'SELECT part, value FROM state_parts WHERE key = @key AND part > @after AND version <= (SELECT version FROM state_heads WHERE key = @key) ORDER BY part LIMIT @size',
      );
      const run = this.run.bind(this);
      async function* batches(): AsyncGenerator<StatePart[]> {
        let after = '';
        for (;;) {
          const rows = await run(
            'readStateParts',
            signal,
            () => page.all({ key, after, size }) as Array<{ part: string; value: string }>,
          );
          if (rows.length > 0)
            yield rows.map((entry) => ({ id: entry.part, value: JSON.parse(entry.value) as unknown }));
          if (rows.length < size) return;
          after = rows.at(-1)!.part;
        }
      }
      return { head: JSON.parse(row.head) as unknown, batches: batches() };
    });
  }

  async health(): Promise<ComponentHealth> {
    if (this.closed) return { status: 'down', detail: 'closed' };
    try {
      const journalMode = this.database.pragma('journal_mode', { simple: true });
      return { status: 'ok', data: { path: this.database.name, journalMode, schemaVersion: this.schemaVersion } };
    } catch (error) {
      return { status: 'down', detail: (error as Error).message };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    if (this.ownsDatabase) this.database.close();
  }
}

/**
 * Creates a {@link SqliteStorage}.
 * @deprecated Construct it with `new SqliteStorage(options)` (the SDK's one construction style); this alias is
 * removed in a later 0.x release.
 */
export function createSqliteStorage(options: SqliteStorageOptions): SqliteStorage {
  return new SqliteStorage(options);
}
