import { createRemediator } from '@iac-dharma/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, startTestGateway, type TestGateway } from './start-test-gateway.js';

describe('scaleDeployment passes the remediator guards', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('refuses a second scale of the same deployment within the default cooldown, and records both in the history', async () => {
    const { engine, provider } = harness;
    // A remediator with the default guards (60 s resource cooldown) on its own gateway.
    const remediator = createRemediator({ storage: engine.storage });
    const { createGateway } = await import('../src/index.js');
    const { createClient } = await import('@iac-dharma/client');
    const gateway = createGateway({
      engine,
      remediator,
      provider,
      apiKeys: [{ key: 'guarded-operator', role: 'operator' }],
    });
    const client = createClient({ url: await gateway.listen(0), apiKey: 'guarded-operator' });
    try {
      await client.createInfrastructure({
        id: 'guarded',
        name: 'Guarded',
        deployments: [{ id: 'guarded-web', name: 'web', replicas: 0 }],
      });
      const first = await client.scaleDeployment({ deploymentId: 'guarded-web', replicas: 2 });
      expect(first.remediation.outcome).toBe('succeeded');
      const second = await client.scaleDeployment({ deploymentId: 'guarded-web', replicas: 3 });
      expect(second.remediation.outcome).toBe('rejected');
      expect(second.remediation.reason).toMatch(/cooldown|cooling/i);
      expect(second.deployment).toMatchObject({ replicas: 2, readyReplicas: 2 });
      expect(second.deployment.pids.every(isAlive)).toBe(true);
      const outcomes = (await client.remediationHistory({ resourceId: 'guarded-web' }))
        .filter((record) => record.outcome !== null)
        .map((record) => record.outcome);
      expect(outcomes).toEqual(['succeeded', 'rejected']);
      // Deleting stops the replicas through the same guards: within the cooldown it is refused and nothing is deleted.
      await expect(client.deleteInfrastructure('guarded')).rejects.toMatchObject({
        message: expect.stringMatching(/not deleted.*guarded-web.*rejected/),
      });
      expect(second.deployment.pids.every(isAlive)).toBe(true);
      expect((await client.listInfrastructures()).map((item) => item.id)).toContain('guarded');
    } finally {
      await client.close();
      await gateway.close();
      await remediator.close();
    }
  });
});
