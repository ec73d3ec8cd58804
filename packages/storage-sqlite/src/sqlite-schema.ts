import type Database from 'better-sqlite3';
import { StateError, migrateLegacySeriesKey } from '@iac-dharma/core/kernel';

/** One schema migration: SQL, or a function for steps SQL alone cannot express. */
export type SqliteMigration = string | ((database: Database.Database) => void);

/** Series keys that the old `resource/metric` scheme may have written ambiguously (two `/`, or a `%`). */
const LEGACY_KEYS = `series LIKE '%/%/%' OR instr(series, '%') > 0`;

/**
 * The schema migrations, in order. Migration `n` (1-based) brings a database from version `n - 1` to `n`.
 * Append new migrations; never edit a released one.
 */
export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  `
  CREATE TABLE findings (
    id TEXT PRIMARY KEY,
    resource TEXT NOT NULL,
    kind TEXT NOT NULL,
    timestamp REAL NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX findings_resource_time ON findings (resource, timestamp);
  CREATE INDEX findings_kind_time ON findings (kind, timestamp);
  CREATE INDEX findings_time ON findings (timestamp);

  CREATE TABLE points (
    series TEXT NOT NULL,
    timestamp REAL NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (series, timestamp)
  ) WITHOUT ROWID;

  CREATE TABLE history (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    timestamp REAL NOT NULL,
    remediation_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    outcome TEXT,
    body TEXT NOT NULL
  );
  CREATE INDEX history_resource ON history (resource, seq);
  CREATE INDEX history_remediation ON history (remediation_id, seq);
  CREATE INDEX history_time ON history (timestamp);
  -- The history is an audit chain: append-only, gapless, enforced by the database itself so that no
  -- other writer of the file can rewrite it either.
  CREATE TRIGGER history_append_only_update BEFORE UPDATE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only: records cannot be updated'); END;
  CREATE TRIGGER history_append_only_delete BEFORE DELETE ON history
    BEGIN SELECT RAISE(ABORT, 'history is append-only: records cannot be deleted'); END;
  CREATE TRIGGER history_sequence BEFORE INSERT ON history
    WHEN NEW.seq IS NOT COALESCE((SELECT MAX(seq) FROM history), 0) + 1
    BEGIN SELECT RAISE(ABORT, 'history seq must be exactly one more than the last record'); END;

  CREATE TABLE resources (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    body TEXT NOT NULL
  );
  CREATE INDEX resources_type ON resources (type, id);

  CREATE TABLE state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 2: series keys percent-encode `/` and `%` inside resource and metric (core's seriesKey); re-encode the
  // keys written before, reading their last `/` as the separator. The rewritten rows are moved out and back
  // in, so no intermediate key can collide with another.
  (database) => {
    database.function('dharma_series_key_v2', { deterministic: true }, (key: unknown) =>
      migrateLegacySeriesKey(String(key)),
    );
    database.exec(`
      CREATE TEMP TABLE dharma_moved_points AS SELECT dharma_series_key_v2(series) AS series, timestamp, value FROM points WHERE ${LEGACY_KEYS};
      DELETE FROM points WHERE ${LEGACY_KEYS};
      INSERT INTO points (series, timestamp, value) SELECT series, timestamp, value FROM dharma_moved_points;
      DROP TABLE dharma_moved_points;
    `);
  },
  // 3: chunked state (Storage.writeStateParts): one row per part, versioned, so a snapshot writes bounded
  // batches and only what changed. Rows of a version above the head's `version` are an uncommitted write
  // (readers ignore them; the next write deletes them). Values saved in `state` before stay readable.
  `
  CREATE TABLE state_heads (
    key TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    next_version INTEGER NOT NULL,
    head TEXT,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE state_parts (
    key TEXT NOT NULL,
    part TEXT NOT NULL,
    version INTEGER NOT NULL,
    value TEXT,
    PRIMARY KEY (key, part, version)
  );
  CREATE INDEX state_parts_version ON state_parts (key, version);
  `,
];

/** The schema version this package writes. */
export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.length;

/**
 * Creates or upgrades the schema in one immediate transaction (so two processes opening the same new
 * file do not both create it). Returns the version the database is at afterwards.
 */
export function migrateSqlite(database: Database.Database): number {
  const migrate = database.transaction(() => {
    database.exec(`CREATE TABLE IF NOT EXISTS schema_version (
      version INTEGER PRIMARY KEY,
      applied_at INTEGER NOT NULL
    )`);
    const row = database.prepare('SELECT MAX(version) AS version FROM schema_version').get() as {
      version: number | null;
    };
    const current = row.version ?? 0;
    if (current > SQLITE_SCHEMA_VERSION) {
      throw new StateError(
        `The SQLite database is at schema version ${current}, newer than this @iac-dharma/storage-sqlite supports (${SQLITE_SCHEMA_VERSION}); upgrade the package.`,
      );
    }
    const record = database.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)');
    for (let version = current + 1; version <= SQLITE_SCHEMA_VERSION; version++) {
      const migration = SQLITE_MIGRATIONS[version - 1]!;
      if (typeof migration === 'string') database.exec(migration);
      else migration(database);
      record.run(version, Date.now());
    }
    return SQLITE_SCHEMA_VERSION;
  });
  return migrate.immediate();
}
