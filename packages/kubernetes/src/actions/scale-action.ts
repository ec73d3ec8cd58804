import { defineRemediationAction, type RemediationActionDefinition } from '@iac-dharma/core/kernel';
import { z } from 'zod';
import {
  assertDisruptionAllowed,
  assertLabelsAllowed,
  assertNamespaceAllowed,
  describeWithDryRun,
  dryRunQuery,
  resolveTarget,
  writeUnlessChanged,
  type ActionEnvironment,
} from '../action-support.js';
import { workloadPath } from '../api-paths.js';
import { KubernetesConflictError } from '../kubernetes-errors.js';
import type { KubernetesObject } from '../kubernetes-objects.js';
import { WorkloadTargetSchema } from '../kubernetes-plugin-options.js';
import { readRollout } from '../rollout-status.js';

/** Parameters of `kubernetes.scale`: an absolute `replicas` or a relative `delta`, bounded by `minReplicas`/`maxReplicas`. */
export const ScaleParametersSchema = WorkloadTargetSchema.extend({
  /** Target replica count. */
  replicas: z.number().int().min(0).max(10_000).optional(),
  /** Change of the current count (e.g. `1` to add a replica); used when `replicas` is absent. */
  delta: z.number().int().min(-10_000).max(10_000).optional(),
  /** Lowest count a relative change may reach. @default 0 */
  minReplicas: z.number().int().min(0).default(0),
  /** Highest count a relative change may reach. @default 50 */
  maxReplicas: z.number().int().min(0).max(10_000).default(50),
}).refine((params) => params.replicas !== undefined || params.delta !== undefined, {
  message: 'give `replicas` or `delta`',
  path: ['replicas'],
});

type ScaleParameters = z.output<typeof ScaleParametersSchema>;
interface ScaleObject {
  metadata: { resourceVersion: string; name: string; namespace: string };
  spec: { replicas?: number };
}

/** What `kubernetes.scale` returns (kept in the history). */
export interface ScaleResult {
  kind: string;
  namespace: string;
  name: string;
  previousReplicas: number;
  replicas: number;
}

async function plan(environment: ActionEnvironment, params: ScaleParameters, resourceId: string, signal: AbortSignal) {
  const { namespace, name } = resolveTarget(params, { resourceId });
  const path = workloadPath(params.kind, namespace, name);
  assertNamespaceAllowed(environment, namespace, path);
  const workload = await environment.client.get<KubernetesObject>(path, undefined, signal);
  assertLabelsAllowed(environment.options.labelSelector, workload, path);
  const scale = await environment.client.get<ScaleObject>(`${path}/scale`, undefined, signal);
  const previous = scale.spec.replicas ?? 0;
  const replicas =
    params.replicas ?? Math.min(params.maxReplicas, Math.max(params.minReplicas, previous + (params.delta ?? 0)));
  const podLabels = (workload.spec?.template as KubernetesObject | undefined)?.metadata?.labels;
  await assertDisruptionAllowed(environment, {
    namespace,
    podLabels,
    removed: previous - replicas,
    what: `Scaling ${params.kind} ${namespace}/${name} from ${previous} to ${replicas}`,
    signal,
  });
  return { namespace, name, path, scale, previous, replicas };
}

/** Sets the replicas while they are still `expected` (a status-only change in between is retried, a replica change is a conflict). */
function writeScale(
  environment: ActionEnvironment,
  path: string,
  scale: ScaleObject,
  replicas: number,
  dryRun: boolean,
  signal: AbortSignal,
  expected = scale.spec.replicas ?? 0,
): Promise<ScaleObject> {
  return writeUnlessChanged({
    object: scale,
    read: () => environment.client.get<ScaleObject>(`${path}/scale`, undefined, signal),
    intent: (fresh) => (fresh.spec.replicas ?? 0) === expected,
    write: (fresh) => putScale(environment, path, fresh, replicas, dryRun, signal),
  });
}

function putScale(
  environment: ActionEnvironment,
  path: string,
  scale: ScaleObject,
  replicas: number,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<ScaleObject> {
  // PUT with the resourceVersion just read: a concurrent change makes it fail with 409 instead of being overwritten.
  return environment.client.request<ScaleObject>({
    method: 'PUT',
    path: `${path}/scale`,
    idempotent: true,
    signal,
    query: { fieldManager: environment.options.fieldManager, ...dryRunQuery(dryRun) },
    body: {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: {
        name: scale.metadata.name,
        namespace: scale.metadata.namespace,
        resourceVersion: scale.metadata.resourceVersion,
      },
      spec: { replicas },
    },
  });
}

/** `kubernetes.scale`: sets a Deployment's or StatefulSet's replicas through the `/scale` subresource. */
export function createScaleAction(environment: ActionEnvironment): RemediationActionDefinition {
  return defineRemediationAction({
    description: 'Scale a Deployment or StatefulSet (the /scale subresource); rollback restores the previous count',
    risk: 'medium',
    parameters: ScaleParametersSchema,
    timeoutMs: environment.options.timeoutMs,
    async describe(params, context) {
      const planned = await plan(environment, params, context.resourceId, context.signal);
      return describeWithDryRun(
        context,
        `scale ${params.kind} ${planned.namespace}/${planned.name} from ${planned.previous} to ${planned.replicas} replicas`,
        async () => {
          const answer = await writeScale(
            environment,
            planned.path,
            planned.scale,
            planned.replicas,
            true,
            context.signal,
          );
          return `spec.replicas would be ${answer.spec.replicas}`;
        },
      );
    },
    async execute(params, context): Promise<ScaleResult> {
      const planned = await plan(environment, params, context.resourceId, context.signal);
      if (planned.previous !== planned.replicas)
        await writeScale(environment, planned.path, planned.scale, planned.replicas, false, context.signal);
      return {
        kind: params.kind,
        namespace: planned.namespace,
        name: planned.name,
        previousReplicas: planned.previous,
        replicas: planned.replicas,
      };
    },
    async verify(params, context) {
      const result = context.executeResult as ScaleResult;
      const { object, status } = await readRollout(
        environment.client,
        params.kind,
        result.namespace,
        result.name,
        context.signal,
      );
      const wanted = object.spec?.replicas as number;
      if (wanted !== result.replicas)
        return { ok: false, detail: `spec.replicas is ${wanted}, not ${result.replicas}: changed by someone else` };
      return { ok: status.done, detail: status.detail };
    },
    async rollback(params, context) {
      const result = context.executeResult as ScaleResult | undefined;
      if (!result || result.previousReplicas === result.replicas) return;
      const path = workloadPath(params.kind, result.namespace, result.name);
      const scale = await environment.client.get<ScaleObject>(`${path}/scale`, undefined, context.signal);
      if ((scale.spec.replicas ?? 0) !== result.replicas) {
        throw new KubernetesConflictError(
          `Not rolled back: ${params.kind} ${result.namespace}/${result.name} now has ${scale.spec.replicas} replicas, set by someone else after this remediation set ${result.replicas}.`,
          { status: 409, method: 'PUT', path: `${path}/scale` },
        );
      }
      await writeScale(environment, path, scale, result.previousReplicas, false, context.signal);
    },
  });
}
