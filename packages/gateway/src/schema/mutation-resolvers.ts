import { NotFoundError, RemediationError, StateError, type Deployment, type MetricSampleInput } from '@iac-dharma/core';
import { z } from 'zod';
import { fieldError, parseInput, requiredId } from './args.js';
import type { MutationResolvers } from './generated/resolver-types.js';
import { toPrediction, toRemediationResult, withoutNulls } from './mappers.js';
import { createInfrastructure } from './create-infrastructure.js';
import { DEFAULT_MAX_REPLICAS } from '../providers/infrastructure-plugin.js';
import { INFRASTRUCTURE_PLUGIN } from './plugin-name.js';

const ScaleInputSchema = z.object({
  deploymentId: z.string(),
  replicas: z.number().int().min(0).max(10_000),
  reason: z.string().max(1024).optional(),
});
const PredictionInputSchema = z.object({
  resourceId: z.string(),
  metric: z.string().min(1).max(256).optional(),
  horizon: z.number().int().min(1).max(100_000).optional(),
  analyzer: z.string().min(1).max(128).optional(),
  threshold: z.number().finite().optional(),
});
const MAX_SAMPLES = 10_000;

export { INFRASTRUCTURE_PLUGIN } from './plugin-name.js';

/** Resolvers of `Mutation`. Every one needs the `operator` role (checked before execution). */
export const mutationResolvers: { Mutation: MutationResolvers } = {
  Mutation: {
    createInfrastructure: (_, args, context) => createInfrastructure(args.input, context),

    async deleteInfrastructure(_, args, context) {
      const id = requiredId(args.id, 'id');
      const { storage, provider, remediator, statusBus, engine } = context.services;
      const infrastructure = await storage.getResource({ id });
      if (infrastructure?.type !== 'infrastructure') return false;
      const children = (await storage.listResources({})).filter(
        (resource) => resource.type !== 'infrastructure' && resource.infrastructureId === id,
      );
      // Running replicas are stopped through the remediator (guards, dry run, audit); nothing is deleted
      // from the inventory unless every deployment was stopped.
      if (provider) {
        const refusals: string[] = [];
        for (const child of children) {
          if (child.type !== 'deployment') continue;
          const status = await provider.status(child);
          if (status.readyReplicas === 0 && status.desiredReplicas === 0) continue;
          if (!remediator)
            throw new StateError(
              'deleteInfrastructure stops replicas through the remediator: pass a remediator to createGateway().',
            );
          const result = await remediator.execute({
            action: { plugin: INFRASTRUCTURE_PLUGIN, action: 'scale', params: { replicas: 0 } },
            resourceId: child.id,
            reason: `deleteInfrastructure ${id}`,
            requestedBy: context.principal.name,
          });
          if (result.outcome !== 'succeeded')
            refusals.push(`deployment "${child.id}" was not stopped (${result.outcome}: ${result.reason})`);
        }
        if (refusals.length > 0)
          throw new RemediationError(`Infrastructure "${id}" was not deleted: ${refusals.join('; ')}.`);
      }
      for (const child of children) {
        await storage.deleteResource({ id: child.id });
        statusBus.publish({ ...child, status: 'deleted' }, child, engine.clock.now());
      }
      await storage.deleteResource({ id });
      statusBus.publish({ ...infrastructure, status: 'deleted' }, infrastructure, engine.clock.now());
      return true;
    },

    async scaleDeployment(_, args, context) {
      const input = parseInput(ScaleInputSchema, withoutNulls(args.input), 'input');
      const deploymentId = requiredId(input.deploymentId, 'input.deploymentId');
      const { storage, remediator, provider, statusBus, engine } = context.services;
      if (!remediator || !provider) {
        throw new StateError(
          'scaleDeployment needs a remediator and an infrastructure provider: pass both to createGateway().',
        );
      }
      const maxReplicas = provider.maxReplicas ?? DEFAULT_MAX_REPLICAS;
      if (input.replicas > maxReplicas)
        throw fieldError(
          'input.replicas',
          `must be at most ${maxReplicas} (the ${provider.name} provider's limit); got ${input.replicas}`,
        );
      const before = await storage.getResource({ id: deploymentId });
      if (!before) throw new NotFoundError(`Deployment "${deploymentId}" does not exist.`);
      if (before.type !== 'deployment')
        throw fieldError('input.deploymentId', `resource "${deploymentId}" is a ${before.type}, not a deployment`);
      const result = await remediator.execute({
        action: { plugin: INFRASTRUCTURE_PLUGIN, action: 'scale', params: { replicas: input.replicas } },
        resourceId: deploymentId,
        ...(input.reason === undefined ? {} : { reason: input.reason }),
        requestedBy: context.principal.name,
      });
      const after = ((await storage.getResource({ id: deploymentId })) ?? before) as Deployment;
      if (
        after.status !== before.status ||
        after.readyReplicas !== before.readyReplicas ||
        after.replicas !== before.replicas
      ) {
        statusBus.publish(after, before, engine.clock.now());
      }
      return { remediation: toRemediationResult(result), deployment: after };
    },

    async requestPrediction(_, args, context) {
      const input = parseInput(PredictionInputSchema, withoutNulls(args.input), 'input');
      const resourceId = requiredId(input.resourceId, 'input.resourceId');
      const { storage, engine, predictionProvider, metricsSeen } = context.services;
      const metrics = input.metric ? [input.metric] : [...(metricsSeen.get(resourceId) ?? [])];
      if (metrics.length === 0)
        throw fieldError(
          'input.metric',
          `name the metric to predict on: no metrics of "${resourceId}" have been ingested through this gateway`,
        );
      const { finding, forecast } = await predictionProvider.predict(
        {
          resourceId,
          metrics,
          ...(input.horizon === undefined ? {} : { horizon: input.horizon }),
          ...(input.threshold === undefined ? {} : { threshold: input.threshold }),
          ...(input.analyzer === undefined ? {} : { analyzer: input.analyzer }),
        },
        { engine, storage },
      );
      await storage.saveFindings({ findings: [finding] });
      return { ...toPrediction(finding), forecast: forecast ?? null };
    },

    async ingestMetrics(_, args, context) {
      const samples = args.samples;
      if (samples.length > MAX_SAMPLES)
        throw fieldError('samples', `at most ${MAX_SAMPLES} samples per call; got ${samples.length}`);
      // `labels` is free-form JSON here: the engine validates every record (a bad one is counted in `rejected` with its error).
      const records = samples.map(({ resourceId, metric, value, timestamp, labels }): MetricSampleInput => ({
        resource: resourceId,
        metric,
        value,
        ...(timestamp == null ? {} : { timestamp }),
        ...(labels == null ? {} : { labels: labels as MetricSampleInput['labels'] }),
      }));
      const result = await context.services.engine.ingest(records);
      return {
        accepted: result.accepted,
        rejected: result.rejected,
        errors: result.errors.map((error) => error.message.replace(/records\[/g, 'samples[')),
      };
    },
  },
};
