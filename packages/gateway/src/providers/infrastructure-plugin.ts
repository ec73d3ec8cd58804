import { DeploymentSchema, RemediationError, parseWith, type Clock, type RemediationActionDefinition, type RemediationPlugin, type Storage } from '@iac-dharma/core';
import { z } from 'zod';
import type { InfrastructureProvider } from './infrastructure-provider.js';
import { scaleAndRecord } from './scale-and-record.js';

/** Parameters of the `infrastructure.scale` action. */
export const ScaleParametersSchema = z.object({
  /** Target replica count. */
  replicas: z.number().int().min(0).max(10_000),
});

/** Options of {@link createInfrastructurePlugin}. */
export interface InfrastructurePluginOptions {
  provider: InfrastructureProvider;
  /** Where deployments are looked up (when the remediator passes no resource) and updated after scaling. */
  storage: Storage;
  /** Plugin name used in action refs. @default 'infrastructure' */
  name?: string;
}

/**
 * Wraps an {@link InfrastructureProvider} as a remediation plugin with one action, `scale`
 * (`{ plugin: 'infrastructure', action: 'scale', params: { replicas } }`). It verifies that the provider
 * reports the requested replicas ready and rolls back to the previous count when it does not.
 * The stored deployment's `replicas`, `readyReplicas` and `status` are updated after each change.
 */
export function createInfrastructurePlugin(options: InfrastructurePluginOptions): RemediationPlugin {
  const { provider, storage } = options;
  const load = async (resourceId: string, resource: unknown) => {
    const found = resource ?? (await storage.getResource({ id: resourceId }));
    if (!found) throw new RemediationError(`Deployment "${resourceId}" does not exist in the inventory.`);
    if ((found as { type?: string }).type !== 'deployment') throw new RemediationError(`Resource "${resourceId}" is not a deployment; only deployments can be scaled.`);
    return parseWith(DeploymentSchema, found, 'deployment');
  };
  const apply = async (resourceId: string, replicas: number, context: { signal: AbortSignal; clock: Clock }) => {
    const deployment = await load(resourceId, undefined);
    const { status } = await scaleAndRecord({ provider, storage, deployment, replicas, signal: context.signal, clock: context.clock });
    return status;
  };

  const scale: RemediationActionDefinition<typeof ScaleParametersSchema> = {
    description: `Scale a deployment's replicas with the ${provider.name} provider`,
    risk: 'medium',
    parameters: ScaleParametersSchema,
    timeoutMs: 60_000,
    async execute(params, context) {
      const deployment = await load(context.resourceId, context.resource);
      const before = await provider.status(deployment);
      if (context.dryRun) return { dryRun: true, previousReplicas: before.readyReplicas, replicas: params.replicas };
      const after = await apply(context.resourceId, params.replicas, context);
      return { previousReplicas: before.readyReplicas, replicas: params.replicas, readyReplicas: after.readyReplicas, pids: after.pids };
    },
    async verify(params, context) {
      if (context.dryRun) return { ok: true, detail: 'dry run' };
      const status = await provider.status({ id: context.resourceId });
      return status.readyReplicas === params.replicas
        ? { ok: true, detail: `${status.readyReplicas} replicas ready` }
        : { ok: false, detail: `${status.readyReplicas} of ${params.replicas} replicas ready` };
    },
    async rollback(_params, context) {
      const previous = (context.executeResult as { previousReplicas?: number } | undefined)?.previousReplicas;
      if (typeof previous === 'number') await apply(context.resourceId, previous, context);
    },
  };
  return { specificationVersion: 'v1', name: options.name ?? 'infrastructure', actions: { scale: scale as unknown as RemediationActionDefinition } };
}
