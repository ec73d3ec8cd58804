import { DeploymentSchema, type Deployment } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { InfrastructureProvider } from './infrastructure-provider.js';
import { createProcessPoolProvider } from './process-pool-provider.js';

const deployment = (id: string): Deployment =>
  DeploymentSchema.parse({ type: 'deployment', id, name: id, replicas: 0 });
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('createProcessPoolProvider', () => {
  let provider: InfrastructureProvider | undefined;
  afterEach(async () => {
    await provider?.close();
  });

  it('starts worker processes on scale up and stops the newest on scale down', async () => {
    provider = createProcessPoolProvider();
    const up = await provider.scale(deployment('api'), 3);
    expect(up).toMatchObject({ deploymentId: 'api', desiredReplicas: 3, readyReplicas: 3 });
    expect(new Set(up.pids).size).toBe(3);
    expect(up.pids.every(alive)).toBe(true);
    const down = await provider.scale(deployment('api'), 1);
    expect(down.pids).toEqual([up.pids[0]]);
    await waitFor(() => !alive(up.pids[1]!) && !alive(up.pids[2]!));
    expect(await provider.status({ id: 'unknown' })).toEqual({
      deploymentId: 'unknown',
      desiredReplicas: 0,
      readyReplicas: 0,
      pids: [],
    });
  });

  it('kills a worker that ignores SIGTERM after the grace period', async () => {
    const stubborn = "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000); process.send({ type: 'ready' });";
    provider = createProcessPoolProvider({
      stopTimeoutMs: 200,
      worker: () => ({ command: process.execPath, args: ['-e', stubborn], readyMessage: true }),
    });
    const [pid] = (await provider.scale(deployment('stubborn'), 1)).pids;
    expect((await provider.scale(deployment('stubborn'), 0)).pids).toEqual([]);
    expect(alive(pid!)).toBe(false);
  });

  it('drops a crashed worker from status and reports the pool degraded', async () => {
    provider = createProcessPoolProvider();
    const [pid] = (await provider.scale(deployment('crashy'), 1)).pids;
    process.kill(pid!, 'SIGKILL');
    await waitFor(async () => (await provider!.status({ id: 'crashy' })).readyReplicas === 0);
    expect(await provider.health!()).toMatchObject({ status: 'degraded', detail: expect.stringContaining('crashy') });
  });

  it('rejects a worker that exits before it is ready, and bad replica counts', async () => {
    provider = createProcessPoolProvider({
      worker: () => ({ command: process.execPath, args: ['-e', 'process.exit(3)'], readyMessage: true }),
    });
    await expect(provider.scale(deployment('broken'), 1)).rejects.toThrow(/exited \(code 3\) before it was ready/);
    await expect(provider.scale(deployment('broken'), -1)).rejects.toThrow(/between 0 and 64/);
  });
});
