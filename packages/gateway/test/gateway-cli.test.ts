import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitFor } from '@iac-dharma/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { parseGatewayArgs } from '../src/cli/parse-gateway-args.js';

const bin = fileURLToPath(new URL('../bin/dharma-gateway.js', import.meta.url));
const directory = mkdtempSync(join(tmpdir(), 'dharma-gateway-cli-'));

describe('dharma-gateway command', () => {
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('parses options and refuses bad ones with a message naming the option', () => {
    expect(
      parseGatewayArgs(['--storage', 'sqlite:./a.db', '--port', '0', '--api-key', 'operator:secret-key'], {
        DHARMA_GATEWAY_API_KEYS: 'viewer:other-key:dash',
      }),
    ).toMatchObject({
      storage: 'sqlite:./a.db',
      port: 0,
      apiKeys: [
        { role: 'operator', key: 'secret-key' },
        { role: 'viewer', key: 'other-key', name: 'dash' },
      ],
    });
    expect(() => parseGatewayArgs(['--storage', 'mysql://x'])).toThrow(
      /--storage "mysql:\/\/x": use memory or sqlite:<path>/,
    );
    expect(() => parseGatewayArgs(['--port', 'http'])).toThrow(/--port/);
    expect(() => parseGatewayArgs(['--api-key', 'admin:secret-key'])).toThrow(/role/);
    expect(() => parseGatewayArgs(['--log-format', 'xml'])).toThrow(/--log-format "xml": use text or json/);
    expect(parseGatewayArgs([])).toMatchObject({ logFormat: 'text', logLevel: 'info' });
  });

  it('starts from one command on SQLite storage, serves GraphQL and /health, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [
        bin,
        '--storage',
        `sqlite:${join(directory, 'aiops.db')}`,
        '--port',
        '0',
        '--api-key',
        'operator:cli-secret-key',
        '--log-format',
        'json',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    let errors = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const url = await waitFor(() => /listening on (\S+)/.exec(output)?.[1], {
        timeoutMs: 30_000,
        message: `gateway start (stderr: ${errors})`,
      });
      const health = (await (await fetch(url.replace('/graphql', '/health'))).json()) as {
        status: string;
        components: Record<string, unknown>;
      };
      expect(health.status).toBe('ok');
      expect(Object.keys(health.components)).toContain('storage:sqlite');
      const created = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'cli-secret-key' },
        body: JSON.stringify({
          query: 'mutation { createInfrastructure(input: { id: "vpc", name: "VPC" }) { id status } }',
        }),
      });
      expect(await created.json()).toEqual({ data: { createInfrastructure: { id: 'vpc', status: 'running' } } });
      // A rejected sample is logged on stderr as a JSON line with its fields, not lost.
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'cli-secret-key' },
        body: JSON.stringify({
          query:
            'mutation { ingestMetrics(samples: [{ resourceId: "vpc", metric: "cpu", value: 1e300 }]) { accepted rejected } }',
        }),
      });
      const warning = await waitFor(
        () =>
          errors
            .split('\n')
            .filter(Boolean)
            .map((line) => JSON.parse(line) as Record<string, unknown>)
            .find((line) => line.level === 'warn'),
        {
          timeoutMs: 10_000,
          message: `a warn line on stderr (stderr: ${errors})`,
        },
      );
      expect(warning).toMatchObject({ source: 'ingest', index: 0 });
      expect(String(warning.msg)).toMatch(/value/);
      const page = await fetch(url, { headers: { accept: 'text/html' } });
      expect(await page.text()).toMatch(/GraphiQL/i);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
