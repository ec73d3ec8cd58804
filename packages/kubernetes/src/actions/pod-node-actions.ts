import { defineRemediationAction, ValidationError, type RemediationActionDefinition } from '@iac-dharma/core/kernel';
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
import { KubernetesNotFoundError, KubernetesGuardError } from '../kubernetes-errors.js';
import type { KubernetesObject } from '../kubernetes-objects.js';

/** Parameters of `kubernetes.delete-pod`. */
export const DeletePodParametersSchema = z.object({
  /** @default the namespace part of the resource id */
  namespace: z.string().min(1).max(253).optional(),
  /** Pod name. @default the name part of the resource id */
  name: z.string().min(1).max(253).optional(),
  /** Seconds the pod gets to stop. @default 30 */
  gracePeriodSeconds: z.number().int().min(0).max(3600).default(30),
});

/** Parameters of `kubernetes.cordon` and `kubernetes.uncordon`. */
export const NodeParametersSchema = z.object({
  /** Node name. @default the last part of the resource id */
  node: z.string().min(1).max(253).optional(),
});

/** What `kubernetes.delete-pod` returns. */
export interface DeletePodResult {
  namespace: string;
  name: string;
  uid: string;
  owner?: { kind: string; name: string };
}
/** What `kubernetes.cordon` / `uncordon` return. */
export interface NodeResult {
  node: string;
  previousUnschedulable: boolean;
  unschedulable: boolean;
}

function podPath(namespace: string, name: string): string {
  return `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`;
}

function isReady(pod: KubernetesObject): boolean {
  const conditions = (pod.status?.conditions ?? []) as { type: string; status: string }[];
  return conditions.some((condition) => condition.type === 'Ready' && condition.status === 'True');
}

/** `kubernetes.delete-pod`: evicts a pod (the Eviction API, which honours PodDisruptionBudgets); its controller replaces it. */
export function createDeletePodAction(environment: ActionEnvironment): RemediationActionDefinition {
  const evict = async (
    params: z.output<typeof DeletePodParametersSchema>,
    resourceId: string,
    signal: AbortSignal,
    dryRun: boolean,
  ) => {
    const { namespace, name } = resolveTarget(params, { resourceId });
    const path = podPath(namespace, name);
    assertNamespaceAllowed(environment, namespace, path);
    const pod = await environment.client.get<KubernetesObject>(path, undefined, signal);
    assertLabelsAllowed(environment.options.labelSelector, pod, path);
    await assertDisruptionAllowed(environment, {
      namespace,
      podLabels: pod.metadata?.labels,
      removed: isReady(pod) ? 1 : 0,
      what: `Deleting pod ${namespace}/${name}`,
      signal,
    });
    await environment.client.request({
      method: 'POST',
      path: `${path}/eviction`,
      signal,
      query: dryRunQuery(dryRun),
      body: {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name, namespace },
        deleteOptions: { gracePeriodSeconds: params.gracePeriodSeconds, preconditions: { uid: pod.metadata?.uid } },
      },
    });
    const owner = pod.metadata?.ownerReferences?.find((reference) => reference.controller);
    return {
      namespace,
      name,
      uid: pod.metadata!.uid!,
      ...(owner ? { owner: { kind: owner.kind, name: owner.name } } : {}),
    };
  };
  return defineRemediationAction({
    description: 'Delete (evict) a pod so its controller replaces it; cannot be rolled back',
    risk: 'medium',
    parameters: DeletePodParametersSchema,
    timeoutMs: environment.options.timeoutMs,
    async describe(params, context) {
      const { namespace, name } = resolveTarget(params, context);
      return describeWithDryRun(
        context,
        `evict pod ${namespace}/${name} (grace ${params.gracePeriodSeconds}s)`,
        async () => {
          await evict(params, context.resourceId, context.signal, true);
        },
      );
    },
    async execute(params, context): Promise<DeletePodResult> {
      return evict(params, context.resourceId, context.signal, false);
    },
    async verify(_params, context) {
      const result = context.executeResult as DeletePodResult;
      const current = await environment.client
        .get<KubernetesObject>(podPath(result.namespace, result.name))
        .catch((error: unknown) => {
          if (error instanceof KubernetesNotFoundError) return undefined;
          throw error;
        });
      if (current && current.metadata?.uid === result.uid)
        return { ok: false, detail: `pod ${result.namespace}/${result.name} is still terminating` };
      if (result.owner?.kind === 'ReplicaSet' || result.owner?.kind === 'StatefulSet') {
        const plural = result.owner.kind === 'ReplicaSet' ? 'replicasets' : 'statefulsets';
        const owner = await environment.client.get<KubernetesObject>(
          `/apis/apps/v1/namespaces/${encodeURIComponent(result.namespace)}/${plural}/${encodeURIComponent(result.owner.name)}`,
          undefined,
          context.signal,
        );
        const wanted = (owner.spec?.replicas as number | undefined) ?? 1;
        const ready = (owner.status?.readyReplicas as number | undefined) ?? 0;
        return ready >= wanted
          ? { ok: true, detail: `pod replaced: ${result.owner.kind} ${result.owner.name} has ${ready}/${wanted} ready` }
          : { ok: false, detail: `${result.owner.kind} ${result.owner.name}: ${ready}/${wanted} ready` };
      }
      return { ok: true, detail: `pod ${result.namespace}/${result.name} deleted` };
    },
  });
}

