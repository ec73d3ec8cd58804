import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createRemediator } from '../../../remediation/remediator.js';
import { createWebhookPlugin } from '../../../remediation/webhook-plugin.js';
import { MemoryStorage } from '../../../storage/memory-storage.js';

interface Received {
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const servers: Server[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** A real HTTP server on a free loopback port that records what it receives and answers with `answer`. */
async function serve(
  answer: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ origin: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ url: request.url ?? '', headers: request.headers, body });
      answer(request, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

describe('webhook plugin and redirects', () => {
  it.each([301, 302, 307, 308])(
    'does not follow a %d redirect off the allow-list, nor forward the secret header',
    async (status) => {
      const elsewhere = await serve((_request, response) =>
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      );
      const allowed = await serve((_request, response) =>
        response.writeHead(status, { location: `${elsewhere.origin}/steal` }).end(),
      );
      const remediator = createRemediator({
        storage: new MemoryStorage(),
        guards: { cooldown: { resourceMs: 0, actionMs: 0 } },
        plugins: [
          createWebhookPlugin({
            endpoints: {
              runbook: {
                url: `${allowed.origin}/hook`,
                headers: { 'x-runbook-token': 'very-secret' },
                retries: 0,
                risk: 'low',
              },
            },
          }),
        ],
      });
      const result = await remediator.execute({
        action: { plugin: 'webhook', action: 'runbook', params: { payload: { run: 'restart' } } },
        resourceId: 'web-1',
      });
      expect(allowed.received).toHaveLength(1);
      expect(elsewhere.received).toEqual([]);
      expect(result.outcome).toBe('failed');
      expect(result.reason).toMatch(/redirect/);
      await remediator.close();
    },
  );
});
