import { MemoryStorage, createEngine, createRemediator, type Resource } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import { createClient, type StatusChange } from '@iac-dharma/client';
import { createGateway, type InfrastructureProvider } from '@iac-dharma/gateway';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesProvider, type KubernetesProvider } from '../src/index.js';
import {
  adminClient,
  applyObjects,
  clusterEnv,
  createNamespace,
  deleteNamespace,
  deployment,
  waitForRollout,
} from './cluster.js';

let namespace: string;
let provider: KubernetesProvider;
const storage = new MemoryStorage();

beforeAll(async () => {
  namespace = await createNamespace('dharma-provider');
  await applyObjects([deployment(namespace, 'web', { replicas: 1, image: 'dharma.invalid/web:7' })]);
  await waitForRollout(namespace, 'web');
  provider = createKubernetesProvider({ client: clusterEnv().kubeconfig, namespaces: [namespace], storage });
  await provider.start();
});
afterAll(async () => {
  await provider.close();
  await deleteNamespace(namespace);
});

describe('Kubernetes infrastructure provider for the gateway', () => {
  it('is an InfrastructureProvider whose inventory, status and scaling come from the cluster and its watches', async () => {
    const typed: InfrastructureProvider = provider;
    expect(typed.name).toBe('kubernetes');
    const engine = createEngine({ storage });
    const remediator = createRemediator({ storage });
    const gateway = createGateway({ engine, remediator, provider, apiKeys: [], allowAnonymous: true });
    const url = await gateway.listen(0);
    const graphql = async (query: string) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query }),
      });
      return (await response.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    };
    try {
      const inventory = await graphql(
        '{ listInfrastructures { id provider status } deployments(infrastructureId: "kubernetes") { id replicas readyReplicas image status } }',
      );
      expect(inventory.errors).toBeUndefined();
      expect(inventory.data?.listInfrastructures).toEqual([
        { id: 'kubernetes', provider: 'kubernetes', status: 'running' },
      ]);
      expect(inventory.data?.deployments).toEqual([
        { id: `${namespace}/web`, replicas: 1, readyReplicas: 1, image: 'dharma.invalid/web:7', status: 'running' },
      ]);

      // A change made outside the SDK (kubectl scale) reaches status listeners, and the gateway's
      // infrastructureStatus subscribers, through the watch.
      const changes: Resource[] = [];
      const stop = provider.watchStatus((current) => changes.push(current));
      const client = createClient({ url, webSocketImpl: WebSocket, retry: { retries: 0 } });
      const subscribed: StatusChange[] = [];
      const subscription = (async () => {
        for await (const change of client.infrastructureStatus({ resourceId: `${namespace}/web` })) {
          subscribed.push(change);
          if (change.replicas === 2 && change.readyReplicas === 2) break;
        }
      })();
      await waitFor(() => gateway.subscriptionCount === 1);
      const scale = await adminClient().get<{ metadata: { resourceVersion: string } }>(
        `/apis/apps/v1/namespaces/${namespace}/deployments/web/scale`,
      );
      await adminClient().request({
        method: 'PUT',
        path: `/apis/apps/v1/namespaces/${namespace}/deployments/web/scale`,
        body: {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: { name: 'web', namespace, resourceVersion: scale.metadata.resourceVersion },
          spec: { replicas: 2 },
        },
      });
      await waitFor(
        () =>
          changes.some(
            (change) =>
              change.type === 'deployment' &&
              change.replicas === 2 &&
              change.readyReplicas === 2 &&
              change.status === 'running',
          ),
        { timeoutMs: 30_000 },
      );
      stop();
      await subscription;
      expect(subscribed.at(-1)).toMatchObject({
        resourceId: `${namespace}/web`,
        resourceType: 'deployment',
        status: 'running',
        replicas: 2,
        readyReplicas: 2,
      });
      await client.close();
      expect(await storage.getResource({ id: `${namespace}/web` })).toMatchObject({ replicas: 2, readyReplicas: 2 });

      // The gateway's scaleDeployment goes through the remediator's infrastructure.scale action and this provider.
      const scaled = await graphql(
        `mutation { scaleDeployment(input: { deploymentId: "${namespace}/web", replicas: 3, reason: "load" }) { remediation { outcome } deployment { replicas readyReplicas } } }`,
      );
      expect(scaled.errors).toBeUndefined();
      expect(scaled.data?.scaleDeployment).toEqual({
        remediation: { outcome: 'succeeded' },
        deployment: { replicas: 3, readyReplicas: 3 },
      });
      expect(
        (
          await adminClient().get<{ spec: { replicas: number } }>(
            `/apis/apps/v1/namespaces/${namespace}/deployments/web`,
          )
        ).spec.replicas,
      ).toBe(3);
      expect(await provider.status({ id: `${namespace}/web` })).toMatchObject({ desiredReplicas: 3, readyReplicas: 3 });
      expect((await provider.health()).status).toBe('ok');

      // A deleted Deployment leaves the inventory.
      await adminClient().request({ method: 'DELETE', path: `/apis/apps/v1/namespaces/${namespace}/deployments/web` });
      await waitFor(async () => (await storage.getResource({ id: `${namespace}/web` })) === undefined, {
        timeoutMs: 30_000,
      });
    } finally {
      await gateway.close();
      await remediator.close();
    }
  }, 120_000);
});