async function setUnschedulable(
  environment: ActionEnvironment,
  params: z.output<typeof NodeParametersSchema>,
  resourceId: string,
  unschedulable: boolean,
  signal: AbortSignal,
  dryRun: boolean,
): Promise<NodeResult> {
  const node = params.node ?? resourceId.split('/').at(-1);
  if (!node) throw new ValidationError('Pass params.node or use the node name as the resource id.', []);
  const path = `/api/v1/nodes/${encodeURIComponent(node)}`;
  const object = await environment.client.get<KubernetesObject>(path, undefined, signal);
  try {
    assertLabelsAllowed(environment.options.nodeLabelSelector, object, path);
  } catch (error) {
    throw error instanceof KubernetesGuardError
      ? new KubernetesGuardError('labels', error.message.replace('labelSelector', 'nodeLabelSelector'), {
          method: 'GUARD',
          path,
        })
      : error;
  }
  const previous = object.spec?.unschedulable === true;
  if (previous !== unschedulable || dryRun) {
    await writeUnlessChanged({
      object,
      read: () => environment.client.get<KubernetesObject>(path, undefined, signal),
      intent: (fresh) => (fresh.spec?.unschedulable === true) === previous,
      write: (fresh) =>
        environment.client.request({
          method: 'PATCH',
          path,
          idempotent: true,
          signal,
          contentType: 'application/merge-patch+json',
          query: { fieldManager: environment.options.fieldManager, ...dryRunQuery(dryRun) },
          body: {
            metadata: { resourceVersion: fresh.metadata?.resourceVersion },
            spec: { unschedulable: unschedulable ? true : null },
          },
        }),
    });
  }
  return { node, previousUnschedulable: previous, unschedulable };
}

/** `kubernetes.cordon` / `kubernetes.uncordon`: marks a node (un)schedulable (`spec.unschedulable`); rollback restores it. */
export function createNodeAction(environment: ActionEnvironment, unschedulable: boolean): RemediationActionDefinition {
  const verb = unschedulable ? 'cordon' : 'uncordon';
  return defineRemediationAction({
    description: unschedulable
      ? 'Cordon a node: no new pods are scheduled on it (running pods stay)'
      : 'Uncordon a node: pods may be scheduled on it again',
    risk: unschedulable ? 'medium' : 'low',
    parameters: NodeParametersSchema,
    timeoutMs: environment.options.timeoutMs,
    async describe(params, context) {
      const node = params.node ?? context.resourceId.split('/').at(-1);
      return describeWithDryRun(context, `${verb} node ${node}`, async () => {
        await setUnschedulable(environment, params, context.resourceId, unschedulable, context.signal, true);
      });
    },
    execute: (params, context): Promise<NodeResult> =>
      setUnschedulable(environment, params, context.resourceId, unschedulable, context.signal, false),
    async verify(_params, context) {
      const result = context.executeResult as NodeResult;
      const node = await environment.client.get<KubernetesObject>(
        `/api/v1/nodes/${encodeURIComponent(result.node)}`,
        undefined,
        context.signal,
      );
      const now = node.spec?.unschedulable === true;
      return { ok: now === unschedulable, detail: `node ${result.node} spec.unschedulable=${now}` };
    },
    async rollback(_params, context) {
      const result = context.executeResult as NodeResult | undefined;
      if (result && result.previousUnschedulable !== unschedulable)
        await setUnschedulable(
          environment,
          { node: result.node },
          result.node,
          result.previousUnschedulable,
          context.signal,
          false,
        );
    },
  });
}
