import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage, createRemediator, createWebhookPlugin, type WebhookEndpointInput } from '@iac-dharma/core';

describe('webhook plugin (real HTTP server)', () => {
  let server: Server | undefined;
  afterEach(
    () =>
      new Promise<void>((resolve) => {
        server?.closeAllConnections();
        return server ? server.close(() => resolve()) : resolve();
      }),
  );

  async function serve(answers: Array<number | 'hang'>): Promise<{ url: string; bodies: unknown[] }> {
    const bodies: unknown[] = [];
    let call = 0;
    server = createServer(async (request: IncomingMessage, response) => {
      let text = '';
      for await (const chunk of request) text += chunk;
      bodies.push(JSON.parse(text));
      const answer = answers[Math.min(call++, answers.length - 1)]!;
      if (answer === 'hang') return; // never answers
      response
        .writeHead(answer, { 'content-type': 'application/json' })
        .end(JSON.stringify({ accepted: answer < 300 }));
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/runbook`, bodies };
  }

  const remediator = (endpoint: WebhookEndpointInput) =>
    createRemediator({
      storage: new MemoryStorage(),
      guards: { cooldown: { resourceMs: 0, actionMs: 0 } },
      plugins: [createWebhookPlugin({ endpoints: { runbook: endpoint } })],
    });

  it('posts the remediation as JSON and retries 5xx answers with backoff', async () => {
    const { url, bodies } = await serve([503, 502, 200]);
    const result = await remediator({ url, retries: 2, backoffMs: 10, headers: { authorization: 'Bearer t' } }).execute(
      {
        action: { plugin: 'webhook', action: 'runbook', params: { payload: { replicas: 3 } } },
        resourceId: 'api',
        requestedBy: 'alice',
      },
    );
    expect(result.outcome).toBe('succeeded');
    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toMatchObject({ resourceId: 'api', requestedBy: 'alice', payload: { replicas: 3 } });
  });

  it('does not retry a 4xx answer and fails after exhausting retries', async () => {
    const client = await serve([400]);
    const rejected = await remediator({ url: client.url, retries: 3, backoffMs: 1 }).execute({
      action: { plugin: 'webhook', action: 'runbook', params: {} },
      resourceId: 'api',
    });
    expect(rejected.outcome).toBe('failed');
    expect(rejected.reason).toContain('HTTP 400');
    expect(client.bodies).toHaveLength(1);
  });

  it('times out a hanging endpoint per attempt', async () => {
    const { url, bodies } = await serve(['hang']);
    const result = await remediator({ url, retries: 1, timeoutMs: 200, backoffMs: 1 }).execute({
      action: { plugin: 'webhook', action: 'runbook', params: {} },
      resourceId: 'api',
    });
    expect(result.outcome).toBe('failed');
    expect(result.reason).toContain('timed out after 200 ms');
    expect(bodies).toHaveLength(2);
  });

  it('validates endpoints when the plugin is created', () => {
    expect(() => createWebhookPlugin({ endpoints: { bad: { url: 'file:///etc/passwd' } } })).toThrow(/url/);
  });
});
