export { createCommandPlugin, defineAllowedCommand, type AllowedCommand, type CommandPluginOptions } from './command-plugin.js';
export { createProcessPlugin, type ProcessPluginOptions } from './process-plugin.js';
export { ProcessSupervisor, type ProcessSupervisorOptions } from './process-supervisor.js';
