export {
  createPrometheusMetrics,
  type PrometheusMetrics,
  type PrometheusMetricsOptions,
} from './prometheus-metrics.js';
export { loadAugurs } from './augurs-loader.js';
export {
  IDLE_WORKER_SOURCE,
  ProcessPool,
  ProcessPoolOptionsSchema,
  ProcessSupervisor,
  createCommandPlugin,
  createProcessPlugin,
  defineAllowedCommand,
  type AllowedCommand,
  type CommandPluginOptions,
  type ProcessExit,
  type ProcessPluginOptions,
  type ProcessPoolCommand,
  type ProcessPoolOptions,
  type ProcessPoolScaleOptions,
  type ProcessPoolStatus,
  type ProcessSupervisorOptions,
} from './plugins/index.js';
export { loadPetshopDataset, type PetshopIssue, type PetshopScenario } from './petshop-dataset.js';
