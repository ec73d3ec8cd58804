import {
  MemoryStorage,
  createRemediator,
  type RemediationContext,
  type RemediationPlugin,
  noopLogger,
  systemClock,
} from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  KubernetesConflictError,
  KubernetesForbiddenError,
  KubernetesGuardError,
  KubernetesInvalidError,
  KubernetesNotFoundError,
  KubernetesUnauthorizedError,
  KubernetesClient,
  createKubernetesPlugin,
  type KubernetesObject,
  type KubernetesList,
} from '../src/index.js';
import {
  adminClient,
  applyObjects,
  bindRestrictedUser,
  clusterEnv,
  createNamespace,
  deleteNamespace,
  deployment,
  restrictedClient,
  waitForRollout,
} from './cluster.js';

// Every action here runs as the least-privilege user bound to the shipped RBAC roles, not as cluster-admin.
let namespace: string;
let unbound: string;
let node: string;
let plugin: RemediationPlugin;

const context = (resourceId: string, dryRun = false): RemediationContext => ({
  remediationId: 'test',
  resourceId,
  signal: new AbortController().signal,
  logger: noopLogger,
  clock: systemClock,
  dryRun,
});
const deploymentOf = (name: string, ns = namespace) =>
  adminClient().get<KubernetesObject>(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
const run = async (action: string, params: unknown, resourceId: string) => {
  const definition = plugin.actions[action]!;
  const parsed = definition.parameters.parse(params);
  const executeResult = await definition.execute(parsed, context(resourceId));
  return {
    definition,
    parsed,
    executeResult,
    verify: () => definition.verify!(parsed, { ...context(resourceId), executeResult }),
    rollback: () => definition.rollback!(parsed, { ...context(resourceId), executeResult }),
  };
};
const verified = (check: () => Promise<{ ok: boolean; detail?: string }>) =>
  waitFor(async () => ((await check()).ok ? true : undefined), { timeoutMs: 60_000, intervalMs: 200 });

beforeAll(async () => {
  namespace = await createNamespace('dharma-actions');
  unbound = await createNamespace('dharma-unbound');
  await bindRestrictedUser(namespace, ['iac-dharma-remediator']);
  // A node of its own for cordon tests, so other tests' pods keep scheduling on the shared one.
  node = `kwok-cordon-${namespace.slice(-8)}`;
  await bindRestrictedUser(namespace, ['iac-dharma-node-remediator']);
  await applyObjects([
    {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: node,
        annotations: { 'kwok.x-k8s.io/node': 'fake' },
        labels: { type: 'cordon-test', 'dharma.io/remediate': 'true' },
      },
      status: {
        allocatable: { cpu: '4', memory: '8Gi', pods: '10' },
        capacity: { cpu: '4', memory: '8Gi', pods: '10' },
      },
    },
    deployment(namespace, 'web', { replicas: 2 }),
    deployment(namespace, 'api', { replicas: 2 }),
    deployment(namespace, 'guarded', { replicas: 2, labels: { 'dharma.io/remediate': 'true' } }),
    deployment(unbound, 'web', { replicas: 1 }),
  ]);
  plugin = createKubernetesPlugin({ client: restrictedClient(), namespaces: [namespace, unbound] });
  await Promise.all([
    waitForRollout(namespace, 'web'),
    waitForRollout(namespace, 'api'),
    waitForRollout(namespace, 'guarded'),
  ]);
});
afterAll(async () => {
  await adminClient()
    .request({ method: 'DELETE', path: `/api/v1/nodes/${node}` })
    .catch(() => undefined);
  await Promise.all([deleteNamespace(namespace), deleteNamespace(unbound)]);
});

