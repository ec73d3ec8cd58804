export {
  KubernetesClient,
  KubernetesClientOptionsSchema,
  loadKubeConfig,
  type KubeConfigSource,
  type KubernetesClientOptions,
  type KubernetesRequest,
} from './kubernetes-client.js';
export {
  KubernetesConflictError,
  KubernetesError,
  KubernetesForbiddenError,
  KubernetesGuardError,
  KubernetesInvalidError,
  KubernetesNotFoundError,
  KubernetesThrottledError,
  KubernetesUnauthorizedError,
  KubernetesUnavailableError,
  kubernetesErrorFor,
  type KubernetesErrorDetails,
} from './kubernetes-errors.js';
export type { KubernetesList, KubernetesObject, ManagedFieldsEntry, ObjectMeta } from './kubernetes-objects.js';
export {
  KubernetesPluginOptionsSchema,
  WorkloadTargetSchema,
  type KubernetesPluginOptions,
  type KubernetesPluginOptionsInput,
} from './kubernetes-plugin-options.js';
export { createKubernetesPlugin, type CreateKubernetesPluginOptions } from './kubernetes-plugin.js';
export { ScaleParametersSchema, type ScaleResult } from './actions/scale-action.js';
export {
  RESTARTED_AT_ANNOTATION,
  RolloutRestartParametersSchema,
  RolloutUndoParametersSchema,
  type RolloutResult,
} from './actions/rollout-actions.js';
export {
  DeletePodParametersSchema,
  NodeParametersSchema,
  type DeletePodResult,
  type NodeResult,
} from './actions/pod-node-actions.js';
export { PatchResourcesParametersSchema, type PatchResourcesResult } from './actions/patch-resources-action.js';
export { ReconcileParametersSchema, type ReconcileResult } from './drift/reconcile-action.js';
export { rolloutStatusOf, type RolloutStatus } from './rollout-status.js';
export { selectorMatches, type LabelSelector } from './label-selector.js';
export {
  DriftDetector,
  DriftDetectorOptionsSchema,
  createDriftDetector,
  idOf,
  type CreateDriftDetectorOptions,
  type DriftDetectorOptionsInput,
  type DriftDetectorSettings,
  type DriftReport,
  type DriftedObject,
  type FieldDrift,
} from './drift/drift-detector.js';
export {
  DriftProneness,
  DriftPronenessOptionsSchema,
  type DriftPronenessOptions,
  type DriftRisk,
} from './drift/drift-proneness.js';
export { desiredObjects, loadManifestDirectory, type DesiredObject } from './drift/manifests.js';
export type { PathStep } from './drift/field-paths.js';
export {
  KubernetesProviderOptionsSchema,
  createKubernetesProvider,
  type CreateKubernetesProviderOptions,
  type KubernetesProvider,
  type KubernetesProviderOptionsInput,
  type StatusListener,
} from './kubernetes-provider.js';
