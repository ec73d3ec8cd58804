import {
  SeveritySchema,
  seriesKey,
  type AnomalyFinding,
  type Compute,
  type Deployment,
  type Finding,
  type Infrastructure,
  type Resource,
} from '@iac-dharma/core';
import type { GatewayContext } from '../gateway-context.js';
import { charge, listLimit, optionalId, parseInput, requiredId } from './args.js';
import type {
  ComputeResolvers,
  DeploymentResolvers,
  InfrastructureResolvers,
  QueryResolvers,
} from './generated/resolver-types.js';
import { toAnomalyEvent, toMetric, toPrediction, toRemediationRecord } from './mappers.js';
import { z } from 'zod';

const ResourceStatusArg = z.enum(['pending', 'provisioning', 'running', 'degraded', 'stopped', 'failed', 'deleted']);

async function listOf<T extends Resource>(
  context: GatewayContext,
  type: T['type'],
  infrastructureId: string | undefined,
): Promise<T[]> {
  const resources = (await context.services.storage.listResources({ type })) as T[];
  return infrastructureId === undefined
    ? resources
    : resources.filter((resource) => 'infrastructureId' in resource && resource.infrastructureId === infrastructureId);
}

/** Newest first, at most `limit`. */
function newest<T extends { timestamp: number }>(items: T[], limit: number): T[] {
  return [...items].sort((a, b) => b.timestamp - a.timestamp).slice(0, limit);
}

/** Resolvers of `Query` and of the resource types' relation fields. */
export const queryResolvers: {
  Query: QueryResolvers;
  Infrastructure: InfrastructureResolvers;
  Compute: ComputeResolvers;
  Deployment: DeploymentResolvers;
} = {
  Query: {
    async infrastructure(_, args, context) {
      const resource = await context.services.storage.getResource({ id: requiredId(args.id, 'id') });
      return resource?.type === 'infrastructure' ? resource : null;
    },
    async listInfrastructures(_, args, context) {
      const limit = listLimit(args.limit, context.services.maxListSize);
      const status = args.status == null ? undefined : parseInput(ResourceStatusArg, args.status, 'status');
      const all = await listOf<Infrastructure>(context, 'infrastructure', undefined);
      return charge(
        context,
        'listInfrastructures',
        all.filter((resource) => status === undefined || resource.status === status).slice(0, limit),
      );
    },
    async computeResources(_, args, context) {
      const limit = listLimit(args.limit, context.services.maxListSize);
      return charge(
        context,
        'computeResources',
        (await listOf<Compute>(context, 'compute', optionalId(args.infrastructureId, 'infrastructureId'))).slice(
          0,
          limit,
        ),
      );
    },
    async deployments(_, args, context) {
      const limit = listLimit(args.limit, context.services.maxListSize);
      return charge(
        context,
        'deployments',
        (await listOf<Deployment>(context, 'deployment', optionalId(args.infrastructureId, 'infrastructureId'))).slice(
          0,
          limit,
        ),
      );
    },
    async predictions(_, args, context) {
      const limit = listLimit(args.limit, context.services.maxListSize);
      const resource = optionalId(args.resourceId, 'resourceId');
      const { storage } = context.services;
      const found: Finding[] = [];
      for (const kind of ['prediction', 'forecast'] as const)
        found.push(...(await storage.queryFindings({ resource, kind, limit })));
      return charge(context, 'predictions', newest(found, limit)).map(toPrediction);
    },
    async anomalies(_, args, context) {
      const limit = listLimit(args.limit, context.services.maxListSize);
      const resource = optionalId(args.resourceId, 'resourceId');
      const found = await context.services.storage.queryFindings({ resource, kind: 'anomaly', limit });
      const anomalies = found.filter((finding): finding is AnomalyFinding => finding.kind === 'anomaly');
      return charge(context, 'anomalies', newest(anomalies, limit)).map(toAnomalyEvent);
    },
    async metrics(_, args, context) {
      const resourceId = requiredId(args.resourceId, 'resourceId');
      const metric = requiredId(args.metric, 'metric');
      const limit = listLimit(args.limit, Math.max(context.services.maxListSize, 10_000), 1000);
      const bound = z.number().finite().nonnegative();
      const from = args.from == null ? undefined : parseInput(bound, args.from, 'from');
      const to = args.to == null ? undefined : parseInput(bound, args.to, 'to');
      const points = await context.services.storage.rangePoints({
        series: seriesKey({ resource: resourceId, metric }),
        from,
        to,
        limit,
      });
      return charge(context, 'metrics', points).map((point) => toMetric(point, resourceId, metric));
    },
    async remediationHistory(_, args, context) {
      const limit = listLimit(args.limit, context.services.maxListSize);
      const resource = optionalId(args.resourceId, 'resourceId');
      const beforeSeq =
        args.beforeSeq == null ? undefined : parseInput(z.number().int().min(1), args.beforeSeq, 'beforeSeq');
      const { remediator, storage } = context.services;
      // The limit and the cursor go down to the storage query: only the page is read, whatever the history's size.
      const query = {
        ...(resource === undefined ? {} : { resource }),
        ...(beforeSeq === undefined ? {} : { beforeSeq }),
        limit,
        latest: true,
      };
      const records = remediator?.history ? await remediator.history(query) : await storage.readHistory(query);
      return charge(context, 'remediationHistory', records.slice(-limit)).map(toRemediationRecord);
    },
  },
  Infrastructure: {
    compute: async (parent, _, context) =>
      charge(context, 'Infrastructure.compute', await listOf<Compute>(context, 'compute', parent.id)),
    deployments: async (parent, _, context) =>
      charge(context, 'Infrastructure.deployments', await listOf<Deployment>(context, 'deployment', parent.id)),
  },
  Compute: {
    infrastructure: (parent, _, context) => parentInfrastructure(parent.infrastructureId, context),
  },
  Deployment: {
    infrastructure: (parent, _, context) => parentInfrastructure(parent.infrastructureId, context),
    async pids(parent, _, context) {
      const provider = context.services.provider;
      return provider ? (await provider.status(parent)).pids : [];
    },
  },
};

async function parentInfrastructure(id: string | undefined, context: GatewayContext) {
  if (id === undefined) return null;
  const resource = await context.services.storage.getResource({ id });
  return resource?.type === 'infrastructure' ? resource : null;
}

/** Validates a `minSeverity` argument. */
export const parseSeverity = (value: unknown) => parseInput(SeveritySchema, value, 'minSeverity');
