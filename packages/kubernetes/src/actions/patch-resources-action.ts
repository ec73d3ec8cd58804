import { canonicalJson, defineRemediationAction, type RemediationActionDefinition } from '@iac-dharma/core/kernel';
import { z } from 'zod';
import {
  assertLabelsAllowed,
  assertNamespaceAllowed,
  describeWithDryRun,
  dryRunQuery,
  resolveTarget,
  writeUnlessChanged,
  type ActionEnvironment,
} from '../action-support.js';
import { workloadPath } from '../api-paths.js';
import { KubernetesConflictError, KubernetesNotFoundError } from '../kubernetes-errors.js';
import type { KubernetesObject } from '../kubernetes-objects.js';
import { WorkloadTargetSchema } from '../kubernetes-plugin-options.js';
import { readRollout, revisionOf } from '../rollout-status.js';

const QuantitySchema = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(m|k|Ki|Mi|Gi|Ti|M|G|T)?$/, 'must be a Kubernetes quantity such as 250m, 1, 512Mi');
const ResourceListSchema = z.object({ cpu: QuantitySchema.optional(), memory: QuantitySchema.optional() });

/** Parameters of `kubernetes.patch-resources`: new requests and/or limits of one container (e.g. a ResourceOptimizer recommendation). */
export const PatchResourcesParametersSchema = WorkloadTargetSchema.extend({
  /** Container name. @default the first container */
  container: z.string().min(1).optional(),
  requests: ResourceListSchema.optional(),
  limits: ResourceListSchema.optional(),
}).refine((params) => params.requests !== undefined || params.limits !== undefined, {
  message: 'give `requests` or `limits`',
  path: ['requests'],
});

type Resources = { requests?: Record<string, string>; limits?: Record<string, string> };
/** What `kubernetes.patch-resources` returns. */
export interface PatchResourcesResult {
  kind: string;
  namespace: string;
  name: string;
  container: string;
  index: number;
  previous: Resources;
  resources: Resources;
  previousRevision: number;
}

function containersOf(object: KubernetesObject): { name: string; resources?: Resources }[] {
  return ((object.spec?.template as KubernetesObject | undefined)?.spec?.containers ?? []) as {
    name: string;
    resources?: Resources;
  }[];
}

/** Sets one container's resources while they are still `expected` (status-only changes in between are retried). */
function patchContainerResources(
  environment: ActionEnvironment,
  path: string,
  object: KubernetesObject,
  index: number,
  resources: Resources,
  dryRun: boolean,
  signal: AbortSignal,
  expected: Resources,
) {
  return writeUnlessChanged({
    object,
    read: () => environment.client.get<KubernetesObject>(path, undefined, signal),
    intent: (fresh) => canonicalJson(containersOf(fresh)[index]?.resources ?? {}) === canonicalJson(expected),
    write: (fresh) =>
      environment.client.request<KubernetesObject>({
        method: 'PATCH',
        path,
        idempotent: true,
        signal,
        contentType: 'application/json-patch+json',
        query: { fieldManager: environment.options.fieldManager, ...dryRunQuery(dryRun) },
        body: [
          { op: 'replace', path: '/metadata/resourceVersion', value: fresh.metadata?.resourceVersion },
          { op: 'add', path: `/spec/template/spec/containers/${index}/resources`, value: resources },
        ],
      }),
  });
}

/** `kubernetes.patch-resources`: sets a container's CPU/memory requests and limits (a new rollout); rollback restores them. */
export function createPatchResourcesAction(environment: ActionEnvironment): RemediationActionDefinition {
  const plan = async (
    params: z.output<typeof PatchResourcesParametersSchema>,
    resourceId: string,
    signal: AbortSignal,
  ) => {
    const { namespace, name } = resolveTarget(params, { resourceId });
    const path = workloadPath(params.kind, namespace, name);
    assertNamespaceAllowed(environment, namespace, path);
    const object = await environment.client.get<KubernetesObject>(path, undefined, signal);
    assertLabelsAllowed(environment.options.labelSelector, object, path);
    const containers = containersOf(object);
    const index =
      params.container === undefined ? 0 : containers.findIndex((container) => container.name === params.container);
    const container = containers[index];
    if (!container)
      throw new KubernetesNotFoundError(
        `${params.kind} ${namespace}/${name} has no container ${params.container ?? '(none at all)'}; containers: ${containers.map((entry) => entry.name).join(', ')}.`,
        { status: 404, method: 'GET', path },
      );
    const previous: Resources = structuredClone(container.resources ?? {});
    const resources: Resources = {
      ...previous,
      ...(params.requests ? { requests: { ...previous.requests, ...params.requests } } : {}),
      ...(params.limits ? { limits: { ...previous.limits, ...params.limits } } : {}),
    };
    return { namespace, name, path, object, index, container: container.name, previous, resources };
  };
  return defineRemediationAction({
    description:
      "Patch a container's CPU and memory requests/limits (starts a rollout); rollback restores the previous values",
    risk: 'medium',
    parameters: PatchResourcesParametersSchema,
    timeoutMs: environment.options.timeoutMs,
    async describe(params, context) {
      const planned = await plan(params, context.resourceId, context.signal);
      return describeWithDryRun(
        context,
        `set resources of container ${planned.container} in ${params.kind} ${planned.namespace}/${planned.name} from ${JSON.stringify(planned.previous)} to ${JSON.stringify(planned.resources)}`,
        async () => {
          await patchContainerResources(
            environment,
            planned.path,
            planned.object,
            planned.index,
            planned.resources,
            true,
            context.signal,
            planned.previous,
          );
        },
      );
    },
    async execute(params, context): Promise<PatchResourcesResult> {
      const planned = await plan(params, context.resourceId, context.signal);
      await patchContainerResources(
        environment,
        planned.path,
        planned.object,
        planned.index,
        planned.resources,
        false,
        context.signal,
        planned.previous,
      );
      return {
        kind: params.kind,
        namespace: planned.namespace,
        name: planned.name,
        container: planned.container,
        index: planned.index,
        previous: planned.previous,
        resources: planned.resources,
        previousRevision: revisionOf(planned.object),
      };
    },
    async verify(params, context) {
      const result = context.executeResult as PatchResourcesResult;
      const { status } = await readRollout(
        environment.client,
        params.kind,
        result.namespace,
        result.name,
        context.signal,
      );
      return { ok: status.done, detail: status.detail };
    },
    async rollback(params, context) {
      const result = context.executeResult as PatchResourcesResult | undefined;
      if (!result) return;
      const path = workloadPath(params.kind, result.namespace, result.name);
      const object = await environment.client.get<KubernetesObject>(path, undefined, context.signal);
      const current = containersOf(object)[result.index];
      if (
        current?.name !== result.container ||
        canonicalJson(current.resources ?? {}) !== canonicalJson(result.resources)
      ) {
        throw new KubernetesConflictError(
          `Not rolled back: the resources of container ${result.container} in ${result.namespace}/${result.name} were changed by someone else after this remediation.`,
          { status: 409, method: 'PATCH', path },
        );
      }
      await patchContainerResources(
        environment,
        path,
        object,
        result.index,
        result.previous,
        false,
        context.signal,
        result.resources,
      );
    },
  });
}
