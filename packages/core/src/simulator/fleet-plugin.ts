import { z } from 'zod';
import { parseWith } from '../errors/validation-error.js';
import {
  defineRemediationAction,
  type RemediationActionDefinition,
  type RemediationPlugin,
} from '../spec/remediation-plugin.js';
import type { FleetAction } from './incident-catalog.js';

/** Options of {@link createFleetPlugin}, with their defaults. */
const FleetPluginOptionsSchema = z.object({
  /** Plugin name. @default 'fleet' */
  name: z.string().min(1).default('fleet'),
});

/** What the plugin drives: a `FleetSimulator` (declared here, so the simulator and its plugin do not import each other). */
export interface FleetControls {
  /** Applies `action` to the service (for `scale-out`, `delta` replicas) and describes what was done. */
  applyAction(serviceId: string, action: FleetAction, delta?: number): object;
  /** The service's current state. */
  state(serviceId: string): { replicas: number };
}

const NoParameters = z.object({}).strict();
const ScaleParameters = z.object({ replicas: z.number().int().min(1).max(10).default(1) }).strict();

function action(
  fleet: FleetControls,
  name: FleetAction,
  description: string,
  risk: RemediationActionDefinition['risk'],
): RemediationActionDefinition {
  return {
    description,
    risk,
    parameters: NoParameters,
    describe: (_params, context) => `${name} ${context.resourceId}`,
    execute: async (_params, context) => fleet.applyAction(context.resourceId, name),
  };
}

/**
 * The simulator's plugin: `restart`, `scale-out` (with rollback: scale back in), `clean-disk`,
 * `rollback-deploy` and `migrate`, each acting on the service named by the remediation's resource id.
 */
export function createFleetPlugin(fleet: FleetControls, options: { name?: string } = {}): RemediationPlugin {
  const { name } = parseWith(FleetPluginOptionsSchema, options, 'fleet plugin options');
  const scaleOut: RemediationActionDefinition<typeof ScaleParameters> = {
    description: 'Add replicas to the service',
    risk: 'medium',
    parameters: ScaleParameters,
    describe: (params, context) => `scale ${context.resourceId} out by ${params.replicas}`,
    execute: async (params, context) => ({
      ...fleet.applyAction(context.resourceId, 'scale-out', params.replicas),
      replicas: fleet.state(context.resourceId).replicas,
    }),
    rollback: async (params, context) => void fleet.applyAction(context.resourceId, 'scale-out', -params.replicas),
  };
  return {
    specificationVersion: 'v1',
    name,
    actions: {
      restart: action(fleet, 'restart', 'Restart the service', 'low'),
      'scale-out': defineRemediationAction(scaleOut),
      'clean-disk': action(fleet, 'clean-disk', 'Rotate and delete old logs', 'low'),
      'rollback-deploy': action(fleet, 'rollback-deploy', 'Roll back to the previous deploy', 'medium'),
      migrate: action(fleet, 'migrate', 'Move the service to another host', 'medium'),
    },
  };
}
