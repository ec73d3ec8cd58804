import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { DharmaError } from '@iac-dharma/core';
import { afterEach, describe, expect, it } from 'vitest';
import { KubernetesClient } from './kubernetes-client.js';
import {
  KubernetesConflictError,
  KubernetesForbiddenError,
  KubernetesInvalidError,
  KubernetesNotFoundError,
  KubernetesThrottledError,
  KubernetesUnauthorizedError,
  KubernetesUnavailableError,
} from './kubernetes-errors.js';

/** A scripted HTTP server standing in for an API server that fails in the ways real ones do. */
async function scripted(
  answers: { status: number; body?: unknown; headers?: Record<string, string> }[],
): Promise<{ client: KubernetesClient; requests: IncomingMessage[]; server: Server }> {
  const requests: IncomingMessage[] = [];
  const server = createServer((request, response) => {
    requests.push(request);
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)]!;
    request.resume();
    request.on('end', () =>
      response
        .writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        .end(answer.body === undefined ? '' : JSON.stringify(answer.body)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const config = new KubeConfig();
  config.loadFromOptions({
    clusters: [
      { name: 'c', server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, skipTLSVerify: true },
    ],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  servers.push(server);
  return { client: new KubernetesClient(config, { backoffMs: 1, retries: 2 }), requests, server };
}
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

const status = (code: number, reason: string) => ({
  status: code,
  body: { kind: 'Status', status: 'Failure', reason, message: `${reason} happened`, code },
});

describe('KubernetesClient errors and retries', () => {
  it.each([
    [401, 'Unauthorized', KubernetesUnauthorizedError, 'KUBERNETES_UNAUTHORIZED', false],
    [403, 'Forbidden', KubernetesForbiddenError, 'KUBERNETES_FORBIDDEN', false],
    [404, 'NotFound', KubernetesNotFoundError, 'KUBERNETES_NOT_FOUND', false],
    [409, 'Conflict', KubernetesConflictError, 'KUBERNETES_CONFLICT', false],
    [422, 'Invalid', KubernetesInvalidError, 'KUBERNETES_INVALID', false],
  ] as const)('maps %i to a typed error and does not retry it', async (code, reason, type, errorCode, retryable) => {
    const { client, requests } = await scripted([status(code, reason)]);
    const error = await client.get('/api/v1/namespaces/x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(type);
    expect(DharmaError.isInstance(error)).toBe(true);
    expect((error as KubernetesConflictError).code).toBe(errorCode);
    expect((error as KubernetesConflictError).status).toBe(code);
    expect((error as KubernetesConflictError).isRetryable).toBe(retryable);
    expect(requests).toHaveLength(1);
  });

  it('retries a read after 429 and 503, then succeeds', async () => {
    const { client, requests } = await scripted([
      status(429, 'TooManyRequests'),
      status(503, 'ServiceUnavailable'),
      { status: 200, body: { kind: 'Namespace' } },
    ]);
    await expect(client.get('/api/v1/namespaces/x')).resolves.toEqual({ kind: 'Namespace' });
    expect(requests).toHaveLength(3);
  });

  it('gives up after the configured retries with a retryable typed error', async () => {
    const { client, requests } = await scripted([status(500, 'InternalError')]);
    const error = await client.get('/api/v1/pods').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubernetesUnavailableError);
    expect((error as KubernetesUnavailableError).isRetryable).toBe(true);
    expect(requests).toHaveLength(3);
  });

  it('never repeats a non-idempotent write after a 5xx (it may have been applied), but does after a 429', async () => {
    const failing = await scripted([status(503, 'ServiceUnavailable'), { status: 201, body: {} }]);
    await expect(
      failing.client.request({ method: 'POST', path: '/api/v1/namespaces', body: {} }),
    ).rejects.toBeInstanceOf(KubernetesUnavailableError);
    expect(failing.requests).toHaveLength(1);
    const throttled = await scripted([status(429, 'TooManyRequests'), { status: 201, body: { ok: true } }]);
    await expect(throttled.client.request({ method: 'POST', path: '/api/v1/namespaces', body: {} })).resolves.toEqual({
      ok: true,
    });
    expect(throttled.requests).toHaveLength(2);
  });

  it('repeats a write guarded by a resourceVersion precondition after a 5xx', async () => {
    const { client, requests } = await scripted([
      status(502, 'BadGateway'),
      { status: 200, body: { spec: { replicas: 3 } } },
    ]);
    await expect(
      client.request({
        method: 'PUT',
        path: '/apis/apps/v1/namespaces/a/deployments/b/scale',
        body: {},
        idempotent: true,
      }),
    ).resolves.toEqual({ spec: { replicas: 3 } });
    expect(requests).toHaveLength(2);
    expect(requests[0]!.headers.authorization).toBe('Bearer t');
  });

  it('reports an unreachable server as a retryable KubernetesUnavailableError', async () => {
    const { client, server } = await scripted([{ status: 200 }]);
    await new Promise((resolve) => server.close(resolve));
    servers.length = 0;
    const error = await client.get('/version').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubernetesUnavailableError);
    expect((error as KubernetesUnavailableError).status).toBe(0);
  });

  it('throttled errors are typed too', async () => {
    const { client } = await scripted([status(429, 'TooManyRequests')]);
    await expect(client.request({ method: 'POST', path: '/x', body: {} })).rejects.toBeInstanceOf(
      KubernetesThrottledError,
    );
  });
});
