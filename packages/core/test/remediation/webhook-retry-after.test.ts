import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookPlugin, noopLogger, type RemediationContext } from '@iac-dharma/core';

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('webhook plugin retries', () => {
  it("waits as long as a 503 answer's Retry-After asks before the next attempt", async () => {
    let requests = 0;
    const server = createServer((_request, response) => {
      requests++;
      if (requests === 1) response.writeHead(503, { 'retry-after': '3' }).end('busy');
      else response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const sleeps: number[] = [];
    // A clock that records each wait and returns at once (no real waiting in the test).
    const clock = { now: () => Date.UTC(2026, 0, 1), sleep: async (ms: number) => void sleeps.push(ms) };
    const plugin = createWebhookPlugin({ endpoints: { runbook: { url, retries: 2, backoffMs: 100 } } });
    const context: RemediationContext = {
      remediationId: 'r-1',
      resourceId: 'web-1',
      signal: new AbortController().signal,
      logger: noopLogger,
      clock,
      dryRun: false,
    };
    const result = await plugin.actions.runbook!.execute({ payload: {} }, context);
    expect(result).toMatchObject({ status: 200, attempts: 2 });
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3000);
  });
});
