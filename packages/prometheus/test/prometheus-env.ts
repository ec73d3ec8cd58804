import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@iac-dharma/core/testing';

/** Repository root (packages/prometheus/test → ../../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The monitoring stack started by scripts/services/start-prometheus.sh (throws, never skips, when absent). */
export function prometheusEnv(): {
  prometheus: string;
  nodeExporter: string;
  alertmanager: string;
  fillDir: string;
  fillDir2: string;
  textfileDir: string;
} {
  const file = join(process.env.DHARMA_SERVICES_DIR ?? join(repoRoot, '.services'), 'prometheus.env');
  if (!existsSync(file))
    throw new Error(
      `No Prometheus: ${file} does not exist. Run npm test (it starts one with scripts/services/start-prometheus.sh).`,
    );
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return {
    prometheus: values.DHARMA_PROMETHEUS_URL!,
    nodeExporter: values.DHARMA_NODE_EXPORTER_URL!,
    alertmanager: values.DHARMA_ALERTMANAGER_URL!,
    fillDir: values.DHARMA_FILL_DIR ?? '',
    fillDir2: values.DHARMA_FILL_DIR_2 ?? '',
    textfileDir: values.DHARMA_TEXTFILE_DIR!,
  };
}

/** Starts an HTTP server on a free local port. */
export async function listen(
  handler: RequestListener,
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * A private, short-lived Prometheus (the Debian binary) with its own config, e.g. to remote-write to a
 * receiver under test. Stopped (by its pid) by `stop()`.
 */
export async function startPrivatePrometheus(config: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const folder = mkdtempSync(join(tmpdir(), 'dharma-prom-'));
  writeFileSync(join(folder, 'prometheus.yml'), config);
  const port = await new Promise<number>((done) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => done(free));
    });
  });
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(folder, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(folder, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
    ],
    { stdio: 'ignore' },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await fetch(`${url}/-/ready`).catch(() => undefined))?.ok, {
    timeoutMs: 30_000,
    intervalMs: 100,
    message: 'private Prometheus ready',
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((done) => child.once('exit', done));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
