import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@iac-dharma/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../io/run-cli.test-support.js';

const BIN = fileURLToPath(new URL('../../bin/dharma.js', import.meta.url));
const repoRoot = resolve(fileURLToPath(new URL('../../../..', import.meta.url)));

/** The stack started by scripts/services/start-prometheus.sh (the test fails, never skips, without it). */
function prometheusEnv(): Record<string, string> {
  const file = join(process.env.DHARMA_SERVICES_DIR ?? join(repoRoot, '.services'), 'prometheus.env');
  if (!existsSync(file))
    throw new Error(`No Prometheus: ${file} does not exist. Run npm test (scripts/services/start-prometheus.sh).`);
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

const SUMMARY = /^watched (\d+) series for (\d+)s: (\d+) findings$/;
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

/** Starts `dharma watch` as a child process (its own process group, so Ctrl-C can be sent like a terminal does). */
function startWatch(args: string[]) {
  const child = spawn(process.execPath, [BIN, 'watch', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const output = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  return { child, output, exited };
}

describe('dharma watch against the real Prometheus + node_exporter', () => {
  const env = prometheusEnv();
  const folder = mkdtempSync(join(tmpdir(), 'dharma-watch-'));
  const fillDir = env.DHARMA_FILL_DIR_2 ?? '';
  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
    for (let index = 0; index < 16; index++) rmSync(join(fillDir, `fill-${index}.bin`), { force: true });
  });

  it('watches the node_exporter pack, reports a disk that fills up, and stops after --for with the summary line', async () => {
    expect(fillDir, 'start-prometheus.sh mounts a tmpfs for this test (root needed)').not.toBe('');
    const out = join(folder, 'findings.jsonl');
    const watch = startWatch([
      '--prometheus',
      env.DHARMA_PROMETHEUS_URL!,
      '--step',
      '1s',
      '--lookback',
      '1m',
      '--for',
      '40s',
      '--json',
      '--out',
      out,
    ]);
    await waitFor(() => watch.output.stderr.includes('backfilling'), {
      timeoutMs: 30_000,
      intervalMs: 50,
      message: 'watch starts',
    });
    // Fill the watched tmpfs (64 MiB) by 4 MiB every 600 ms up to 60 MiB: its free ratio falls from 1 to
    // about 0.06 over 9 s, across at least one re-forecast (every 10 steps).
    for (let index = 0; index < 15; index++) {
      writeFileSync(join(fillDir, `fill-${index}.bin`), Buffer.alloc(4 * 1024 * 1024, 1));
      await new Promise((done) => setTimeout(done, 600));
    }
    const code = await watch.exited;
    expect(code, watch.output.stderr).toBe(0);
    const summary = SUMMARY.exec(lastLine(watch.output.stdout));
    expect(summary, watch.output.stdout).not.toBeNull();
    expect(Number(summary![1])).toBeGreaterThanOrEqual(5);
    expect(Number(summary![2])).toBeGreaterThanOrEqual(39);
    const findings = readFileSync(out, 'utf8')
      .trimEnd()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { kind: string; resource: string; series: string; severity: string });
    expect(findings.length).toBe(Number(summary![3]));
    const onFill = findings.filter(
      (finding) => finding.resource.includes(fillDir) && finding.series.endsWith('/filesystem_free_ratio'),
    );
    expect(onFill.length, JSON.stringify(findings)).toBeGreaterThan(0);
    expect(['anomaly', 'forecast']).toContain(onFill[0]!.kind);
  }, 90_000);

  it('stops on Ctrl-C (SIGINT) with exit 0 and the summary line; --query replaces the pack', async () => {
    const watch = startWatch([
      '--prometheus',
      env.DHARMA_PROMETHEUS_URL!,
      '--query',
      'up=up',
      '--query',
      'scrape_seconds=scrape_duration_seconds',
      '--step',
      '1s',
      '--lookback',
      '30s',
      '--json',
    ]);
    await waitFor(() => watch.output.stderr.includes('watching live'), { timeoutMs: 30_000, intervalMs: 50 });
    process.kill(-watch.child.pid!, 'SIGINT');
    expect(await watch.exited).toBe(0);
    const summary = SUMMARY.exec(lastLine(watch.output.stdout));
    expect(summary, watch.output.stdout).not.toBeNull();
    // up and scrape_duration_seconds of the node and prometheus jobs: 4 series.
    expect(Number(summary![1])).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('keeps the watched series in SQLite with --storage sqlite:FILE', async () => {
    const database = join(folder, 'watch.db');
    const run = await runCli([
      'watch',
      '--prometheus',
      env.DHARMA_PROMETHEUS_URL!,
      '--query',
      'up=up{job="node"}',
      '--step',
      '1s',
      '--lookback',
      '20s',
      '--for',
      '3s',
      '--storage',
      `sqlite:${database}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(lastLine(run.stdout)).toMatch(/^watched 1 series for \d+s: \d+ findings$/);
    const { createSqliteStorage } = await import('@iac-dharma/storage-sqlite');
    const storage = createSqliteStorage({ path: database });
    const points = await storage.rangePoints({
      series: `${new URL(env.DHARMA_NODE_EXPORTER_URL!).host}/up`,
      limit: 1000,
    });
    expect(points.length).toBeGreaterThanOrEqual(15);
    expect(points.every((point) => point.value === 1)).toBe(true);
    await storage.close();
  }, 60_000);

  it('exits 2 on bad options and 1 (with the summary line) when Prometheus cannot be read', async () => {
    const missing = await runCli(['watch', '--for', '1s']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--prometheus is required/);
    const badDuration = await runCli(['watch', '--prometheus', 'http://127.0.0.1:9', '--for', 'soon']);
    expect(badDuration.code).toBe(2);
    expect(badDuration.stderr).toMatch(/--for: expected a duration/);
    const badQuery = await runCli(['watch', '--prometheus', 'http://127.0.0.1:9', '--query', 'no-equals-sign']);
    expect(badQuery.code).toBe(2);
    const port = await new Promise<number>((done) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port: free } = probe.address() as { port: number };
        probe.close(() => done(free));
      });
    });
    const down = await runCli([
      'watch',
      '--prometheus',
      `http://127.0.0.1:${port}`,
      '--step',
      '1s',
      '--lookback',
      '10s',
      '--for',
      '3s',
    ]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/cannot reach/);
    expect(lastLine(down.stdout)).toMatch(/^watched 0 series for \d+s: 0 findings$/);
  }, 90_000);
});
