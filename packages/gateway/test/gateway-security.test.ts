import { AuthError, GraphQLRequestError, NetworkError, type DharmaClient } from '@iac-dharma/client';
import { waitFor } from '@iac-dharma/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR_KEY, VIEWER_KEY, startTestGateway, type TestGateway } from './start-test-gateway.js';

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be refused');
}

describe('gateway security, limits and validation', () => {
  let harness: TestGateway;
  let viewer: DharmaClient;
  beforeAll(async () => {
    harness = await startTestGateway({ maxDepth: 6, maxComplexity: 5_000 });
    viewer = harness.clientWith(VIEWER_KEY);
    await harness.client.createInfrastructure({
      id: 'infra-a',
      name: 'A',
      deployments: [{ id: 'dep-a', name: 'Dep A', replicas: 0 }],
    });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('refuses a request without an API key, and one with a wrong key, with UNAUTHENTICATED', async () => {
    const none = await refusal(harness.clientWith(undefined).listInfrastructures());
    expect(none).toBeInstanceOf(AuthError);
    expect(none).toMatchObject({ code: 'UNAUTHENTICATED', isRetryable: false });
    expect((none as Error).message).toMatch(/x-api-key/);
    const wrong = await refusal(harness.clientWith('not-the-right-key').listInfrastructures());
    expect(wrong).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/not valid/) });
    // Raw HTTP: the status says it too.
    const response = await fetch(harness.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ listInfrastructures { id } }' }),
    });
    expect(response.status).toBe(401);
  });

  it('accepts the key as Authorization: Bearer', async () => {
    const response = await fetch(harness.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${VIEWER_KEY}` },
      body: JSON.stringify({ query: '{ listInfrastructures { id } }' }),
    });
    expect(await response.json()).toEqual({ data: { listInfrastructures: [{ id: 'infra-a' }] } });
  });

  it('lets a viewer query but not mutate (FORBIDDEN), over HTTP and WebSocket', async () => {
    expect((await viewer.listInfrastructures()).map((item) => item.id)).toEqual(['infra-a']);
    const forbidden = await refusal(viewer.scaleDeployment({ deploymentId: 'dep-a', replicas: 1 }));
    expect(forbidden).toBeInstanceOf(AuthError);
    expect(forbidden).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/operator/) });
    expect(await harness.provider.status({ id: 'dep-a' })).toMatchObject({ readyReplicas: 0 });
  });

  it('refuses subscriptions without a valid key', async () => {
    const wrong = await refusal(harness.clientWith('not-the-right-key').anomalyAlerts().next());
    expect(wrong).toBeInstanceOf(AuthError);
    expect((wrong as Error).message).toMatch(/unknown API key/);
    const none = await refusal(harness.clientWith(undefined).metricsStream().next());
    expect(none).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(harness.gateway.subscriptionCount).toBe(0);
  });

  it('lets a viewer subscribe, and unsubscribes on return() and on abort', async () => {
    const iterator = viewer.metricsStream({ resourceId: 'r1' });
    const first = iterator.next();
    await waitFor(() => harness.gateway.subscriptionCount === 1);
    await harness.client.ingestMetrics([{ resourceId: 'r1', metric: 'm', value: 1, timestamp: 1_000 }]);
    expect((await first).value).toEqual({ resourceId: 'r1', metric: 'm', value: 1, timestamp: 1_000 });
    await iterator.return();
    await waitFor(() => harness.gateway.subscriptionCount === 0);

    const controller = new AbortController();
    const aborted = viewer.anomalyAlerts({}, { signal: controller.signal });
    const pending = aborted.next();
    await waitFor(() => harness.gateway.subscriptionCount === 1);
    controller.abort();
    expect(await pending).toEqual({ value: undefined, done: true });
    await waitFor(() => harness.gateway.subscriptionCount === 0);
  });

  it('refuses queries nested deeper than maxDepth', async () => {
    const deep =
      '{ deployments { infrastructure { deployments { infrastructure { deployments { infrastructure { id } } } } } } }';
    const error = await refusal(viewer.request(deep));
    expect(error).toBeInstanceOf(GraphQLRequestError);
    expect(error).toMatchObject({
      code: 'QUERY_TOO_DEEP',
      message: expect.stringMatching(/7 levels deep; the limit is 6/),
    });
  });

  it('refuses queries above maxComplexity, counting list limits from variables', async () => {
    const wide =
      'query Wide($limit: Int) { listInfrastructures(limit: $limit) { id deployments { id name pids } compute { id } } }';
    expect(await viewer.request(wide, { limit: 10 })).toMatchObject({ listInfrastructures: [{ id: 'infra-a' }] });
    const error = await refusal(viewer.request(wide, { limit: 1000 }));
    expect(error).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      message: expect.stringMatching(/exceeds the limit of 5000/),
    });
    const metrics = await (await fetch(harness.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/dharma_gateway_refused_total\{reason="too_complex"\} 1/);
    expect(metrics).toMatch(/dharma_gateway_refused_total\{reason="too_deep"\} 1/);
  });

  it('answers malformed input with validation errors that name the field', async () => {
    const { client } = harness;
    const scale = await refusal(client.scaleDeployment({ deploymentId: 'dep-a', replicas: -1 }));
    expect(scale).toBeInstanceOf(GraphQLRequestError);
    expect(scale).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'input.replicas',
      message: expect.stringMatching(/input\.replicas/),
    });

    const create = await refusal(
      client.createInfrastructure({
        id: 'infra-b',
        name: '',
        compute: [{ id: 'c1', name: 'c', cpu: -2, memoryMiB: 1 }],
      }),
    );
    expect(create).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.name' });

    const compute = await refusal(
      client.createInfrastructure({
        id: 'infra-b',
        name: 'B',
        compute: [{ id: 'c1', name: 'c', cpu: -2, memoryMiB: 1 }],
      }),
    );
    expect(compute).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.compute.0.cpu' });

    const duplicate = await refusal(client.createInfrastructure({ id: 'infra-a', name: 'again' }));
    expect(duplicate).toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'input.id',
      message: expect.stringMatching(/already exists/),
    });

    const limit = await refusal(client.listInfrastructures({ limit: -5 }));
    expect(limit).toMatchObject({ code: 'VALIDATION_ERROR', field: 'limit' });

    // GraphQL's own type checks name the variable and field too.
    const typed = await refusal(
      client.request(
        'mutation($input: ScaleDeploymentInput!) { scaleDeployment(input: $input) { deployment { id } } }',
        { input: { deploymentId: 'dep-a', replicas: 'many' } },
      ),
    );
    expect((typed as Error).message).toMatch(/replicas/);

    const missing = await refusal(client.scaleDeployment({ deploymentId: 'nope', replicas: 1 }));
    expect(missing).toMatchObject({ code: 'NOT_FOUND', message: 'Deployment "nope" does not exist.' });

    const noData = await refusal(client.requestPrediction({ resourceId: 'unknown-host' }));
    expect(noData).toMatchObject({ code: 'VALIDATION_ERROR', field: 'input.metric' });

    const ingest = await client.ingestMetrics([
      { resourceId: 'r2', metric: 'cpu', value: 1 },
      { resourceId: '', metric: 'cpu', value: 2 },
    ]);
    expect(ingest.accepted).toBe(1);
    expect(ingest.rejected).toBe(1);
    expect(ingest.errors[0]).toMatch(/samples\[1\]\.resource/);
  });

  it('masks unexpected errors without leaking internals', async () => {
    const { storage } = harness.engine;
    const original = storage.listResources.bind(storage);
    storage.listResources = async () => {
      throw new Error('connection string postgres://admin:hunter2@db leaked');
    };
    try {
      const error = await refusal(harness.client.listInfrastructures());
      expect(error).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: 'Unexpected error.' });
      expect(JSON.stringify(error)).not.toContain('hunter2');
    } finally {
      storage.listResources = original;
    }
  });

  it('reports a network error (retryable) when the gateway is unreachable', async () => {
    const { createClient } = await import('@iac-dharma/client');
    const offline = createClient({
      url: 'http://127.0.0.1:1/graphql',
      apiKey: OPERATOR_KEY,
      retry: { retries: 1, delayMs: 1 },
    });
    const error = await refusal(offline.listInfrastructures());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', isRetryable: true });
  });
});
