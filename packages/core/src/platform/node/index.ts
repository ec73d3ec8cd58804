export { createPrometheusMetrics, type PrometheusMetrics, type PrometheusMetricsOptions } from './prometheus-metrics.js';
export { loadAugurs } from './augurs-loader.js';
export {
  ProcessSupervisor,
  createCommandPlugin,
  createProcessPlugin,
  defineAllowedCommand,
  type AllowedCommand,
  type CommandPluginOptions,
  type ProcessPluginOptions,
  type ProcessSupervisorOptions,
} from './plugins/index.js';
export { loadPetshopDataset, type PetshopIssue, type PetshopScenario } from './petshop-dataset.js';
