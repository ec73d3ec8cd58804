import {
  ComputeSchema,
  DeploymentSchema,
  InfrastructureSchema,
  StateError,
  type Deployment,
  type Infrastructure,
  type Resource,
} from '@iac-dharma/core';
import type { GatewayContext } from '../gateway-context.js';
import { DEFAULT_MAX_REPLICAS } from '../providers/infrastructure-plugin.js';
import { fieldError, parseInput } from './args.js';
import type { CreateInfrastructureInput } from './generated/resolver-types.js';
import { withoutNulls } from './mappers.js';
import { INFRASTRUCTURE_PLUGIN } from './plugin-name.js';

/**
 * `createInfrastructure`: validates the infrastructure and its compute and deployments with core's zod
 * schemas (replicas within the provider's `maxReplicas`, at most `maxDeploymentsPerCall` deployments),
 * stores them, and starts each deployment's replicas through the remediator's `infrastructure.scale`
 * action — the same guards, dry-run setting and audit history as `scaleDeployment` — publishing every
 * status change. Ids must be new.
 */
export async function createInfrastructure(
  raw: CreateInfrastructureInput,
  context: GatewayContext,
): Promise<Infrastructure> {
  const { storage, provider, remediator, statusBus, engine, maxDeploymentsPerCall } = context.services;
  const now = engine.clock.now();
  const { compute: rawCompute, deployments: rawDeployments, ...rest } = withoutNulls(raw);
  const infrastructure = parseInput(
    InfrastructureSchema,
    { ...rest, type: 'infrastructure', status: 'provisioning', createdAt: now, updatedAt: now },
    'input',
  );
  const compute = (rawCompute ?? []).map((item, index) =>
    parseInput(
      ComputeSchema,
      {
        ...withoutNulls(item),
        type: 'compute',
        infrastructureId: infrastructure.id,
        status: 'running',
        createdAt: now,
        updatedAt: now,
      },
      `input.compute.${index}`,
    ),
  );
  const deployments = (rawDeployments ?? []).map((item, index) =>
    parseInput(
      DeploymentSchema,
      {
        ...withoutNulls(item),
        type: 'deployment',
        infrastructureId: infrastructure.id,
        readyReplicas: 0,
        status: 'provisioning',
        createdAt: now,
        updatedAt: now,
      },
      `input.deployments.${index}`,
    ),
  );

  if (deployments.length > maxDeploymentsPerCall) {
    throw fieldError(
      'input.deployments',
      `at most ${maxDeploymentsPerCall} deployments per call; got ${deployments.length}`,
    );
  }
  const maxReplicas = provider?.maxReplicas ?? DEFAULT_MAX_REPLICAS;
  deployments.forEach((item, index) => {
    if (item.replicas > maxReplicas)
      throw fieldError(
        `input.deployments.${index}.replicas`,
        `must be at most ${maxReplicas} (the ${provider?.name ?? 'default'} provider's limit); got ${item.replicas}`,
      );
  });
  if (provider && !remediator && deployments.some((item) => item.replicas > 0)) {
    throw new StateError(
      'createInfrastructure starts replicas through the remediator: pass a remediator to createGateway() (or create the deployments with 0 replicas).',
    );
  }

  const ids = new Map<string, string>([[infrastructure.id, 'input.id']]);
  compute.forEach((item, index) => claim(ids, item.id, `input.compute.${index}.id`));
  deployments.forEach((item, index) => claim(ids, item.id, `input.deployments.${index}.id`));
  for (const [id, path] of ids) {
    if (await storage.getResource({ id }))
      throw fieldError(path, `a resource with id "${id}" already exists; choose another id or delete it first`);
  }

  const publish = (current: Resource, previous?: Resource) => statusBus.publish(current, previous, engine.clock.now());
  await storage.putResource({ resource: infrastructure });
  publish(infrastructure);
  for (const item of compute) {
    await storage.putResource({ resource: item });
    publish(item);
  }
  let healthy = true;
  let pending = false;
  for (const deployment of deployments) {
    if (provider && deployment.replicas === 0) {
      const stopped: Deployment = { ...deployment, status: 'stopped' };
      await storage.putResource({ resource: stopped });
      publish(stopped);
      continue;
    }
    await storage.putResource({ resource: deployment });
    publish(deployment);
    if (!provider || !remediator) continue;
    const result = await remediator.execute({
      action: { plugin: INFRASTRUCTURE_PLUGIN, action: 'scale', params: { replicas: deployment.replicas } },
      resourceId: deployment.id,
      reason: `createInfrastructure ${infrastructure.id}`,
      requestedBy: context.principal.name,
    });
    const current = (await storage.getResource({ id: deployment.id })) as Deployment | undefined;
    if (result.outcome === 'dry-run' || result.outcome === 'rejected' || result.outcome === 'skipped') {
      // Nothing ran: the deployment waits, and says why.
      pending = true;
      const waiting: Deployment = { ...(current ?? deployment), status: 'pending', updatedAt: engine.clock.now() };
      await storage.putResource({ resource: waiting });
      publish(waiting, deployment);
      continue;
    }
    if (result.outcome !== 'succeeded') {
      healthy = false;
      engine.logger.warn('could not start a deployment', {
        deployment: deployment.id,
        outcome: result.outcome,
        reason: result.reason,
      });
    }
    if (current) publish(current, deployment);
  }
  const status = !healthy ? 'degraded' : pending ? 'pending' : 'running';
  const ready: Infrastructure = { ...infrastructure, status, updatedAt: engine.clock.now() };
  await storage.putResource({ resource: ready });
  publish(ready, infrastructure);
  return ready;
}

function claim(ids: Map<string, string>, id: string, path: string): void {
  if ([...ids.keys()].includes(id)) throw fieldError(path, `id "${id}" is used twice in this input`);
  ids.set(id, path);
}
