import { z } from 'zod';
import { NotFoundError } from '../../../errors/errors.js';
import type { RiskLevel } from '../../../schemas/remediation.js';
import {
  defineRemediationAction,
  type RemediationActionDefinition,
  type RemediationContext,
  type RemediationPlugin,
} from '../../../spec/remediation-plugin.js';
import type { ProcessSupervisor } from './process-supervisor.js';

/** Options of {@link createProcessPlugin}. */
export interface ProcessPluginOptions {
  /** The supervised processes, by name; a remediation's resource id picks one when `params.name` is absent. */
  processes: Record<string, ProcessSupervisor>;
  /** Plugin name. @default 'process' */
  name?: string;
  /** Risk of `restart`. @default 'medium' */
  restartRisk?: RiskLevel;
  /** Risk of `signal`. @default 'medium' */
  signalRisk?: RiskLevel;
}

const RestartParameters = z.object({ name: z.string().min(1).optional() }).strict();
const SignalParameters = z
  .object({ name: z.string().min(1).optional(), signal: z.enum(['SIGHUP', 'SIGINT', 'SIGTERM', 'SIGUSR1', 'SIGUSR2']) })
  .strict();

/**
 * A plugin that restarts or signals supervised local processes (Node only): `process.restart` (verified by
 * the new process running with a new pid) and `process.signal` (an allow-listed signal).
 */
export function createProcessPlugin(options: ProcessPluginOptions): RemediationPlugin {
  const find = (name: string | undefined, context: RemediationContext): [string, ProcessSupervisor] => {
    const key = name ?? context.resourceId;
    const supervisor = Object.hasOwn(options.processes, key) ? options.processes[key] : undefined;
    if (!supervisor)
      throw new NotFoundError(
        `No supervised process "${key}" (processes: ${Object.keys(options.processes).join(', ')}).`,
      );
    return [key, supervisor];
  };
  const restart: RemediationActionDefinition<typeof RestartParameters> = {
    description: 'Restart a supervised local process',
    risk: options.restartRisk ?? 'medium',
    parameters: RestartParameters,
    describe: (params, context) => `restart process ${find(params.name, context)[0]}`,
    async execute(params, context) {
      const [name, supervisor] = find(params.name, context);
      const previousPid = supervisor.pid ?? null;
      const pid = await supervisor.restart();
      return { name, previousPid, pid };
    },
    async verify(params, context) {
      const [, supervisor] = find(params.name, context);
      const result = context.executeResult as { previousPid: number | null; pid: number };
      const ok = supervisor.running && supervisor.pid === result.pid && supervisor.pid !== result.previousPid;
      return { ok, detail: ok ? `running as pid ${supervisor.pid}` : 'the restarted process is not running' };
    },
  };
  const signal: RemediationActionDefinition<typeof SignalParameters> = {
    description: 'Send a signal to a supervised local process',
    risk: options.signalRisk ?? 'medium',
    parameters: SignalParameters,
    describe: (params, context) => `send ${params.signal} to process ${find(params.name, context)[0]}`,
    async execute(params, context) {
      const [name, supervisor] = find(params.name, context);
      supervisor.signal(params.signal);
      return { name, pid: supervisor.pid ?? null, signal: params.signal };
    },
  };
  return {
    specificationVersion: 'v1',
    name: options.name ?? 'process',
    actions: { restart: defineRemediationAction(restart), signal: defineRemediationAction(signal) },
  };
}
