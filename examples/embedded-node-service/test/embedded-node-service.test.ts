// Runs the example as a real child process (as `npm start` would), talks to its HTTP API, stops it with
// SIGTERM and starts it again on the same SQLite file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@iac-dharma/core/testing';
import { afterAll, describe, expect, it } from 'vitest';

const EXAMPLE = fileURLToPath(new URL('..', import.meta.url));

interface Child {
  process: ChildProcess;
  lines: Array<Record<string, unknown>>;
  url: string;
  exited: Promise<number | null>;
}

async function start(databasePath: string): Promise<Child> {
  const child = spawn(process.execPath, ['--conditions=@iac-dharma/source', '--import', 'tsx', 'src/index.ts'], {
    cwd: EXAMPLE,
    env: { ...process.env, PORT: '0', DB_PATH: databasePath, FORECAST_INTERVAL_MS: '200' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffer.slice(0, newline)) as Record<string, unknown>);
      buffer = buffer.slice(newline + 1);
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = await waitFor(() => lines.find((line) => line['event'] === 'listening'), {
    timeoutMs: 30_000,
    message: 'the service did not start',
  });
  return { process: child, lines, url: String(listening['url']), exited };
}

const post = (url: string, body: unknown) =>
  fetch(`${url}/metrics`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('@example/embedded-node-service', () => {
  const folder = mkdtempSync(join(tmpdir(), 'dharma-embedded-'));
  const databasePath = join(folder, 'service.sqlite');
  const children: Child[] = [];
  afterAll(() => {
    for (const child of children) child.process.kill('SIGKILL');
    rmSync(folder, { recursive: true, force: true });
  });

  it('detects an anomaly, forecasts a disk filling up, rejects bad input, and shuts down gracefully', async () => {
    const service = await start(databasePath);
    children.push(service);
    expect(await (await fetch(`${service.url}/health`)).json()).toMatchObject({ status: 'ok' });

    const start0 = Date.UTC(2026, 0, 1);
    const steady = (resource: string) =>
      Array.from({ length: 300 }, (_, index) => ({
        resource,
        metric: 'latency_ms',
        value: 100 + 5 * Math.sin(index / 3) + (index % 7),
        timestamp: start0 + index * 60_000,
      }));
    expect(await (await post(service.url, [...steady('api-1'), ...steady('api-2')])).json()).toMatchObject({
      accepted: 600,
      rejected: 0,
      findings: 0,
    });
    const spike = await post(service.url, {
      resource: 'api-1',
      metric: 'latency_ms',
      value: 900,
      timestamp: start0 + 300 * 60_000,
    });
    expect(await spike.json()).toMatchObject({ accepted: 1, findings: 1 });
    expect(service.lines).toContainEqual(
      expect.objectContaining({ event: 'finding', kind: 'anomaly', resource: 'api-1' }),
    );

    const disk = Array.from({ length: 120 }, (_, index) => ({
      resource: 'db-1',
      metric: 'disk_used_ratio',
      value: 0.5 + index * 0.003,
      timestamp: start0 + index * 60_000,
    }));
    expect((await post(service.url, disk)).status).toBe(202);
    const forecasts = await waitFor(
      async () => {
        const found = (await (await fetch(`${service.url}/findings?resource=db-1&kind=forecast`)).json()) as Array<{
          exhaustionAt?: number;
          threshold: number;
        }>;
        return found.length > 0 ? found : undefined;
      },
      { timeoutMs: 20_000, message: 'no forecast finding' },
    );
    expect(forecasts[0]!.threshold).toBe(0.9);
    // 0.857 now, +0.003 per minute: the point forecast crosses 0.9 about 14 minutes after the last sample.
    expect(forecasts[0]!.exhaustionAt! - (start0 + 119 * 60_000)).toBeGreaterThan(5 * 60_000);
    expect(forecasts[0]!.exhaustionAt! - (start0 + 119 * 60_000)).toBeLessThan(30 * 60_000);

    const bad = await post(service.url, { resource: 'api-1', metric: 'latency_ms', value: 'fast' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/value/);
    const mixed = await post(service.url, [
      { resource: 'api-1', metric: 'latency_ms', value: 101, timestamp: start0 + 301 * 60_000 },
      { resource: '', metric: 'x', value: 1 },
    ]);
    expect(mixed.status).toBe(422);
    expect(await mixed.json()).toMatchObject({ accepted: 1, rejected: 1, errors: [expect.stringMatching(/resource/)] });

    service.process.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.lines.map((line) => line['event'])).toEqual(expect.arrayContaining(['shutdown', 'closed']));
  });

  it('restarts on the same database and keeps what it learned and found', async () => {
    const service = await start(databasePath);
    children.push(service);
    const findings = (await (await fetch(`${service.url}/findings?resource=api-1&kind=anomaly`)).json()) as unknown[];
    expect(findings).toHaveLength(1);
    // The detector's learned state was restored: api-2 is past its warm-up (a fresh detector would score its
    // first 150 samples 0), so a spike right after the restart is reported at once.
    const spike = await post(service.url, {
      resource: 'api-2',
      metric: 'latency_ms',
      value: 900,
      timestamp: Date.UTC(2026, 0, 1) + 300 * 60_000,
    });
    expect(await spike.json()).toMatchObject({ accepted: 1, findings: 1 });
    service.process.kill('SIGINT');
    expect(await service.exited).toBe(0);
  });
});
