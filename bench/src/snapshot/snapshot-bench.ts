// Benchmark of saving and restoring analyzer state at scale: an engine with an AnomalyDetector learns
// `--series` series (default 100k, `--samples` samples each, through engine.ingest), then
//   1. close: `engine.close()` saves every series (all dirty): wall time, peak RSS, largest stored row;
//   2. restart: a new process opens the same store, `engine.start()` restores it (wall, peak RSS), ingests
//      one sample into 1% of the series and closes again (wall: what a close after a restore writes).
// Each phase runs in its own child process so its peak RSS (getrusage maxRSS) is its own.
//   npx tsx --conditions=@iac-dharma/source bench/src/snapshot/snapshot-bench.ts [--series 100000] [--samples 20] [--storage sqlite,postgres] [--out FILE]
//     [--before FILE --before-label TEXT]   (adds the figures of an earlier run, e.g. of the previous code, labelled)
// Writes bench/results/snapshot.json (or --out). PostgreSQL runs when scripts/services/start-postgres.sh has
// written $DHARMA_SERVICES_DIR/postgres.env (else it is recorded as not run).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnomalyDetector, Engine, type Storage } from '@iac-dharma/core';

const here = fileURLToPath(import.meta.url);
const root = resolve(dirname(here), '../../..');

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 && process.argv[index + 1] !== undefined ? process.argv[index + 1]! : fallback;
}

function postgresUrl(): string | undefined {
  if (process.env['DHARMA_PG_URL']) return process.env['DHARMA_PG_URL'];
  const envFile = join(process.env['DHARMA_SERVICES_DIR'] ?? join(root, '.services'), 'postgres.env');
  if (!existsSync(envFile)) return undefined;
  return readFileSync(envFile, 'utf8')
    .split('\n')
    .find((line) => line.startsWith('DHARMA_PG_URL='))
    ?.slice('DHARMA_PG_URL='.length)
    .trim();
}

interface PhaseOptions {
  phase: 'close' | 'restart';
  storage: 'sqlite' | 'postgres';
  /** SQLite file or PostgreSQL schema. */
  location: string;
  series: number;
  samples: number;
}

const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const maxRssMiB = () => mib(process.resourceUsage().maxRSS * 1024);
const rssMiB = () => mib(process.memoryUsage().rss);

async function openStorage(options: PhaseOptions): Promise<Storage> {
  if (options.storage === 'sqlite') {
    const { SqliteStorage } = await import('@iac-dharma/storage-sqlite');
    return new SqliteStorage({ path: options.location });
  }
  const { PostgresStorage } = await import('@iac-dharma/storage-postgres');
  return new PostgresStorage({ connectionString: postgresUrl()!, schema: options.location, maxConnections: 4 });
}

/** Bytes of the largest stored state value (any state table the schema has). */
async function largestStateRow(options: PhaseOptions): Promise<number> {
  if (options.storage === 'sqlite') {
    const { default: Database } = await import('better-sqlite3');
    const database = new Database(options.location, { readonly: true });
    const tables = (
      database.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'state%'`).all() as Array<{
        name: string;
      }>
    ).map((row) => row.name);
    let largest = 0;
    for (const table of tables) {
      const columns = (database.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>)
        .map((column) => column.name)
        .filter((name) => ['value', 'head'].includes(name));
      for (const column of columns)
        largest = Math.max(
          largest,
          (
            database.prepare(`SELECT max(length(CAST(${column} AS BLOB))) AS bytes FROM ${table}`).get() as {
              bytes: number | null;
            }
          ).bytes ?? 0,
        );
    }
    database.close();
    return largest;
  }
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name LIKE 'state%' AND column_name IN ('value', 'head')`,
      [options.location],
    );
    let largest = 0;
    for (const row of rows) {
      const result = await client.query<{ bytes: number | null }>(
        `SELECT max(octet_length(${row.column_name}))::int AS bytes FROM "${options.location}"."${row.table_name}"`,
      );
      largest = Math.max(largest, result.rows[0]?.bytes ?? 0);
    }
    return largest;
  } finally {
    await client.end();
  }
}

/** Ingests rounds `from`..`to - 1` of one sample per series (of the first `fraction` of them), in batches of 10k records. */
async function learn(engine: Engine, series: number, from: number, to: number, fraction = 1): Promise<void> {
  const batch = 10_000;
  const count = Math.floor(series * fraction);
  for (let round = from; round < to; round += 1) {
    for (let start = 0; start < count; start += batch) {
      const records = [];
      for (let index = start; index < Math.min(count, start + batch); index += 1) {
        records.push({
          resource: `host-${index}`,
          metric: 'cpu',
          timestamp: 1_700_000_000_000 + round * 60_000,
          value: 50 + 10 * Math.sin(index + round),
        });
      }
      await engine.ingest(records);
    }
  }
}

