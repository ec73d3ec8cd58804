import { parseWith, type RemediationActionDefinition, type RemediationPlugin } from '@iac-dharma/core/kernel';
import type { ActionEnvironment } from './action-support.js';
import { createDeletePodAction, createNodeAction } from './actions/pod-node-actions.js';
import { createPatchResourcesAction } from './actions/patch-resources-action.js';
import { createRolloutRestartAction, createRolloutUndoAction } from './actions/rollout-actions.js';
import { createScaleAction } from './actions/scale-action.js';
import { createReconcileAction } from './drift/reconcile-action.js';
import type { DriftDetector } from './drift/drift-detector.js';
import { KubernetesClient, type KubeConfigSource } from './kubernetes-client.js';
import { KubernetesPluginOptionsSchema, type KubernetesPluginOptionsInput } from './kubernetes-plugin-options.js';

/** Options of {@link createKubernetesPlugin}: the allow-lists and settings, plus where to connect. */
export type CreateKubernetesPluginOptions = KubernetesPluginOptionsInput & {
  /** A client, a loaded `KubeConfig`, or a kubeconfig file path. @default the default kubeconfig (KUBECONFIG, ~/.kube/config, in-cluster) */
  client?: KubernetesClient | KubeConfigSource;
  /** Adds the `reconcile` action, which restores what this detector's desired manifests say. */
  drift?: DriftDetector;
};

/**
 * The Kubernetes remediation plugin. Actions (all with zod-validated params, `describe`, `verify`, and
 * `rollback` where one exists):
 * `scale`, `rollout-restart`, `rollout-undo`, `delete-pod`, `cordon`, `uncordon`, `patch-resources`, and
 * `reconcile` when a {@link DriftDetector} is given. In the Remediator's dry-run mode, `describe` sends the
 * change with `dryRun=All`, so the API server and its admission validate it without storing anything.
 * Every action checks the namespace and label allow-lists; disruptive ones check PodDisruptionBudgets; every
 * write carries the resourceVersion it read, so a concurrent change fails with `KubernetesConflictError`.
 *
 * ```ts
 * const plugin = createKubernetesPlugin({ client: '/path/to/kubeconfig', namespaces: ['shop'], labelSelector: { 'dharma.io/remediate': 'true' } });
 * const remediator = new Remediator({ storage, plugins: [plugin], policies: [...] });
 * ```
 */
export function createKubernetesPlugin(options: CreateKubernetesPluginOptions): RemediationPlugin {
  const { client, drift, ...rest } = options;
  const resolved = parseWith(KubernetesPluginOptionsSchema, rest, 'kubernetes plugin options');
  const environment: ActionEnvironment = {
    client: client instanceof KubernetesClient ? client : new KubernetesClient(client),
    options: resolved,
  };
  const actions: Record<string, RemediationActionDefinition> = {
    scale: createScaleAction(environment),
    'rollout-restart': createRolloutRestartAction(environment),
    'rollout-undo': createRolloutUndoAction(environment),
    'delete-pod': createDeletePodAction(environment),
    cordon: createNodeAction(environment, true),
    uncordon: createNodeAction(environment, false),
    'patch-resources': createPatchResourcesAction(environment),
    ...(drift ? { reconcile: createReconcileAction(environment, drift) } : {}),
  };
  return { specificationVersion: 'v1', name: resolved.name, actions };
}
