import type { CallOptions, ComponentHealth, Deployment } from '@iac-dharma/core';
import {
  IDLE_WORKER_SOURCE,
  ProcessPool,
  type ProcessPoolCommand,
  type ProcessPoolStatus,
} from '@iac-dharma/core/node';
import type { DeploymentStatus, InfrastructureProvider } from './infrastructure-provider.js';

/** How to start one replica of a deployment. */
export interface WorkerCommand {
  command: string;
  args: string[];
  env?: Record<string, string>;
  /** The process sends `{ type: 'ready' }` over IPC when ready; otherwise it is ready once spawned. */
  readyMessage?: boolean;
}

/** Options of {@link createProcessPoolProvider}. */
export interface ProcessPoolProviderOptions {
  /** Command of a replica. @default a built-in idle Node worker (`node -e ...`) that reports ready over IPC */
  worker?: (deployment: Deployment, replicaIndex: number) => WorkerCommand;
  /** Longest wait for a new replica to report ready, in ms. @default 10000 */
  readyTimeoutMs?: number;
  /** Grace period after SIGTERM before SIGKILL, in ms. @default 5000 */
  stopTimeoutMs?: number;
  /** Most replicas per deployment. @default 64 */
  maxReplicas?: number;
}

/**
 * An {@link InfrastructureProvider} whose replicas are local child processes, run by core's `ProcessPool`
 * (`@iac-dharma/core/node`, one `ProcessSupervisor` per replica): scaling up starts workers, scaling down
 * stops the newest ones gracefully (SIGTERM, then SIGKILL after `stopTimeoutMs`).
 */
export function createProcessPoolProvider(options: ProcessPoolProviderOptions = {}): InfrastructureProvider {
  const worker: (deployment: Deployment, replicaIndex: number) => WorkerCommand =
    options.worker ?? (() => ({ command: process.execPath, args: ['-e', IDLE_WORKER_SOURCE], readyMessage: true }));
  const pool = new ProcessPool({
    name: 'process-pool provider',
    ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
    ...(options.stopTimeoutMs === undefined ? {} : { stopGraceMs: options.stopTimeoutMs }),
    ...(options.maxReplicas === undefined ? {} : { maxReplicas: options.maxReplicas }),
  });
  const command =
    (deployment: Deployment) =>
    (index: number): ProcessPoolCommand => {
      const spec = worker(deployment, index);
      return {
        file: spec.command,
        args: spec.args,
        env: { ...process.env, ...spec.env, DHARMA_DEPLOYMENT_ID: deployment.id, DHARMA_REPLICA_INDEX: String(index) },
        readyMessage: spec.readyMessage === true,
      };
    };
  const report = (status: ProcessPoolStatus): DeploymentStatus => ({
    deploymentId: status.group,
    desiredReplicas: status.desired,
    readyReplicas: status.pids.length,
    pids: status.pids,
  });

  return {
    specificationVersion: 'v1',
    name: 'process-pool',
    maxReplicas: pool.maxReplicas,
    async scale(deployment, replicas, callOptions: CallOptions = {}) {
      return report(await pool.scale(deployment.id, replicas, { ...callOptions, command: command(deployment) }));
    },
    async status(deployment) {
      return report(pool.status(deployment.id));
    },
    async health(): Promise<ComponentHealth> {
      const { data, ...health } = pool.health();
      return { ...health, data: { deployments: data?.['groups'], replicas: data?.['replicas'] } };
    },
    close: () => pool.close(),
  };
}
