// Runs the example as a child process (as `npm start` would) inside a real Prometheus loop: a private
// Prometheus scrapes the real node_exporter, remote-writes to the example and scrapes its /metrics back.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@iac-dharma/core/testing';
import { describe, expect, it } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

function services(): Record<string, string> {
  const file = join(process.env.DHARMA_SERVICES_DIR ?? join(ROOT, '.services'), 'prometheus.env');
  if (!existsSync(file))
    throw new Error(`No Prometheus: ${file} does not exist. Run npm test (scripts/services/start-prometheus.sh).`);
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

const freePort = () =>
  new Promise<number>((done) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });

describe('example: prometheus-ops-stack', () => {
  it('receives remote-write from a real Prometheus and is scraped back by it', async () => {
    const env = services();
    const lines: Array<Record<string, unknown>> = [];
    const example = spawn(process.execPath, ['--conditions=@iac-dharma/source', '--import', 'tsx', 'src/index.ts'], {
      cwd: EXAMPLE,
      env: { ...process.env, PORT: '0' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let buffer = '';
    example.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (let newline = buffer.indexOf('\n'); newline >= 0; newline = buffer.indexOf('\n')) {
        lines.push(JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>);
        buffer = buffer.slice(newline + 1);
      }
    });
    const exited = new Promise<number | null>((done) => example.on('exit', (code) => done(code)));
    const folder = mkdtempSync(join(tmpdir(), 'dharma-example-prom-'));
    let prometheus: ReturnType<typeof spawn> | undefined;
    try {
      const url = String(
        (await waitFor(() => lines.find((line) => line.event === 'listening'), { timeoutMs: 30_000 })).url,
      );
      const target = new URL(url).host;
      const port = await freePort();
      writeFileSync(
        join(folder, 'prometheus.yml'),
        `
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: node
    static_configs: [{ targets: ['${new URL(env.DHARMA_NODE_EXPORTER_URL!).host}'] }]
  - job_name: dharma
    static_configs: [{ targets: ['${target}'] }]
remote_write:
  - url: ${url}/api/v1/write
    queue_config: { batch_send_deadline: 1s }
    write_relabel_configs:
      - source_labels: [job]
        regex: node
        action: keep
`,
      );
      prometheus = spawn(
        'prometheus',
        [
          `--config.file=${join(folder, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(folder, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
        ],
        { stdio: 'ignore' },
      );
      const health = await waitFor(
        async () => {
          const body = (await (await fetch(`${url}/health`)).json()) as {
            stats: { ingested: number; rejected: number };
            remoteWrite: { samples: number; series: number };
          };
          return body.remoteWrite.samples > 500 ? body : undefined;
        },
        { timeoutMs: 40_000, intervalMs: 250, message: 'remote-written samples reach the example' },
      );
      // Every delivered sample was either accepted or rejected by the engine's validation (e.g. values it
      // refuses as out of range), counted, never lost.
      expect(health.stats.ingested + health.stats.rejected).toBeGreaterThanOrEqual(health.remoteWrite.samples);
      expect(health.stats.ingested).toBeGreaterThan(health.remoteWrite.samples * 0.9);
      expect(health.remoteWrite.series).toBeGreaterThan(50);
      // Prometheus scrapes the example's own metrics back.
      const scraped = await waitFor(
        async () => {
          const response = await fetch(
            `http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent('dharma_records_ingested_total{job="dharma",kind="metric"}')}`,
          );
          const body = (await response.json()) as { data?: { result: Array<{ value: [number, string] }> } };
          const value = Number(body.data?.result[0]?.value[1]);
          return value > 0 ? value : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 250, message: 'Prometheus scrapes dharma_records_ingested_total' },
      );
      expect(scraped).toBeGreaterThan(0);
    } finally {
      if (prometheus && prometheus.exitCode === null) {
        const gone = new Promise((done) => prometheus!.once('exit', done));
        prometheus.kill('SIGTERM');
        await gone;
      }
      example.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(lines.at(-1)).toMatchObject({ event: 'stopped' });
      rmSync(folder, { recursive: true, force: true });
    }
  }, 120_000);
});