describe('kubernetes actions on a real control plane, as a least-privilege user', () => {
  it('scale: /scale subresource, verified against the rollout, rolled back to the previous count', async () => {
    const scale = await run('scale', { replicas: 3 }, `${namespace}/web`);
    expect(scale.executeResult).toMatchObject({ previousReplicas: 2, replicas: 3 });
    await verified(scale.verify);
    expect((await deploymentOf('web')).status?.availableReplicas).toBe(3);
    await scale.rollback();
    await waitFor(async () => ((await deploymentOf('web')).spec?.replicas === 2 ? true : undefined));
    await waitForRollout(namespace, 'web');
  }, 120_000);

  it('scale: a relative delta within bounds, and rollback refuses to overwrite a concurrent change', async () => {
    const scale = await run('scale', { delta: 5, maxReplicas: 3 }, `${namespace}/api`);
    expect(scale.executeResult).toMatchObject({ previousReplicas: 2, replicas: 3 });
    // Someone else scales it meanwhile: rollback must not put back 2 over their 4.
    // A merge patch (no resourceVersion), as `kubectl scale` would: the deployment controller keeps updating the
    // status after the scale to 3, so a read-then-PUT here could itself lose that race with a 409.
    await adminClient().request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments/api`,
      body: { spec: { replicas: 4 } },
    });
    await expect(scale.rollback()).rejects.toBeInstanceOf(KubernetesConflictError);
    expect((await deploymentOf('api')).spec?.replicas).toBe(4);
  }, 120_000);

  it('optimistic concurrency: a write carrying a stale resourceVersion fails with KubernetesConflictError', async () => {
    const client = restrictedClient();
    const path = `/apis/apps/v1/namespaces/${namespace}/deployments/web/scale`;
    const stale = await client.get<{ metadata: { resourceVersion: string } }>(path);
    await adminClient().request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments/web`,
      body: { metadata: { annotations: { touched: 'yes' } } },
    });
    const error = await client
      .request({
        method: 'PUT',
        path,
        idempotent: true,
        body: {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: { name: 'web', namespace, resourceVersion: stale.metadata.resourceVersion },
          spec: { replicas: 7 },
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubernetesConflictError);
    expect((await deploymentOf('web')).spec?.replicas).toBe(2);
  }, 120_000);

  it('rollout restart: waits for the new ReplicaSet to be available; rollout undo goes back a revision', async () => {
    const before = await deploymentOf('web');
    const restart = await run('rollout-restart', {}, `${namespace}/web`);
    await verified(restart.verify);
    const after = await deploymentOf('web');
    expect(Number(after.metadata?.annotations?.['deployment.kubernetes.io/revision'])).toBeGreaterThan(
      Number(before.metadata?.annotations?.['deployment.kubernetes.io/revision']),
    );
    expect(
      (after.spec?.template as KubernetesObject).metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'],
    ).toBe((restart.executeResult as { restartedAt: string }).restartedAt);

    const undo = await run('rollout-undo', {}, `${namespace}/web`);
    expect(undo.executeResult).toMatchObject({
      toRevision: Number(before.metadata?.annotations?.['deployment.kubernetes.io/revision']),
    });
    await verified(undo.verify);
    expect(
      (((await deploymentOf('web')).spec?.template as KubernetesObject).metadata?.annotations ?? {})[
        'kubectl.kubernetes.io/restartedAt'
      ],
    ).toBeUndefined();
  }, 120_000);

  it('patch-resources: new requests roll out; rollback restores the previous ones', async () => {
    const patch = await run(
      'patch-resources',
      { requests: { cpu: '20m' }, limits: { memory: '64Mi' } },
      `${namespace}/api`,
    );
    await verified(patch.verify);
    const container = () =>
      deploymentOf('api').then(
        (object) =>
          ((object.spec?.template as KubernetesObject).spec?.containers as { resources: unknown }[])[0]!.resources,
      );
    expect(await container()).toEqual({ requests: { cpu: '20m', memory: '16Mi' }, limits: { memory: '64Mi' } });
    await patch.rollback();
    expect(await container()).toEqual({ requests: { cpu: '10m', memory: '16Mi' } });
  }, 120_000);

  it('delete-pod: evicts one pod; verified once the ReplicaSet has replaced it', async () => {
    await waitForRollout(namespace, 'guarded');
    const pods = await restrictedClient().get<KubernetesList>(`/api/v1/namespaces/${namespace}/pods`, {
      labelSelector: 'app=guarded',
    });
    const victim = pods.items.find((pod) => !pod.metadata?.deletionTimestamp)!;
    const removal = await run('delete-pod', { gracePeriodSeconds: 0 }, `${namespace}/${victim.metadata!.name}`);
    expect(removal.executeResult).toMatchObject({ uid: victim.metadata!.uid, owner: { kind: 'ReplicaSet' } });
    await verified(removal.verify);
    const now = await adminClient().get<KubernetesList>(`/api/v1/namespaces/${namespace}/pods`, {
      labelSelector: 'app=guarded',
    });
    expect(now.items.map((pod) => pod.metadata?.uid)).not.toContain(victim.metadata!.uid);
  }, 120_000);

  it('cordon and uncordon a node; rollback restores it', async () => {
    const cordon = await run('cordon', { node }, node);
    await verified(cordon.verify);
    expect((await adminClient().get<KubernetesObject>(`/api/v1/nodes/${node}`)).spec?.unschedulable).toBe(true);
    await cordon.rollback();
    expect((await adminClient().get<KubernetesObject>(`/api/v1/nodes/${node}`)).spec?.unschedulable).toBeUndefined();
  }, 120_000);

  it('a PodDisruptionBudget that allows no disruption makes delete-pod and scale-down refuse', async () => {
    await applyObjects([
      {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'guarded', namespace },
        spec: { minAvailable: 2, selector: { matchLabels: { app: 'guarded' } } },
      },
    ]);
    await waitFor(
      async () =>
        (
          await adminClient().get<KubernetesObject>(
            `/apis/policy/v1/namespaces/${namespace}/poddisruptionbudgets/guarded`,
          )
        ).status?.currentHealthy === 2
          ? true
          : undefined,
      { timeoutMs: 30_000 },
    );
    const pods = await restrictedClient().get<KubernetesList>(`/api/v1/namespaces/${namespace}/pods`, {
      labelSelector: 'app=guarded',
    });
    const error = await run('delete-pod', {}, `${namespace}/${pods.items[0]!.metadata!.name}`).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(KubernetesGuardError);
    expect((error as KubernetesGuardError).guard).toBe('disruption-budget');
    await expect(run('scale', { replicas: 1 }, `${namespace}/guarded`)).rejects.toThrow(/PodDisruptionBudget/);
    expect((await deploymentOf('guarded')).spec?.replicas).toBe(2);
  }, 120_000);

  it('allow-lists: a namespace or labels outside them are refused before any request changes anything', async () => {
    const limited = createKubernetesPlugin({
      client: restrictedClient(),
      namespaces: [namespace],
      labelSelector: { 'dharma.io/remediate': 'true' },
      nodeLabelSelector: { 'dharma.io/remediate': 'true' },
    });
    const scale = limited.actions.scale!;
    const outside = await scale
      .execute(scale.parameters.parse({ replicas: 5 }), context(`kube-system/coredns`))
      .catch((caught: unknown) => caught);
    expect((outside as KubernetesGuardError).guard).toBe('namespace');
    const unlabelled = await scale
      .execute(scale.parameters.parse({ replicas: 5 }), context(`${namespace}/web`))
      .catch((caught: unknown) => caught);
    expect((unlabelled as KubernetesGuardError).guard).toBe('labels');
    expect((await deploymentOf('web')).spec?.replicas).toBe(2);
    const cordonShared = await limited.actions
      .cordon!.execute({}, context(clusterEnv().node))
      .catch((caught: unknown) => caught);
    expect((cordonShared as KubernetesGuardError).guard).toBe('labels');
  }, 120_000);

  it('RBAC: a namespace the user has no binding in fails cleanly with KubernetesForbiddenError, recorded in the history', async () => {
    const direct = await run('scale', { replicas: 3 }, `${unbound}/web`).catch((caught: unknown) => caught);
    expect(direct).toBeInstanceOf(KubernetesForbiddenError);
    expect((direct as KubernetesForbiddenError).status).toBe(403);
    const storage = new MemoryStorage();
    const remediator = createRemediator({ storage, plugins: [plugin] });
    const result = await remediator.execute({
      action: { plugin: 'kubernetes', action: 'scale', params: { replicas: 3 } },
      resourceId: `${unbound}/web`,
      reason: 'test',
    });
    expect(result.outcome).toBe('failed');
    expect(result.reason).toMatch(/Forbidden \(403\)/);
    expect(storage.store.history.map((record) => record.type)).toEqual([
      'plan',
      'decision',
      'execution',
      'rollback',
      'escalation',
      'outcome',
    ]);
    expect((await remediator.verifyHistory()).ok).toBe(true);
    expect((await deploymentOf('web', unbound)).spec?.replicas).toBe(1);
  }, 120_000);

  it('typed errors for a bad token (401), an unknown object (404) and an invalid change (422)', async () => {
    const env = clusterEnv();
    const { KubeConfig } = await import('@kubernetes/client-node');
    const config = new KubeConfig();
    config.loadFromFile(env.kubeconfig);
    const badToken = new KubeConfig();
    badToken.loadFromOptions({
      clusters: config.clusters,
      users: [{ name: 'bad', token: 'not-a-token' }],
      contexts: [{ name: 'bad', cluster: config.getCurrentCluster()!.name, user: 'bad' }],
      currentContext: 'bad',
    });
    await expect(new KubernetesClient(badToken).get('/api/v1/namespaces')).rejects.toBeInstanceOf(
      KubernetesUnauthorizedError,
    );
    await expect(run('scale', { replicas: 1 }, `${namespace}/no-such-deployment`)).rejects.toBeInstanceOf(
      KubernetesNotFoundError,
    );
    const invalid = await adminClient()
      .request({
        method: 'PATCH',
        path: `/apis/apps/v1/namespaces/${namespace}/deployments/web`,
        body: { spec: { replicas: -1 } },
      })
      .catch((caught: unknown) => caught);
    expect(invalid).toBeInstanceOf(KubernetesInvalidError);
  }, 120_000);

  it('dry run: the API server validates the change (dryRun=All) and nothing changes', async () => {
    const storage = new MemoryStorage();
    const remediator = createRemediator({ storage, plugins: [plugin], dryRun: true });
    const before = await deploymentOf('web');
    const result = await remediator.execute({
      action: { plugin: 'kubernetes', action: 'scale', params: { replicas: 6 } },
      resourceId: `${namespace}/web`,
    });
    expect(result.outcome).toBe('dry-run');
    expect(result.reason).toContain('accepted by the API server in a dryRun=All request: spec.replicas would be 6');
    const refused = await remediator.execute({
      action: { plugin: 'kubernetes', action: 'rollout-restart', params: {} },
      resourceId: `${unbound}/web`,
    });
    expect(refused.reason).toMatch(/REFUSED in a dryRun=All request: Forbidden/);
    const after = await deploymentOf('web');
    expect(after.metadata?.resourceVersion).toBe(before.metadata?.resourceVersion);
    expect(after.spec?.replicas).toBe(before.spec?.replicas);
  }, 120_000);
});