async function runPhase(options: PhaseOptions): Promise<Record<string, number>> {
  const storage = await openStorage(options);
  const detector = new AnomalyDetector({ maxSeries: options.series });
  const engine = new Engine({ storage, analyzers: [detector], persistSamples: false });
  const result: Record<string, number> = {};
  if (options.phase === 'close') {
    await engine.start();
    const learnStart = performance.now();
    await learn(engine, options.series, 0, options.samples);
    result['learnSeconds'] = (performance.now() - learnStart) / 1000;
    result['seriesTracked'] = detector.stats().series;
  } else {
    const restoreStart = performance.now();
    await engine.start();
    result['restoreSeconds'] = (performance.now() - restoreStart) / 1000;
    result['restorePeakRssMiB'] = maxRssMiB();
    result['seriesRestored'] = detector.stats().series;
    // One more sample for 1% of the series, one step after the last learned one.
    await learn(engine, options.series, options.samples, options.samples + 1, 0.01);
    result['samplesScoredAfterRestore'] = detector.stats().scored;
  }
  result['rssBeforeCloseMiB'] = rssMiB();
  result['peakRssBeforeCloseMiB'] = maxRssMiB();
  const closeStart = performance.now();
  await engine.close();
  result['closeSeconds'] = (performance.now() - closeStart) / 1000;
  result['peakRssAfterCloseMiB'] = maxRssMiB();
  result['largestStateRowBytes'] = await largestStateRow(options);
  return result;
}

async function main(): Promise<void> {
  const phase = argument('phase', '');
  if (phase === 'close' || phase === 'restart') {
    const options: PhaseOptions = {
      phase,
      storage: argument('storage', 'sqlite') as PhaseOptions['storage'],
      location: argument('location', ''),
      series: Number(argument('series', '100000')),
      samples: Number(argument('samples', '20')),
    };
    process.stdout.write(`${JSON.stringify(await runPhase(options))}\n`);
    return;
  }
  const series = Number(argument('series', '100000'));
  const samples = Number(argument('samples', '20'));
  const storages = argument('storage', 'sqlite,postgres').split(',');
  const out = resolve(argument('out', join(root, 'bench/results/snapshot.json')));
  const figures: Array<Record<string, unknown>> = [];
  const beforeFile = argument('before', '');
  const label = argument('label', 'this code');
  if (beforeFile) {
    const before = JSON.parse(readFileSync(beforeFile, 'utf8')) as {
      figures: Array<Record<string, unknown>>;
      measuredAt: string;
    };
    for (const row of before.figures)
      figures.push({ code: `${argument('before-label', 'before')} (${before.measuredAt.slice(0, 10)})`, ...row });
  }
  const notRun: Record<string, string> = {};
  const directory = mkdtempSync(join(tmpdir(), 'dharma-snapshot-bench-'));
  try {
    for (const storage of storages) {
      if (storage === 'postgres' && !postgresUrl()) {
        notRun[storage] = 'no PostgreSQL: run `bash scripts/services/start-postgres.sh` first';
        continue;
      }
      const location = storage === 'sqlite' ? join(directory, 'bench.db') : `snapshot_bench_${process.pid}`;
      const phases: Record<string, Record<string, number>> = {};
      for (const phaseName of ['close', 'restart'] as const) {
        process.stderr.write(`[snapshot-bench] ${storage}: ${phaseName} (${series} series × ${samples} samples)\n`);
        const child = spawnSync(
          process.execPath,
          [
            '--conditions=@iac-dharma/source',
            '--import',
            'tsx',
            here,
            '--phase',
            phaseName,
            '--storage',
            storage,
            '--location',
            location,
            '--series',
            String(series),
            '--samples',
            String(samples),
          ],
          { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
        );
        if (child.status !== 0)
          throw new Error(`${storage} ${phaseName} phase exited with ${child.status ?? child.signal}`);
        phases[phaseName] = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
      }
      if (storage === 'postgres') {
        const { default: pg } = await import('pg');
        const client = new pg.Client({ connectionString: postgresUrl() });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${location}" CASCADE`);
        await client.end();
      }
      const close = phases['close']!;
      const restart = phases['restart']!;
      figures.push({
        code: label,
        storage,
        series,
        'close s (all series dirty)': round(close['closeSeconds']!),
        'close peak RSS MiB': close['peakRssAfterCloseMiB'],
        'RSS before close MiB': close['rssBeforeCloseMiB'],
        'largest state row bytes': close['largestStateRowBytes'],
        'restore s': round(restart['restoreSeconds']!),
        'restore peak RSS MiB': restart['restorePeakRssMiB'],
        'close s after restore + 1% updated': round(restart['closeSeconds']!),
        'samples scored after restore': restart['samplesScoredAfterRestore'],
        'learn s': round(close['learnSeconds']!),
      });
      process.stderr.write(`${JSON.stringify(figures.at(-1))}\n`);
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
  const result = {
    title: 'Snapshot at scale: engine.close() with 100k series',
    description:
      `An engine with the default AnomalyDetector learns ${series} series (${samples} samples each through engine.ingest, persistSamples off), ` +
      'then engine.close() saves its state (all series dirty); a new process restores it (engine.start()), updates 1% of the series and closes again. ' +
      "Peak RSS is the process high-water mark (getrusage) of the phase's own child process; the largest state row is the biggest value in the storage's state tables after the close.",
    command: `npx tsx --conditions=@iac-dharma/source bench/src/snapshot/snapshot-bench.ts --series ${series} --samples ${samples} --storage ${storages.join(',')}`,
    ...(beforeFile
      ? {
          before: `the rows labelled "${argument('before-label', 'before')}" are the same command run on the code before chunked snapshots`,
        }
      : {}),
    loadAverage: loadavg().map((value) => Math.round(value * 10) / 10),
    measuredAt: new Date().toISOString(),
    figures,
    ...(Object.keys(notRun).length > 0 ? { storagesNotRun: notRun } : {}),
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  process.stderr.write(`wrote ${out}\n`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

await main();
