import {
  DeploymentSchema,
  RemediationError,
  defineRemediationAction,
  parseWith,
  type Clock,
  type RemediationActionDefinition,
  type RemediationPlugin,
  type Storage,
} from '@iac-dharma/core';
import { z } from 'zod';
import type { InfrastructureProvider } from './infrastructure-provider.js';
import { scaleAndRecord } from './scale-and-record.js';

/** Most replicas accepted when a provider does not state its own `maxReplicas`. */
export const DEFAULT_MAX_REPLICAS = 10_000;

/** Parameters of the `infrastructure.scale` action, bounded by the provider's `maxReplicas`. */
export function scaleParametersSchema(maxReplicas = DEFAULT_MAX_REPLICAS) {
  return z.object({
    /** Target replica count. */
    replicas: z.number().int().min(0).max(maxReplicas, `must be at most ${maxReplicas} (the provider's limit)`),
  });
}

/** Parameters of the `infrastructure.scale` action (with the default limit). */
export const ScaleParametersSchema = scaleParametersSchema();

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
    if ((found as { type?: string }).type !== 'deployment')
      throw new RemediationError(`Resource "${resourceId}" is not a deployment; only deployments can be scaled.`);
    return parseWith(DeploymentSchema, found, 'deployment');
  };
  const apply = async (resourceId: string, replicas: number, context: { signal: AbortSignal; clock: Clock }) => {
    const deployment = await load(resourceId, undefined);
    const { status } = await scaleAndRecord({
      provider,
      storage,
      deployment,
      replicas,
      signal: context.signal,
      clock: context.clock,
    });
    return status;
  };

  // What each deployment ran before its latest scale, so a rollback after a failed execute (which returns
  // no result) still knows where to go back to.
  const previousReplicas = new Map<string, number>();
  const scale: RemediationActionDefinition<typeof ScaleParametersSchema> = {
    description: `Scale a deployment's replicas with the ${provider.name} provider`,
    risk: 'medium',
    parameters: scaleParametersSchema(provider.maxReplicas),
    timeoutMs: 60_000,
    async execute(params, context) {
      const deployment = await load(context.resourceId, context.resource);
      const before = await provider.status(deployment);
      if (context.dryRun) return { dryRun: true, previousReplicas: before.readyReplicas, replicas: params.replicas };
      previousReplicas.set(context.resourceId, before.readyReplicas);
      const after = await apply(context.resourceId, params.replicas, context);
      return {
        previousReplicas: before.readyReplicas,
        replicas: params.replicas,
        readyReplicas: after.readyReplicas,
        pids: after.pids,
      };
    },
    async verify(params, context) {
      if (context.dryRun) return { ok: true, detail: 'dry run' };
      const status = await provider.status({ id: context.resourceId });
      return status.readyReplicas === params.replicas
        ? { ok: true, detail: `${status.readyReplicas} replicas ready` }
        : { ok: false, detail: `${status.readyReplicas} of ${params.replicas} replicas ready` };
    },
    async rollback(_params, context) {
      const previous =
        (context.executeResult as { previousReplicas?: number } | undefined)?.previousReplicas ??
        previousReplicas.get(context.resourceId);
      if (typeof previous !== 'number')
        return { performed: false, detail: 'the previous replica count is unknown; nothing was rolled back' };
      const now = await provider.status({ id: context.resourceId });
      if (now.readyReplicas === previous && now.desiredReplicas === previous) {
        return { performed: false, detail: `nothing changed (${previous} replicas ready); nothing to roll back` };
      }
      await apply(context.resourceId, previous, context);
      return { performed: true, detail: `back to ${previous} replicas` };
    },
  };
  return {
    specificationVersion: 'v1',
    name: options.name ?? 'infrastructure',
    actions: { scale: defineRemediationAction(scale) },
  };
}
