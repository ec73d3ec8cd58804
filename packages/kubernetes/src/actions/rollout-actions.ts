import { canonicalJson, defineRemediationAction, type RemediationActionDefinition } from '@iac-dharma/core/kernel';
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
import { KubernetesNotFoundError } from '../kubernetes-errors.js';
import type { KubernetesObject } from '../kubernetes-objects.js';
import { WorkloadTargetSchema } from '../kubernetes-plugin-options.js';
import { readRollout, replicaSetsOf, revisionOf } from '../rollout-status.js';

/** The pod-template annotation `kubectl rollout restart` sets; changing it starts a new rollout. */
export const RESTARTED_AT_ANNOTATION = 'kubectl.kubernetes.io/restartedAt';

/** Parameters of `kubernetes.rollout-restart`. */
export const RolloutRestartParametersSchema = WorkloadTargetSchema;
/** Parameters of `kubernetes.rollout-undo`. */
export const RolloutUndoParametersSchema = WorkloadTargetSchema.extend({
  kind: z.literal('Deployment').default('Deployment'),
  /** Revision to go back to. @default the one before the current revision */
  toRevision: z.number().int().positive().optional(),
});

/** What the rollout actions return (kept in the history). */
export interface RolloutResult {
  kind: string;
  namespace: string;
  name: string;
  previousRevision: number;
  previousRestartedAt: string | null;
  restartedAt?: string;
  toRevision?: number;
  fromReplicaSet?: string;
}

async function loadWorkload(
  environment: ActionEnvironment,
  params: { kind: 'Deployment' | 'StatefulSet'; namespace?: string | undefined; name?: string | undefined },
  resourceId: string,
  signal: AbortSignal,
) {
  const { namespace, name } = resolveTarget(params, { resourceId });
  const path = workloadPath(params.kind, namespace, name);
  assertNamespaceAllowed(environment, namespace, path);
  const object = await environment.client.get<KubernetesObject>(path, undefined, signal);
  assertLabelsAllowed(environment.options.labelSelector, object, path);
  return { namespace, name, path, object };
}

function templateOf(object: KubernetesObject): KubernetesObject {
  return (object.spec?.template ?? {}) as KubernetesObject;
}

/** True when the pod templates of two reads of a workload are the same. */
function sameTemplate(a: KubernetesObject, b: KubernetesObject): boolean {
  return canonicalJson(templateOf(a)) === canonicalJson(templateOf(b));
}

/**
 * Replaces the pod template with a JSON patch guarded by the resourceVersion read; a 409 caused only by a status
 * update is retried on a fresh read while the template is still the one read, any other change fails with 409.
 */
function replaceTemplate(
  environment: ActionEnvironment,
  path: string,
  object: KubernetesObject,
  template: unknown,
  dryRun: boolean,
  signal: AbortSignal,
): Promise<KubernetesObject> {
  return writeUnlessChanged({
    object,
    read: () => environment.client.get<KubernetesObject>(path, undefined, signal),
    intent: (fresh) => sameTemplate(fresh, object),
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
          { op: 'replace', path: '/spec/template', value: template },
        ],
      }),
  });
}

/** The pod template of a ReplicaSet, without the `pod-template-hash` label the controller adds. */
function replicaSetTemplate(replicaSet: KubernetesObject): KubernetesObject {
  const template = structuredClone(templateOf(replicaSet));
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  return template;
}

async function planUndo(
  environment: ActionEnvironment,
  object: KubernetesObject,
  toRevision: number | undefined,
  signal: AbortSignal,
) {
  const replicaSets = await replicaSetsOf(environment.client, object, signal);
  const current = revisionOf(object);
  const target =
    toRevision === undefined
      ? replicaSets.find((replicaSet) => revisionOf(replicaSet) < current)
      : replicaSets.find((replicaSet) => revisionOf(replicaSet) === toRevision);
  if (!target) {
    throw new KubernetesNotFoundError(
      `${object.kind} ${object.metadata?.namespace}/${object.metadata?.name} has no ${toRevision === undefined ? 'revision before ' + current : 'revision ' + toRevision} to roll back to (revisions kept: ${replicaSets.map(revisionOf).join(', ') || 'none'}).`,
      { status: 404, method: 'GET', path: 'replicasets' },
    );
  }
  const currentReplicaSet = replicaSets.find((replicaSet) => revisionOf(replicaSet) === current);
  return { target, current, currentReplicaSet };
}

