import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnomalyDetector, createEngine } from '@iac-dharma/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createPostgresStorage } from '../src/index.js';
import { postgresMigrations } from '../src/postgres-schema.js';
import { dropSchemas, postgresUrl, uniqueSchema } from './postgres-test-database.js';

const crasher = fileURLToPath(new URL('./fixtures/snapshot-crasher.ts', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'dharma-postgres-crash-'));
const schemas: string[] = [];
afterAll(async () => {
  rmSync(directory, { recursive: true, force: true });
  await dropSchemas(schemas);
});

const SERIES = 2500;

function newSchema(): string {
  const schema = uniqueSchema('crash');
  schemas.push(schema);
  return schema;
}

/** Runs the crasher and kills it with SIGKILL as soon as it prints `signal`; resolves once it is gone. */
function killWhen(schema: string, out: string, mode: 'midway' | 'close', signal: string): Promise<{ killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@iac-dharma/source', '--import', 'tsx', crasher, postgresUrl(), schema, out, String(SERIES), mode],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let printed = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      printed += chunk;
      if (printed.includes(`${signal}\n`)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, killSignal) =>
      killSignal === 'SIGKILL' || code === 0
        ? resolve({ killed: killSignal === 'SIGKILL' })
        : reject(new Error(`crasher exited with ${code}`)),
    );
  });
}

async function restoredState(schema: string): Promise<unknown> {
  const detector = new AnomalyDetector();
  const engine = await createEngine({
    storage: createPostgresStorage({ connectionString: postgresUrl(), schema, maxConnections: 2 }),
    analyzers: [detector],
  }).start();
  const state = detector.snapshot();
  await engine.close();
  return state;
}

async function query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgresStorage chunked snapshots under kill -9', () => {
  it('a process killed midway through a snapshot leaves the previous complete snapshot', async () => {
    const schema = newSchema();
    const out = join(directory, 'midway');
    expect((await killWhen(schema, out, 'midway', 'midway')).killed).toBe(true);
    const [above] = await query<{ count: string }>(
      `SELECT count(*) AS count FROM "${schema}".state_parts WHERE key = 'analyzer:anomaly' AND version > (SELECT version FROM "${schema}".state_heads WHERE key = 'analyzer:anomaly')`,
    );
    expect(Number(above!.count)).toBeGreaterThan(0);
    expect(await restoredState(schema)).toEqual(JSON.parse(readFileSync(`${out}.previous.json`, 'utf8')));

    const storage = createPostgresStorage({ connectionString: postgresUrl(), schema, maxConnections: 2 });
    const engine = await createEngine({ storage, analyzers: [new AnomalyDetector()], persistSamples: false }).start();
    await engine.ingest({ resource: 'host-0', metric: 'cpu', timestamp: 3_600_000, value: 50 });
    await engine.close();
    const [rows] = await query<{ count: string }>(`SELECT count(*) AS count FROM "${schema}".state_parts`);
    expect(Number(rows!.count)).toBe(SERIES);
  });

  it('a process killed at any point of engine.close() leaves the previous or the new complete snapshot', async () => {
    const schema = newSchema();
    const out = join(directory, 'close');
    await killWhen(schema, out, 'close', 'closing');
    const previous = JSON.parse(readFileSync(`${out}.previous.json`, 'utf8')) as unknown;
    const next = JSON.parse(readFileSync(`${out}.next.json`, 'utf8')) as unknown;
    expect([previous, next]).toContainEqual(await restoredState(schema));
  });

  it('upgrades a version-2 schema and restores the single-row snapshot saved in it', async () => {
    const schema = newSchema();
    const s = `"${schema}"`;
    const old = new AnomalyDetector();
    for (let step = 0; step < 5; step += 1)
      for (let row = 0; row < 40; row += 1) old.score(`host-${row}/cpu`, 60_000 * (step + 1), 40 + ((row + step) % 7));
    // The schema as version 2 of this package left it, with the analyzer state in one row of "state".
    await query(
      `CREATE SCHEMA ${s}; CREATE TABLE ${s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    for (const [index, migration] of postgresMigrations(s).slice(0, 2).entries()) {
      await query(migration);
      await query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [index + 1]);
    }
    await query(`INSERT INTO ${s}.state (key, value) VALUES ('analyzer:anomaly', $1)`, [
      JSON.stringify(old.snapshot()),
    ]);

    const storage = createPostgresStorage({ connectionString: postgresUrl(), schema, maxConnections: 2 });
    expect((await storage.ready()).schemaVersion).toBe(3);
    const detector = new AnomalyDetector();
    const engine = await createEngine({ storage, analyzers: [detector] }).start();
    expect(detector.snapshot()).toEqual(old.snapshot());
    await engine.close();
    expect(await query(`SELECT key FROM ${s}.state`)).toEqual([]);
    const [parts] = await query<{ count: string }>(`SELECT count(*) AS count FROM ${s}.state_parts`);
    expect(Number(parts!.count)).toBe(40);
    expect(await restoredState(schema)).toEqual(old.snapshot());
  });
});
