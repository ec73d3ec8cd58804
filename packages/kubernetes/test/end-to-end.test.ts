import {
  AnomalyDetector,
  MemoryStorage,
  createEngine,
  createRemediator,
  type RemediationResult,
} from '@iac-dharma/core';
import { makeAnomalyFinding, waitFor } from '@iac-dharma/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubernetesPlugin, type KubernetesObject } from '../src/index.js';
import {
  adminClient,
  applyObjects,
  bindRestrictedUser,
  createNamespace,
  deleteNamespace,
  deployment,
  restrictedClient,
  waitForRollout,
} from './cluster.js';

let namespace: string;
const deploymentOf = (name: string) =>
  adminClient().get<KubernetesObject>(`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`);

beforeAll(async () => {
  namespace = await createNamespace('dharma-e2e');
  await bindRestrictedUser(namespace, ['iac-dharma-remediator']);
  await applyObjects([
    deployment(namespace, 'shop', { replicas: 2 }),
    deployment(namespace, 'cart', { replicas: 2, progressDeadlineSeconds: 6 }),
  ]);
  await Promise.all([waitForRollout(namespace, 'shop'), waitForRollout(namespace, 'cart')]);
});
afterAll(() => deleteNamespace(namespace));

describe('end to end: anomaly → guarded Kubernetes remediation → verified against the API → audit chain', () => {
  it('an anomaly on a Deployment triggers a rollout restart, verified by the new ReplicaSet and the recovered metric', async () => {
    const storage = new MemoryStorage();
    const remediator = createRemediator({
      storage,
      plugins: [createKubernetesPlugin({ client: restrictedClient(), namespaces: [namespace] })],
      policies: [
        {
          name: 'latency',
          match: { kinds: ['anomaly'], metrics: ['latency_ms'] },
          actions: [{ plugin: 'kubernetes', action: 'rollout-restart' }],
          mode: 'enforce',
          verify: { windowMs: 60_000, intervalMs: 300, consecutive: 2 },
        },
      ],
    });
    const engine = createEngine({ storage, analyzers: [new AnomalyDetector()], handlers: [remediator] });
    const results: RemediationResult[] = [];
    remediator.on('remediation', (result) => results.push(result));
    const resource = `${namespace}:shop`;
    const start = Date.now() - 400 * 60_000;
    // Four hundred minutes of normal latency, then a spike: the AnomalyDetector raises a finding.
    await engine.ingest(
      Array.from({ length: 400 }, (_, index) => ({
        resource,
        metric: 'latency_ms',
        value: 100 + 5 * Math.sin(index / 7) + (index % 3),
        timestamp: start + index * 60_000,
      })),
    );
    const before = await deploymentOf('shop');
    await engine.ingest([{ resource, metric: 'latency_ms', value: 900, timestamp: Date.now() - 1000 }]);
    await waitFor(() => storage.store.history.some((record) => record.type === 'execution'), {
      timeoutMs: 30_000,
      message: 'the remediation executed',
    });
    // The restarted pods serve normal latency again (what the monitoring system would now report).
    await waitFor(
      async () => {
        await engine.ingest([{ resource, metric: 'latency_ms', value: 101, timestamp: Date.now() }]);
        return results.length > 0;
      },
      { timeoutMs: 60_000, intervalMs: 300 },
    );
    expect(results[0]).toMatchObject({
      outcome: 'succeeded',
      resource,
      action: { plugin: 'kubernetes', action: 'rollout-restart' },
    });
    const after = await deploymentOf('shop');
    expect(Number(after.metadata?.annotations?.['deployment.kubernetes.io/revision'])).toBe(
      Number(before.metadata?.annotations?.['deployment.kubernetes.io/revision']) + 1,
    );
    expect(after.status?.availableReplicas).toBe(2);
    expect(storage.store.history.map((record) => record.type)).toEqual([
      'plan',
      'decision',
      'execution',
      'verification',
      'outcome',
    ]);
    expect((await remediator.verifyHistory()).ok).toBe(true);
    await engine.close();
  }, 120_000);

  it('a rollout that never becomes available is rolled back and the history says so', async () => {
    const storage = new MemoryStorage();
    const remediator = createRemediator({
      storage,
      plugins: [createKubernetesPlugin({ client: restrictedClient(), namespaces: [namespace] })],
      // A CPU request no node can satisfy: the new pods stay Pending and the rollout misses its progress deadline.
      policies: [
        {
          name: 'cpu',
          match: { kinds: ['anomaly'] },
          actions: [{ plugin: 'kubernetes', action: 'patch-resources', params: { requests: { cpu: '64' } } }],
          mode: 'enforce',
          verify: { windowMs: 15_000, intervalMs: 500 },
        },
      ],
    });
    const before = await deploymentOf('cart');
    const result = await remediator.remediate(
      makeAnomalyFinding({ resource: `${namespace}:cart`, series: undefined, value: undefined }),
    );
    expect(result?.outcome).toBe('failed');
    expect(result?.reason).toMatch(/did not fix it: .*cart.*; rolled back$/);
    const types = storage.store.history.map((record) => record.type);
    expect(types).toEqual(['plan', 'decision', 'execution', 'verification', 'rollback', 'escalation', 'outcome']);
    expect(storage.store.history.find((record) => record.type === 'rollback')?.data).toMatchObject({ ok: true });
    expect((await remediator.verifyHistory()).ok).toBe(true);
    const restored = await waitForRollout(namespace, 'cart');
    expect(
      ((restored.spec?.template as KubernetesObject).spec?.containers as { resources: unknown }[])[0]!.resources,
    ).toEqual(((before.spec?.template as KubernetesObject).spec?.containers as { resources: unknown }[])[0]!.resources);
  }, 120_000);

  it('a dry run of the same policy is validated by the API server and changes nothing', async () => {
    const storage = new MemoryStorage();
    const remediator = createRemediator({
      storage,
      plugins: [createKubernetesPlugin({ client: restrictedClient(), namespaces: [namespace] })],
      policies: [
        {
          name: 'scale-out',
          match: { kinds: ['anomaly'] },
          actions: [{ plugin: 'kubernetes', action: 'scale', params: { delta: 2 } }],
          mode: 'dry-run',
        },
      ],
    });
    const before = await deploymentOf('shop');
    const result = await remediator.remediate(makeAnomalyFinding({ resource: `${namespace}:shop` }));
    expect(result?.outcome).toBe('dry-run');
    expect(result?.reason).toContain(
      `scale Deployment ${namespace}/shop from 2 to 4 replicas (accepted by the API server in a dryRun=All request`,
    );
    const after = await deploymentOf('shop');
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(storage.store.history.map((record) => record.type)).toEqual(['plan', 'decision', 'outcome']);
  }, 120_000);
});
