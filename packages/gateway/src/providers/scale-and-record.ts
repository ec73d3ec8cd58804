import type { CallOptions, Clock, Deployment, Storage } from '@iac-dharma/core';
import type { DeploymentStatus, InfrastructureProvider } from './infrastructure-provider.js';

/**
 * Scales a deployment with the provider and records the outcome in the inventory: `replicas`,
 * `readyReplicas`, `updatedAt`, and `status` (`stopped` at zero, `running` when all are ready, else `degraded`).
 * Resolves the stored deployment and the provider's status.
 */
export async function scaleAndRecord(
  options: {
    provider: InfrastructureProvider;
    storage: Storage;
    deployment: Deployment;
    replicas: number;
    clock?: Clock;
  } & CallOptions,
): Promise<{ deployment: Deployment; status: DeploymentStatus }> {
  const { provider, storage, deployment, replicas } = options;
  let status: DeploymentStatus;
  try {
    status = await provider.scale(deployment, replicas, { signal: options.signal });
  } catch (error) {
    // Record what actually runs (and what the provider was left asked for) even when scaling failed
    // half-way or was refused, never the requested count; then let the caller see the error.
    const partial = await provider.status(deployment);
    await storage.putResource({ resource: describe(deployment, partial.desiredReplicas, partial, options.clock) });
    throw error;
  }
  const updated = describe(deployment, replicas, status, options.clock);
  await storage.putResource({ resource: updated });
  return { deployment: updated, status };
}

/** The deployment as the provider reports it: `replicas` kept, `readyReplicas` and `status` from `status`. */
export function describeDeployment(
  deployment: Deployment,
  replicas: number,
  status: DeploymentStatus,
  clock?: Clock,
): Deployment {
  return describe(deployment, replicas, status, clock);
}

function describe(deployment: Deployment, replicas: number, status: DeploymentStatus, clock?: Clock): Deployment {
  const ready = status.readyReplicas;
  return {
    ...deployment,
    replicas,
    readyReplicas: ready,
    status: replicas === 0 && ready === 0 ? 'stopped' : ready === replicas ? 'running' : 'degraded',
    updatedAt: clock?.now() ?? Date.now(),
  };
}
