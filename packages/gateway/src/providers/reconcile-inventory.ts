import type { Clock, Deployment, Logger, Resource, Storage } from '@iac-dharma/core';
import type { InfrastructureProvider } from './infrastructure-provider.js';
import { describeDeployment } from './scale-and-record.js';

/**
 * Makes the stored deployments say what the provider reports: after a restart a process pool runs
 * nothing, so a deployment stored as `running` with 2 ready replicas becomes `degraded` with 0 (its
 * desired `replicas` is kept, so an operator can scale it back). Resolves the number of deployments changed.
 */
export async function reconcileInventory(options: {
  provider: InfrastructureProvider;
  storage: Storage;
  clock: Clock;
  logger: Logger;
  onChange?: (current: Resource, previous: Resource) => void;
}): Promise<number> {
  const { provider, storage } = options;
  let changed = 0;
  const deployments = (await storage.listResources({ type: 'deployment' })) as Deployment[];
  const reconciled = new Map<string, Deployment>();
  for (const deployment of deployments) {
    reconciled.set(deployment.id, deployment);
    // A pending deployment never ran (dry run or refused by the guards): nothing to reconcile.
    if (deployment.status === 'pending') continue;
    const status = await provider.status(deployment);
    const current = describeDeployment(deployment, deployment.replicas, status, options.clock);
    if (current.readyReplicas === deployment.readyReplicas && current.status === deployment.status) continue;
    await storage.putResource({ resource: current });
    reconciled.set(deployment.id, current);
    options.onChange?.(current, deployment);
    options.logger.warn('inventory reconciled with the provider', {
      deployment: deployment.id,
      readyReplicas: current.readyReplicas,
      status: current.status,
    });
    changed++;
  }
  // Infrastructures follow their deployments.
  for (const resource of await storage.listResources({ type: 'infrastructure' })) {
    const children = [...reconciled.values()].filter((child) => child.infrastructureId === resource.id);
    if (children.length === 0 || resource.status !== 'running') continue;
    if (children.every((child) => child.status === 'running' || child.status === 'stopped')) continue;
    const degraded = { ...resource, status: 'degraded' as const, updatedAt: options.clock.now() };
    await storage.putResource({ resource: degraded });
    options.onChange?.(degraded, resource);
    changed++;
  }
  return changed;
}
