import { describe, expect, it } from 'vitest';
import { createClient } from './create-client.js';
import { AuthError, GraphQLRequestError, NetworkError } from './errors/client-errors.js';

/** A fetch that counts calls and answers with `respond` (or throws what it returns when it is an Error). */
function countingFetch(respond: () => Response | Error) {
  const calls: { body: string; headers: Headers }[] = [];
  const fetchImpl = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ body: String(init?.body), headers: new Headers(init?.headers) });
    const answer = respond();
    if (answer instanceof Error) throw answer;
    return answer;
  }) as typeof fetch;
  return { calls, fetchImpl };
}
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('createClient', () => {
  it('sends the API key and variables, and returns the root field', async () => {
    const { calls, fetchImpl } = countingFetch(() => json({ data: { deployments: [{ id: 'web' }] } }));
    const client = createClient({ url: 'http://gateway.test/graphql', apiKey: 'key-123456', fetch: fetchImpl });
    expect(await client.deployments({ infrastructureId: 'vpc' })).toEqual([{ id: 'web' }]);
    expect(calls[0]!.headers.get('x-api-key')).toBe('key-123456');
    expect(JSON.parse(calls[0]!.body)).toMatchObject({ variables: { infrastructureId: 'vpc' } });
  });

  it('retries queries on network errors but never mutations', async () => {
    const { calls, fetchImpl } = countingFetch(() => new TypeError('fetch failed'));
    const client = createClient({
      url: 'http://gateway.test/graphql',
      fetch: fetchImpl,
      retry: { retries: 2, delayMs: 1 },
    });
    await expect(client.listInfrastructures()).rejects.toBeInstanceOf(NetworkError);
    expect(calls).toHaveLength(3);
    calls.length = 0;
    await expect(client.scaleDeployment({ deploymentId: 'web', replicas: 2 })).rejects.toMatchObject({
      code: 'NETWORK_ERROR',
      isRetryable: true,
    });
    expect(calls).toHaveLength(1);
  });

  it('maps gateway errors to typed errors and does not retry them', async () => {
    let answer = () =>
      json(
        {
          errors: [{ message: 'Unauthenticated: the API key is not valid.', extensions: { code: 'UNAUTHENTICATED' } }],
        },
        401,
      );
    const { calls, fetchImpl } = countingFetch(() => answer());
    const client = createClient({ url: 'http://gateway.test/graphql', fetch: fetchImpl });
    await expect(client.listInfrastructures()).rejects.toBeInstanceOf(AuthError);
    expect(calls).toHaveLength(1);

    answer = () =>
      json({
        errors: [
          {
            message: 'Invalid input: input.replicas: Too small',
            extensions: { code: 'VALIDATION_ERROR', field: 'input.replicas' },
          },
        ],
      });
    const error = await client
      .scaleDeployment({ deploymentId: 'web', replicas: -1 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.replicas', isRetryable: false });

    answer = () => new Response('<html>bad gateway</html>', { status: 502 });
    calls.length = 0;
    await expect(client.deployments()).rejects.toMatchObject({ code: 'NETWORK_ERROR', status: 502 });
    expect(calls).toHaveLength(3); // a 502 is retryable for queries
  });

  it('refuses subscriptions without a WebSocket implementation with a clear error', () => {
    const client = createClient({ url: 'http://gateway.test/graphql', webSocketImpl: undefined });
    const original = (globalThis as { WebSocket?: unknown }).WebSocket;
    (globalThis as { WebSocket?: unknown }).WebSocket = undefined;
    try {
      expect(() => client.anomalyAlerts()).toThrow(/webSocketImpl/);
    } finally {
      (globalThis as { WebSocket?: unknown }).WebSocket = original;
    }
  });
});
