import { createClient } from '@iac-dharma/client';
import {
  MemoryStorage,
  createEngine,
  createRemediator,
  type Deployment,
  type HistoryRecord,
  type Infrastructure,
} from '@iac-dharma/core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createGateway,
  createProcessPoolProvider,
  type GatewayOptions,
  type InfrastructureProvider,
} from '../src/index.js';
import { isAlive } from './start-test-gateway.js';

const KEY = 'inventory-operator';
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function start(
  options: {
    dryRun?: boolean;
    provider?: InfrastructureProvider;
    storage?: MemoryStorage;
    gateway?: Partial<GatewayOptions>;
  } = {},
) {
  const storage = options.storage ?? new MemoryStorage();
  const engine = createEngine({ storage, closeAdapters: false });
  const remediator = createRemediator({
    storage,
    dryRun: options.dryRun ?? false,
    guards: { cooldown: { resourceMs: 0, actionMs: 0 } },
  });
  const provider = options.provider ?? createProcessPoolProvider();
  const gateway = createGateway({
    engine,
    remediator,
    provider,
    apiKeys: [{ key: KEY, role: 'operator', name: 'inventory-test' }],
    ...options.gateway,
  });
  const client = createClient({ url: await gateway.listen(0), apiKey: KEY, retry: { retries: 0 } });
  closers.push(
    () => engine.close(),
    () => remediator.close(),
    () => provider.close(),
    () => gateway.close(),
    () => client.close(),
  );
  return { storage, engine, remediator, provider, gateway, client };
}

const outcomes = (records: HistoryRecord[]) =>
  records.filter((record) => record.outcome !== undefined).map((record) => [record.resource, record.outcome]);

describe('createInfrastructure / deleteInfrastructure go through the remediator', () => {
  it('in dry-run starts no process and records each deployment in the history', async () => {
    const { client, provider, storage } = await start({ dryRun: true });
    const created = await client.createInfrastructure({
      id: 'dry',
      name: 'Dry',
      deployments: [
        { id: 'dry-a', name: 'a', replicas: 3 },
        { id: 'dry-b', name: 'b', replicas: 3 },
      ],
    });
    expect(created.status).toBe('pending');
    expect((await provider.status({ id: 'dry-a' })).readyReplicas).toBe(0);
    expect((await provider.status({ id: 'dry-b' })).readyReplicas).toBe(0);
    expect(outcomes(await storage.readHistory({}))).toEqual([
      ['dry-a', 'dry-run'],
      ['dry-b', 'dry-run'],
    ]);
    expect(await storage.getResource({ id: 'dry-a' })).toMatchObject({ status: 'pending', readyReplicas: 0 });
  });

  it('starts and stops replicas as audited remediations', async () => {
    const { client, provider, storage } = await start();
    await client.createInfrastructure({
      id: 'live',
      name: 'Live',
      deployments: [{ id: 'live-a', name: 'a', replicas: 2 }],
    });
    const { pids } = await provider.status({ id: 'live-a' });
    expect(pids).toHaveLength(2);
    expect(await client.deleteInfrastructure('live')).toBe(true);
    expect(pids.some(isAlive)).toBe(false);
    expect(outcomes(await storage.readHistory({ resource: 'live-a' }))).toEqual([
      ['live-a', 'succeeded'],
      ['live-a', 'succeeded'],
    ]);
    const scales = (await storage.readHistory({ resource: 'live-a' })).filter((record) => record.type === 'execution');
    expect(
      scales.map((record) => (record.data as { action: { params: { replicas: number } } }).action.params.replicas),
    ).toEqual([2, 0]);
  });

  it('refuses more deployments per call than maxDeploymentsPerCall, naming the field', async () => {
    const { client, storage } = await start({ gateway: { maxDeploymentsPerCall: 3 } });
    const deployments = Array.from({ length: 4 }, (_, index) => ({
      id: `many-${index}`,
      name: `d${index}`,
      replicas: 0,
    }));
    await expect(client.createInfrastructure({ id: 'many', name: 'Many', deployments })).rejects.toMatchObject({
      message: expect.stringMatching(/input\.deployments.*at most 3/),
    });
    expect(await storage.getResource({ id: 'many' })).toBeUndefined();
  });
});

describe('scale limits come from the provider, outcomes record what happened', () => {
  it('refuses replicas above the process pool cap before anything runs', async () => {
    const { client, storage } = await start();
    await client.createInfrastructure({
      id: 'cap',
      name: 'Cap',
      deployments: [{ id: 'cap-a', name: 'a', replicas: 0 }],
    });
    await expect(client.scaleDeployment({ deploymentId: 'cap-a', replicas: 65 })).rejects.toMatchObject({
      message: expect.stringMatching(/input\.replicas.*at most 64/),
    });
    await expect(
      client.createInfrastructure({
        id: 'cap2',
        name: 'Cap',
        deployments: [{ id: 'cap2-a', name: 'a', replicas: 65 }],
      }),
    ).rejects.toMatchObject({
      message: expect.stringMatching(/input\.deployments\.0\.replicas.*at most 64/),
    });
    expect(await storage.getResource({ id: 'cap-a' })).toMatchObject({ replicas: 0, status: 'stopped' });
    expect(await storage.readHistory({ resource: 'cap-a' })).toEqual([]);
  });

  it('a scale the provider refuses records no rollback and keeps the inventory on what runs', async () => {
    const pool = createProcessPoolProvider();
    // A provider that does not state its limit: the request reaches it and it refuses.
    const quiet: InfrastructureProvider = {
      specificationVersion: 'v1',
      name: 'quiet-pool',
      scale: pool.scale,
      status: pool.status,
      close: pool.close,
    };
    const { client, storage } = await start({ provider: quiet });
    await client.createInfrastructure({
      id: 'refuse',
      name: 'Refuse',
      deployments: [{ id: 'refuse-a', name: 'a', replicas: 1 }],
    });
    const result = await client.scaleDeployment({ deploymentId: 'refuse-a', replicas: 65 });
    expect(result.remediation.outcome).toBe('failed');
    expect(result.remediation.reason).toMatch(/not rolled back/);
    expect(result.deployment).toMatchObject({ replicas: 1, readyReplicas: 1, status: 'running' });
    const rollback = (await storage.readHistory({ resource: 'refuse-a' })).find((record) => record.type === 'rollback');
    expect(rollback?.data).toMatchObject({ ok: true, performed: false });
  });
});

describe('the inventory is reconciled with the provider at start', () => {
  it('turns a stored running deployment whose replicas are gone into degraded with 0 ready', async () => {
    const storage = new MemoryStorage();
    const stale: Deployment = {
      type: 'deployment',
      id: 'stale-a',
      name: 'stale-a',
      labels: { team: 'core' },
      infrastructureId: 'stale',
      replicas: 2,
      readyReplicas: 2,
      status: 'running',
    };
    const infrastructure: Infrastructure = {
      id: 'stale',
      type: 'infrastructure',
      name: 'Stale',
      provider: 'local',
      labels: {},
      spec: {},
      status: 'running',
      createdAt: 1,
      updatedAt: 1,
    };
    await storage.putResource({ resource: infrastructure });
    await storage.putResource({ resource: stale });
    await start({ storage });
    expect(await storage.getResource({ id: 'stale-a' })).toMatchObject({
      replicas: 2,
      readyReplicas: 0,
      status: 'degraded',
    });
    expect(await storage.getResource({ id: 'stale' })).toMatchObject({ status: 'degraded' });
  });
});
