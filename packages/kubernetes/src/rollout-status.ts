import type { KubernetesClient } from './kubernetes-client.js';
import type { KubernetesList, KubernetesObject } from './kubernetes-objects.js';
import { workloadPath } from './api-paths.js';
import { selectorString } from './label-selector.js';

/** Where a rollout stands, read from the workload's status (the same rules as `kubectl rollout status`). */
export interface RolloutStatus {
  /** Every replica runs the current template and is available. */
  done: boolean;
  /** The Deployment's progress deadline passed (`Progressing=False`, `ProgressDeadlineExceeded`): it will not finish by itself. */
  failed: boolean;
  /** One line for humans. */
  detail: string;
  /** Revision of the Deployment (`deployment.kubernetes.io/revision`) or the StatefulSet's update revision. */
  revision?: string;
}

interface WorkloadStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  currentRevision?: string;
  updateRevision?: string;
  conditions?: { type: string; status: string; reason?: string; message?: string }[];
}

/** The rollout status of a Deployment or StatefulSet object. */
export function rolloutStatusOf(object: KubernetesObject): RolloutStatus {
  const status = (object.status ?? {}) as WorkloadStatus;
  const wanted = (object.spec?.replicas as number | undefined) ?? 1;
  const name = `${object.kind} ${object.metadata?.namespace}/${object.metadata?.name}`;
  const revision =
    object.kind === 'StatefulSet'
      ? status.updateRevision
      : object.metadata?.annotations?.['deployment.kubernetes.io/revision'];
  const base = revision === undefined ? {} : { revision };
  if ((object.metadata?.generation ?? 0) > (status.observedGeneration ?? -1))
    return {
      done: false,
      failed: false,
      detail: `${name}: waiting for the controller to observe generation ${object.metadata?.generation}`,
      ...base,
    };
  const progressing = status.conditions?.find((condition) => condition.type === 'Progressing');
  if (object.kind === 'Deployment' && progressing?.reason === 'ProgressDeadlineExceeded') {
    return {
      done: false,
      failed: true,
      detail: `${name}: rollout exceeded its progress deadline (${progressing.message ?? 'ProgressDeadlineExceeded'})`,
      ...base,
    };
  }
  const updated = status.updatedReplicas ?? 0;
  if (updated < wanted)
    return { done: false, failed: false, detail: `${name}: ${updated} of ${wanted} replicas updated`, ...base };
  if (object.kind === 'StatefulSet') {
    const ready = status.readyReplicas ?? 0;
    if (ready < wanted)
      return { done: false, failed: false, detail: `${name}: ${ready} of ${wanted} replicas ready`, ...base };
    if (status.updateRevision && status.currentRevision !== status.updateRevision)
      return { done: false, failed: false, detail: `${name}: waiting for revision ${status.updateRevision}`, ...base };
    return {
      done: true,
      failed: false,
      detail: `${name}: ${ready} of ${wanted} replicas ready at revision ${status.updateRevision ?? '?'}`,
      ...base,
    };
  }
  if ((status.replicas ?? 0) > updated)
    return {
      done: false,
      failed: false,
      detail: `${name}: ${(status.replicas ?? 0) - updated} old replica(s) pending termination`,
      ...base,
    };
  const available = status.availableReplicas ?? 0;
  if (available < updated)
    return {
      done: false,
      failed: false,
      detail: `${name}: ${available} of ${updated} updated replicas available`,
      ...base,
    };
  return {
    done: true,
    failed: false,
    detail: `${name}: ${available} of ${wanted} replicas available at revision ${revision ?? '?'}`,
    ...base,
  };
}

/** A Deployment's ReplicaSets (owned by it), newest revision first. */
export async function replicaSetsOf(
  client: KubernetesClient,
  deployment: KubernetesObject,
  signal?: AbortSignal,
): Promise<KubernetesObject[]> {
  const namespace = deployment.metadata!.namespace!;
  const matchLabels =
    (deployment.spec?.selector as { matchLabels?: Record<string, string> } | undefined)?.matchLabels ?? {};
  const list = await client.get<KubernetesList>(
    `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`,
    { labelSelector: selectorString(matchLabels) },
    signal,
  );
  return list.items
    .filter((replicaSet) =>
      replicaSet.metadata?.ownerReferences?.some((owner) => owner.uid === deployment.metadata?.uid),
    )
    .sort((a, b) => revisionOf(b) - revisionOf(a));
}

/** The `deployment.kubernetes.io/revision` of a ReplicaSet or Deployment (0 when absent). */
export function revisionOf(object: KubernetesObject): number {
  return Number(object.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;
}

/** Reads a Deployment or StatefulSet and its rollout status. */
export async function readRollout(
  client: KubernetesClient,
  kind: 'Deployment' | 'StatefulSet',
  namespace: string,
  name: string,
  signal?: AbortSignal,
): Promise<{ object: KubernetesObject; status: RolloutStatus }> {
  const object = await client.get<KubernetesObject>(workloadPath(kind, namespace, name), undefined, signal);
  return { object, status: rolloutStatusOf(object) };
}
