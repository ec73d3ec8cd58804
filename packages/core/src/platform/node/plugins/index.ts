export {
  createCommandPlugin,
  defineAllowedCommand,
  type AllowedCommand,
  type CommandPluginOptions,
} from './command-plugin.js';
export { createProcessPlugin, type ProcessPluginOptions } from './process-plugin.js';
export { ProcessSupervisor, type ProcessExit, type ProcessSupervisorOptions } from './process-supervisor.js';
export {
  IDLE_WORKER_SOURCE,
  ProcessPool,
  ProcessPoolOptionsSchema,
  type ProcessPoolCommand,
  type ProcessPoolOptions,
  type ProcessPoolScaleOptions,
  type ProcessPoolStatus,
} from './process-pool.js';
