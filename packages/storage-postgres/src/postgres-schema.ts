import type pg from 'pg';
import { StateError, type Logger } from '@iac-dharma/core/kernel';

/** The identifier of a validated schema name, quoted for SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * The schema migrations, in order; `s` is the quoted schema name. Migration `n` (1-based) brings a
 * schema from version `n - 1` to `n`. Append new migrations; never edit a released one.
 */
export function postgresMigrations(s: string): string[] {
  return [
    `
    CREATE TABLE ${s}.findings (
      id text PRIMARY KEY,
      resource text NOT NULL,
      kind text NOT NULL,
      ts double precision NOT NULL,
      body jsonb NOT NULL
    );
    CREATE INDEX findings_resource_ts ON ${s}.findings (resource, ts);
    CREATE INDEX findings_kind_ts ON ${s}.findings (kind, ts);
    CREATE INDEX findings_ts ON ${s}.findings (ts);

    CREATE TABLE ${s}.points (
      series text NOT NULL,
      ts timestamptz NOT NULL,
      value double precision NOT NULL,
      PRIMARY KEY (series, ts)
    );

    CREATE TABLE ${s}.history (
      seq bigint PRIMARY KEY,
      id text NOT NULL,
      ts double precision NOT NULL,
      remediation_id text NOT NULL,
      resource text NOT NULL,
      outcome text,
      body jsonb NOT NULL
    );
    CREATE INDEX history_resource_seq ON ${s}.history (resource, seq);
    CREATE INDEX history_remediation_seq ON ${s}.history (remediation_id, seq);
    CREATE INDEX history_ts ON ${s}.history (ts);
    -- The history is an audit chain: the database itself refuses to rewrite it.
    CREATE FUNCTION ${s}.history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'history is append-only: % is not allowed', TG_OP USING ERRCODE = 'restrict_violation'; END
    $$;
    CREATE TRIGGER history_append_only BEFORE UPDATE OR DELETE ON ${s}.history
      FOR EACH ROW EXECUTE FUNCTION ${s}.history_append_only();
    CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON ${s}.history
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.history_append_only();

    CREATE TABLE ${s}.resources (
      id text PRIMARY KEY,
      type text NOT NULL,
      body jsonb NOT NULL
    );
    CREATE INDEX resources_type_id ON ${s}.resources (type, id);

    CREATE TABLE ${s}.state (
      key text PRIMARY KEY,
      value text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    `,
    // 2: series keys percent-encode "/" and "%" inside resource and metric (core's seriesKey); re-encode the
    // keys written before, reading their last "/" as the separator (the greedy regexp). Rows are moved out
    // and back in, so no intermediate key can collide with another.
    `
    WITH moved AS (
      DELETE FROM ${s}.points WHERE series LIKE '%/%' AND (series LIKE '%/%/%' OR strpos(series, '%') > 0)
      RETURNING regexp_match(series, '^(.*)/([^/]*)$') AS parts, ts, value
    )
    INSERT INTO ${s}.points (series, ts, value)
    SELECT replace(replace(parts[1], '%', '%25'), '/', '%2F') || '/' || replace(replace(parts[2], '%', '%25'), '/', '%2F'), ts, value FROM moved;
    `,
    // 3: chunked state (Storage.writeStateParts): one row per part, versioned, so a snapshot writes bounded
    // batches and only what changed. Rows of a version above the head's are an uncommitted write (readers
    // ignore them; the next write deletes them). Values saved in "state" before stay readable.
    `
    CREATE TABLE ${s}.state_heads (
      key text PRIMARY KEY,
      version bigint NOT NULL,
      next_version bigint NOT NULL,
      head text,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE ${s}.state_parts (
      key text NOT NULL,
      part text COLLATE "C" NOT NULL,
      version bigint NOT NULL,
      value text,
      PRIMARY KEY (key, part, version)
    );
    CREATE INDEX state_parts_version ON ${s}.state_parts (key, version);
    `,
  ];
}

/** The schema version this package writes. */
export const POSTGRES_SCHEMA_VERSION = postgresMigrations('s').length;

/** What the schema migration found and did. */
export interface PostgresSchemaInfo {
  schemaVersion: number;
  /** True when `points` is a TimescaleDB hypertable. */
  timescale: boolean;
  /** Why TimescaleDB is not used, when it is not. */
  timescaleDetail?: string;
}

/**
 * Creates or upgrades the schema in one transaction, holding a transaction-scoped advisory lock keyed by
 * the schema name, so processes starting at the same time take turns instead of colliding.
 */
export async function migratePostgres(
  client: pg.PoolClient,
  options: { schema: string; timescale: 'auto' | 'require' | 'off'; logger: Logger },
): Promise<PostgresSchemaInfo> {
  const s = quoteIdentifier(options.schema);
  const migrations = postgresMigrations(s);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `@iac-dharma/storage-postgres:${options.schema}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${s}.schema_version`,
    );
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new StateError(
        `PostgreSQL schema "${options.schema}" is at version ${current}, newer than this @iac-dharma/storage-postgres supports (${migrations.length}); upgrade the package.`,
      );
    }
    for (let version = current + 1; version <= migrations.length; version++) {
      await client.query(migrations[version - 1]!);
      await client.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [version]);
      options.logger.info('storage-postgres: applied schema migration', { schema: options.schema, version });
    }
    const timescale = await enableTimescale(client, options.schema, options.timescale);
    if (options.timescale === 'require' && !timescale.timescale) {
      throw new StateError(
        `TimescaleDB was required (timescale: 'require') but cannot be used: ${timescale.timescaleDetail}. Install the timescaledb extension or use timescale: 'auto'.`,
      );
    }
    await client.query('COMMIT');
    return { schemaVersion: migrations.length, ...timescale };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Makes `points` a hypertable when TimescaleDB can be used; never fails the transaction. */
async function enableTimescale(
  client: pg.PoolClient,
  schema: string,
  mode: 'auto' | 'require' | 'off',
): Promise<Omit<PostgresSchemaInfo, 'schemaVersion'>> {
  if (mode === 'off') return { timescale: false, timescaleDetail: 'disabled (timescale: off)' };
  const available = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb'`);
  if (available.rowCount === 0)
    return { timescale: false, timescaleDetail: 'the timescaledb extension is not available on this server' };
  // A failure inside a transaction aborts it; the savepoint confines it to this attempt.
  await client.query('SAVEPOINT dharma_timescale');
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS timescaledb');
    await client.query(`SELECT create_hypertable($1::regclass, 'ts', if_not_exists => TRUE, migrate_data => TRUE)`, [
      `${quoteIdentifier(schema)}.points`,
    ]);
    await client.query('RELEASE SAVEPOINT dharma_timescale');
    return { timescale: true };
  } catch (error) {
    await client.query('ROLLBACK TO SAVEPOINT dharma_timescale');
    return { timescale: false, timescaleDetail: `timescaledb could not be enabled: ${(error as Error).message}` };
  }
}
