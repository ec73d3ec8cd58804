import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnomalyDetector, createEngine } from '@iac-dharma/core';
import { afterAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createSqliteStorage } from '../src/index.js';
import { SQLITE_MIGRATIONS } from '../src/sqlite-schema.js';

const crasher = fileURLToPath(new URL('./fixtures/snapshot-crasher.ts', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'dharma-sqlite-crash-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const SERIES = 2500;

/** Runs the crasher and kills it with SIGKILL as soon as it prints `signal`; resolves once it is gone. */
function killWhen(
  path: string,
  out: string,
  mode: 'midway' | 'close',
  signal: string,
): Promise<{ printed: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@iac-dharma/source', '--import', 'tsx', crasher, path, out, String(SERIES), mode],
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
        ? resolve({ printed, killed: killSignal === 'SIGKILL' })
        : reject(new Error(`crasher exited with ${code}`)),
    );
  });
}

async function restoredState(path: string): Promise<unknown> {
  const detector = new AnomalyDetector();
  const engine = await createEngine({ storage: createSqliteStorage({ path }), analyzers: [detector] }).start();
  const state = detector.snapshot();
  await engine.close();
  return state;
}

describe('SqliteStorage chunked snapshots under kill -9', () => {
  it('a process killed midway through a snapshot leaves the previous complete snapshot', async () => {
    const path = join(directory, 'midway.db');
    const out = join(directory, 'midway');
    const { killed } = await killWhen(path, out, 'midway', 'midway');
    expect(killed).toBe(true);
    // The killed write left uncommitted rows behind (two batches): readers must not see them.
    const storage = createSqliteStorage({ path });
    const head = storage.database.prepare(`SELECT version FROM state_heads WHERE key = 'analyzer:anomaly'`).get() as {
      version: number;
    };
    const above = storage.database
      .prepare(`SELECT count(*) AS count FROM state_parts WHERE key = 'analyzer:anomaly' AND version > ?`)
      .get(head.version) as { count: number };
    expect(above.count).toBeGreaterThan(0);
    await storage.close();

    const previous = JSON.parse(readFileSync(`${out}.previous.json`, 'utf8')) as unknown;
    expect(await restoredState(path)).toEqual(previous);
    // The next save (one changed series) drops the uncommitted rows.
    const after = createSqliteStorage({ path });
    const engine = await createEngine({
      storage: after,
      analyzers: [new AnomalyDetector()],
      closeAdapters: false,
      persistSamples: false,
    }).start();
    await engine.ingest({ resource: 'host-0', metric: 'cpu', timestamp: 3_600_000, value: 50 });
    await engine.close();
    const rows = after.database.prepare(`SELECT count(*) AS count FROM state_parts`).get() as { count: number };
    expect(rows.count).toBe(SERIES);
    await after.close();
  });

  it('a process killed at any point of engine.close() leaves the previous or the new complete snapshot', async () => {
    const path = join(directory, 'close.db');
    const out = join(directory, 'close');
    await killWhen(path, out, 'close', 'closing');
    const previous = JSON.parse(readFileSync(`${out}.previous.json`, 'utf8')) as unknown;
    const next = JSON.parse(readFileSync(`${out}.next.json`, 'utf8')) as unknown;
    const restored = await restoredState(path);
    expect([previous, next]).toContainEqual(restored);
  });
});

describe('SqliteStorage schema 3 (chunked state)', () => {
  it('upgrades a version-2 database and restores the single-row snapshot saved in it', async () => {
    const path = join(directory, 'version-2.db');
    const old = new AnomalyDetector();
    for (let step = 0; step < 5; step += 1)
      for (let row = 0; row < 40; row += 1) old.score(`host-${row}/cpu`, 60_000 * (step + 1), 40 + ((row + step) % 7));
    // The file as version 2 of this package left it, with the analyzer state in one row of `state`.
    const database = new Database(path);
    database.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const [index, migration] of SQLITE_MIGRATIONS.slice(0, 2).entries()) {
      if (typeof migration === 'string') database.exec(migration);
      else migration(database);
      database.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(index + 1, Date.now());
    }
    database
      .prepare('INSERT INTO state (key, value, updated_at) VALUES (?, ?, ?)')
      .run('analyzer:anomaly', JSON.stringify(old.snapshot()), Date.now());
    database.close();

    const storage = createSqliteStorage({ path });
    expect(storage.schemaVersion).toBe(3);
    const detector = new AnomalyDetector();
    const engine = await createEngine({ storage, analyzers: [detector], closeAdapters: false }).start();
    expect(detector.snapshot()).toEqual(old.snapshot());
    await engine.close();
    // Saved again as one part per series; the old single row is gone.
    expect(storage.database.prepare('SELECT key FROM state').all()).toEqual([]);
    expect(
      (storage.database.prepare('SELECT count(*) AS count FROM state_parts').get() as { count: number }).count,
    ).toBe(40);
    await storage.close();
    expect(await restoredState(path)).toEqual(old.snapshot());
  });
});