/** `kubernetes.rollout-restart`: restarts every pod of a workload by a rolling update (pod-template annotation). */
export function createRolloutRestartAction(environment: ActionEnvironment): RemediationActionDefinition {
  const restart = async (
    params: z.output<typeof RolloutRestartParametersSchema>,
    resourceId: string,
    signal: AbortSignal,
    dryRun: boolean,
    at: string,
  ) => {
    const loaded = await loadWorkload(environment, params, resourceId, signal);
    const podLabels = templateOf(loaded.object).metadata?.labels;
    await assertDisruptionAllowed(environment, {
      namespace: loaded.namespace,
      podLabels,
      removed: 1,
      what: `Restarting ${params.kind} ${loaded.namespace}/${loaded.name}`,
      signal,
    });
    const previousRestartedAt = templateOf(loaded.object).metadata?.annotations?.[RESTARTED_AT_ANNOTATION] ?? null;
    const updated = await writeUnlessChanged({
      object: loaded.object,
      read: () => environment.client.get<KubernetesObject>(loaded.path, undefined, signal),
      intent: (fresh) => sameTemplate(fresh, loaded.object),
      write: (fresh) =>
        environment.client.request<KubernetesObject>({
          method: 'PATCH',
          path: loaded.path,
          idempotent: true,
          signal,
          contentType: 'application/merge-patch+json',
          query: { fieldManager: environment.options.fieldManager, ...dryRunQuery(dryRun) },
          body: {
            metadata: { resourceVersion: fresh.metadata?.resourceVersion },
            spec: { template: { metadata: { annotations: { [RESTARTED_AT_ANNOTATION]: at } } } },
          },
        }),
    });
    return { loaded, previousRestartedAt, updated };
  };
  return defineRemediationAction({
    description:
      'Restart every pod of a Deployment or StatefulSet with a rolling update (like kubectl rollout restart)',
    risk: 'medium',
    parameters: RolloutRestartParametersSchema,
    timeoutMs: environment.options.timeoutMs,
    async describe(params, context) {
      const { namespace, name } = resolveTarget(params, context);
      return describeWithDryRun(
        context,
        `rollout restart ${params.kind} ${namespace}/${name} (new pod-template annotation ${RESTARTED_AT_ANNOTATION})`,
        async () => {
          const { updated } = await restart(
            params,
            context.resourceId,
            context.signal,
            true,
            new Date(context.clock.now()).toISOString(),
          );
          return `generation would become ${updated.metadata?.generation}`;
        },
      );
    },
    async execute(params, context): Promise<RolloutResult> {
      const at = new Date(context.clock.now()).toISOString();
      const { loaded, previousRestartedAt } = await restart(params, context.resourceId, context.signal, false, at);
      return {
        kind: params.kind,
        namespace: loaded.namespace,
        name: loaded.name,
        previousRevision: revisionOf(loaded.object),
        previousRestartedAt,
        restartedAt: at,
      };
    },
    async verify(params, context) {
      const result = context.executeResult as RolloutResult;
      const { object, status } = await readRollout(
        environment.client,
        params.kind,
        result.namespace,
        result.name,
        context.signal,
      );
      if (templateOf(object).metadata?.annotations?.[RESTARTED_AT_ANNOTATION] !== result.restartedAt)
        return { ok: false, detail: 'the pod template changed again since the restart (concurrent rollout)' };
      if (!status.done) return { ok: false, detail: status.detail };
      if (params.kind === 'Deployment') {
        // The restart is done when the ReplicaSet of the restarted template exists and all its replicas are available.
        const newest = (await replicaSetsOf(environment.client, object, context.signal))[0];
        const annotation = newest && templateOf(newest).metadata?.annotations?.[RESTARTED_AT_ANNOTATION];
        const available = (newest?.status as { availableReplicas?: number } | undefined)?.availableReplicas ?? 0;
        if (annotation !== result.restartedAt || available < ((object.spec?.replicas as number) ?? 1))
          return {
            ok: false,
            detail: `new ReplicaSet ${newest?.metadata?.name ?? '?'} has ${available} available replica(s)`,
          };
        return { ok: true, detail: `${status.detail}; new ReplicaSet ${newest?.metadata?.name}` };
      }
      return { ok: true, detail: status.detail };
    },
    async rollback(params, context) {
      const result = context.executeResult as RolloutResult | undefined;
      if (!result) return;
      const path = workloadPath(params.kind, result.namespace, result.name);
      const object = await environment.client.get<KubernetesObject>(path, undefined, context.signal);
      if (params.kind === 'Deployment' && result.previousRevision > 0) {
        const { target } = await planUndo(environment, object, undefined, context.signal);
        if (revisionOf(target) >= result.previousRevision) {
          await replaceTemplate(environment, path, object, replicaSetTemplate(target), false, context.signal);
          return;
        }
      }
      const template = structuredClone(templateOf(object));
      template.metadata ??= {};
      template.metadata.annotations ??= {};
      if (result.previousRestartedAt === null) delete template.metadata.annotations[RESTARTED_AT_ANNOTATION];
      else template.metadata.annotations[RESTARTED_AT_ANNOTATION] = result.previousRestartedAt;
      await replaceTemplate(environment, path, object, template, false, context.signal);
    },
  });
}

