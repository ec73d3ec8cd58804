import { spawn, type ChildProcess } from 'node:child_process';
import { RemediationError, TimeoutError, type CallOptions, type ComponentHealth, type Deployment } from '@iac-dharma/core';
import type { DeploymentStatus, InfrastructureProvider } from './infrastructure-provider.js';
import { PROCESS_POOL_WORKER_SOURCE } from './process-pool-worker-source.js';

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

interface Replica {
  child: ChildProcess;
  pid: number;
  exited: Promise<void>;
}

/**
 * An {@link InfrastructureProvider} whose replicas are local child processes: scaling up starts workers,
 * scaling down stops the newest ones gracefully (SIGTERM, then SIGKILL after `stopTimeoutMs`).
 */
export function createProcessPoolProvider(options: ProcessPoolProviderOptions = {}): InfrastructureProvider {
  const readyTimeoutMs = options.readyTimeoutMs ?? 10_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
  const maxReplicas = options.maxReplicas ?? 64;
  const worker: (deployment: Deployment, replicaIndex: number) => WorkerCommand = options.worker ?? (() => ({ command: process.execPath, args: ['-e', PROCESS_POOL_WORKER_SOURCE], readyMessage: true }));
  const pools = new Map<string, { desired: number; replicas: Replica[] }>();
  const locks = new Map<string, Promise<unknown>>();
  let closed = false;

  const pool = (id: string) => {
    let entry = pools.get(id);
    if (!entry) pools.set(id, (entry = { desired: 0, replicas: [] }));
    return entry;
  };
  const report = (id: string): DeploymentStatus => {
    const entry = pools.get(id);
    const pids = entry?.replicas.map((replica) => replica.pid) ?? [];
    return { deploymentId: id, desiredReplicas: entry?.desired ?? 0, readyReplicas: pids.length, pids };
  };
  // One scale at a time per deployment; different deployments scale in parallel.
  const serialize = <T>(id: string, task: () => Promise<T>): Promise<T> => {
    const run = (locks.get(id) ?? Promise.resolve()).then(task, task);
    locks.set(id, run.catch(() => undefined));
    return run;
  };

  const start = (deployment: Deployment, index: number, signal?: AbortSignal): Promise<Replica> => {
    const spec = worker(deployment, index);
    const child = spawn(spec.command, spec.args, {
      stdio: spec.readyMessage ? ['ignore', 'ignore', 'ignore', 'ipc'] : 'ignore',
      env: { ...process.env, ...spec.env, DHARMA_DEPLOYMENT_ID: deployment.id, DHARMA_REPLICA_INDEX: String(index) },
    });
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return new Promise<Replica>((resolve, reject) => {
      const fail = (error: Error) => {
        cleanup();
        child.kill('SIGKILL');
        reject(error);
      };
      const onReady = () => {
        cleanup();
        if (child.pid === undefined) return reject(new RemediationError(`Replica ${index} of "${deployment.id}" has no pid.`));
        resolve({ child, pid: child.pid, exited });
      };
      const onMessage = (message: unknown) => {
        if ((message as { type?: string } | null)?.type === 'ready') onReady();
      };
      const onError = (error: Error) => fail(new RemediationError(`Could not start replica ${index} of "${deployment.id}": ${error.message}`, { cause: error }));
      const onExit = (code: number | null) => fail(new RemediationError(`Replica ${index} of "${deployment.id}" exited (code ${code}) before it was ready.`));
      const onAbort = () => fail(new RemediationError(`Starting replica ${index} of "${deployment.id}" was aborted.`, { cause: signal?.reason }));
      const timer = setTimeout(() => fail(new TimeoutError(`Replica ${index} of "${deployment.id}" was not ready within ${readyTimeoutMs} ms.`)), readyTimeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        child.off('message', onMessage).off('error', onError).off('exit', onExit).off('spawn', onReady);
        signal?.removeEventListener('abort', onAbort);
      };
      child.once('error', onError).once('exit', onExit);
      if (spec.readyMessage) child.on('message', onMessage);
      else child.once('spawn', onReady);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  };

  const stop = async (replica: Replica): Promise<void> => {
    if (replica.child.exitCode !== null || replica.child.signalCode !== null) return;
    replica.child.kill('SIGTERM');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const forced = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        replica.child.kill('SIGKILL');
        resolve();
      }, stopTimeoutMs);
    });
    await Promise.race([replica.exited, forced]);
    clearTimeout(timer);
    await replica.exited;
  };

  return {
    specificationVersion: 'v1',
    name: 'process-pool',
    maxReplicas,
    scale(deployment, replicas, callOptions: CallOptions = {}) {
      if (closed) return Promise.reject(new RemediationError('The process-pool provider is closed.'));
      if (!Number.isInteger(replicas) || replicas < 0 || replicas > maxReplicas) {
        return Promise.reject(new RemediationError(`replicas must be an integer between 0 and ${maxReplicas}; got ${replicas}.`));
      }
      return serialize(deployment.id, async () => {
        const entry = pool(deployment.id);
        entry.desired = replicas;
        while (entry.replicas.length > replicas) await stop(entry.replicas.pop() as Replica);
        const missing = replicas - entry.replicas.length;
        if (missing > 0) {
          const base = entry.replicas.length;
          const started = await Promise.allSettled(Array.from({ length: missing }, (_, offset) => start(deployment, base + offset, callOptions.signal)));
          for (const result of started) {
            if (result.status !== 'fulfilled') continue;
            const replica = result.value;
            entry.replicas.push(replica);
            // A replica that dies on its own leaves the pool, so status() never reports a dead pid.
            void replica.exited.then(() => {
              const position = entry.replicas.indexOf(replica);
              if (position >= 0) entry.replicas.splice(position, 1);
            });
          }
          const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
          if (failure) throw failure.reason;
        }
        return report(deployment.id);
      });
    },
    async status(deployment) {
      return report(deployment.id);
    },
    async health(): Promise<ComponentHealth> {
      const short = [...pools.entries()].filter(([, entry]) => entry.replicas.length < entry.desired).map(([id]) => id);
      const data = { deployments: pools.size, replicas: [...pools.values()].reduce((sum, entry) => sum + entry.replicas.length, 0) };
      return short.length > 0 ? { status: 'degraded', detail: `below desired replicas: ${short.join(', ')}`, data } : { status: 'ok', data };
    },
    async close() {
      closed = true;
      await Promise.all([...locks.values()]);
      const all = [...pools.values()].flatMap((entry) => entry.replicas.splice(0));
      await Promise.all(all.map(stop));
    },
  };
}
