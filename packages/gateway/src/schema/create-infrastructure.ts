import { ComputeSchema, DeploymentSchema, InfrastructureSchema, type Compute, type Deployment, type Infrastructure, type Resource } from '@iac-dharma/core';
import type { GatewayContext } from '../gateway-context.js';
import { scaleAndRecord } from '../providers/scale-and-record.js';
import { fieldError, parseInput } from './args.js';
import { withoutNulls } from './mappers.js';

/**
 * `createInfrastructure`: validates the infrastructure and its compute and deployments with core's zod
 * schemas, stores them, starts each deployment's replicas with the infrastructure provider, and publishes
 * every status change. Ids must be new.
 */
export async function createInfrastructure(raw: Record<string, unknown>, context: GatewayContext): Promise<Infrastructure> {
  const { storage, provider, statusBus, engine } = context.services;
  const now = engine.clock.now();
  const { compute: rawCompute, deployments: rawDeployments, ...rest } = withoutNulls(raw);
  const infrastructure = parseInput(InfrastructureSchema, { ...rest, type: 'infrastructure', status: 'provisioning', createdAt: now, updatedAt: now }, 'input');
  const compute = ((rawCompute as Record<string, unknown>[] | undefined) ?? []).map((item, index) =>
    parseInput(ComputeSchema, { ...withoutNulls(item), type: 'compute', infrastructureId: infrastructure.id, status: 'running', createdAt: now, updatedAt: now }, `input.compute.${index}`),
  );
  const deployments = ((rawDeployments as Record<string, unknown>[] | undefined) ?? []).map((item, index) =>
    parseInput(
      DeploymentSchema,
      { ...withoutNulls(item), type: 'deployment', infrastructureId: infrastructure.id, readyReplicas: 0, status: 'provisioning', createdAt: now, updatedAt: now },
      `input.deployments.${index}`,
    ),
  );

  const ids = new Map<string, string>([[infrastructure.id, 'input.id']]);
  compute.forEach((item, index) => claim(ids, item.id, `input.compute.${index}.id`));
  deployments.forEach((item, index) => claim(ids, item.id, `input.deployments.${index}.id`));
  for (const [id, path] of ids) {
    if (await storage.getResource({ id })) throw fieldError(path, `a resource with id "${id}" already exists; choose another id or delete it first`);
  }

  const publish = (current: Resource, previous?: Resource) => statusBus.publish(current, previous, engine.clock.now());
  await storage.putResource({ resource: infrastructure });
  publish(infrastructure);
  for (const item of compute as Compute[]) {
    await storage.putResource({ resource: item });
    publish(item);
  }
  let healthy = true;
  for (const deployment of deployments as Deployment[]) {
    await storage.putResource({ resource: deployment });
    publish(deployment);
    if (!provider) continue;
    try {
      const { deployment: started } = await scaleAndRecord({ provider, storage, deployment, replicas: deployment.replicas, clock: engine.clock });
      publish(started, deployment);
      healthy &&= started.status !== 'degraded';
    } catch (error) {
      healthy = false;
      engine.logger.warn('could not start a deployment', { deployment: deployment.id, error: String(error) });
      const current = await storage.getResource({ id: deployment.id });
      if (current) publish(current, deployment);
    }
  }
  const ready: Infrastructure = { ...infrastructure, status: healthy ? 'running' : 'degraded', updatedAt: engine.clock.now() };
  await storage.putResource({ resource: ready });
  publish(ready, infrastructure);
  return ready;
}

function claim(ids: Map<string, string>, id: string, path: string): void {
  if ([...ids.keys()].includes(id)) throw fieldError(path, `id "${id}" is used twice in this input`);
  ids.set(id, path);
}