/** `kubernetes.rollout-undo`: rolls a Deployment back to its previous (or a given) revision, like `kubectl rollout undo`. */
export function createRolloutUndoAction(environment: ActionEnvironment): RemediationActionDefinition {
  return defineRemediationAction({
    description: 'Roll a Deployment back to its previous revision (like kubectl rollout undo)',
    risk: 'high',
    parameters: RolloutUndoParametersSchema,
    timeoutMs: environment.options.timeoutMs,
    async describe(params, context) {
      const loaded = await loadWorkload(environment, params, context.resourceId, context.signal);
      const { target, current } = await planUndo(environment, loaded.object, params.toRevision, context.signal);
      return describeWithDryRun(
        context,
        `roll back Deployment ${loaded.namespace}/${loaded.name} from revision ${current} to revision ${revisionOf(target)} (ReplicaSet ${target.metadata?.name})`,
        async () => {
          await replaceTemplate(
            environment,
            loaded.path,
            loaded.object,
            replicaSetTemplate(target),
            true,
            context.signal,
          );
        },
      );
    },
    async execute(params, context): Promise<RolloutResult> {
      const loaded = await loadWorkload(environment, params, context.resourceId, context.signal);
      const { target, current, currentReplicaSet } = await planUndo(
        environment,
        loaded.object,
        params.toRevision,
        context.signal,
      );
      await replaceTemplate(environment, loaded.path, loaded.object, replicaSetTemplate(target), false, context.signal);
      return {
        kind: 'Deployment',
        namespace: loaded.namespace,
        name: loaded.name,
        previousRevision: current,
        toRevision: revisionOf(target),
        previousRestartedAt: templateOf(loaded.object).metadata?.annotations?.[RESTARTED_AT_ANNOTATION] ?? null,
        ...(currentReplicaSet?.metadata?.name ? { fromReplicaSet: currentReplicaSet.metadata.name } : {}),
      };
    },
    async verify(_params, context) {
      const result = context.executeResult as RolloutResult;
      const { status } = await readRollout(
        environment.client,
        'Deployment',
        result.namespace,
        result.name,
        context.signal,
      );
      return { ok: status.done, detail: status.detail };
    },
    async rollback(_params, context) {
      const result = context.executeResult as RolloutResult | undefined;
      if (!result?.fromReplicaSet) return;
      const path = workloadPath('Deployment', result.namespace, result.name);
      const object = await environment.client.get<KubernetesObject>(path, undefined, context.signal);
      const replicaSet = await environment.client.get<KubernetesObject>(
        `/apis/apps/v1/namespaces/${encodeURIComponent(result.namespace)}/replicasets/${encodeURIComponent(result.fromReplicaSet)}`,
        undefined,
        context.signal,
      );
      await replaceTemplate(environment, path, object, replicaSetTemplate(replicaSet), false, context.signal);
    },
  });
}
