import { z } from 'zod';
import { RemediationError } from '../../../errors/errors.js';
import { ValidationError } from '../../../errors/validation-error.js';
import type { CallOptions, ComponentHealth } from '../../../spec/common.js';
import { ProcessSupervisor, type ProcessSupervisorOptions } from './process-supervisor.js';

/**
 * Source of the default replica: a Node process that reports `ready` over IPC, idles, and exits 0 on
 * SIGTERM, on a `stop` message, or when its parent goes away (so a crashed host leaves no orphans).
 */
export const IDLE_WORKER_SOURCE = `
const keepAlive = setInterval(() => {}, 1 << 30);
const stop = () => { clearInterval(keepAlive); process.exit(0); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
process.on('message', (message) => { if (message && message.type === 'stop') stop(); });
process.send({ type: 'ready', pid: process.pid });
`;

/** How to run one replica: a {@link ProcessSupervisor}'s options (the pool sets the label, timeouts and exit hook). */
export type ProcessPoolCommand = Omit<ProcessSupervisorOptions, 'label' | 'readyTimeoutMs' | 'stopGraceMs' | 'onExit'>;

/** The numeric options of {@link ProcessPool}, with their defaults. */
export const ProcessPoolOptionsSchema = z.object({
  /** Longest wait for a new replica to be ready, in ms. @default 10000 */
  readyTimeoutMs: z.number().nonnegative().default(10_000),
  /** Grace period after SIGTERM before SIGKILL, in ms. @default 5000 */
  stopGraceMs: z.number().nonnegative().default(5_000),
  /** Most replicas per group. @default 64 */
  maxReplicas: z.number().int().nonnegative().default(64),
});

/** Options of {@link ProcessPool}. */
export interface ProcessPoolOptions extends z.input<typeof ProcessPoolOptionsSchema> {
  /**
   * The command of replica `index` of `group`.
   * @default the built-in idle Node worker ({@link IDLE_WORKER_SOURCE}), ready over IPC
   */
  command?: (group: string, index: number) => ProcessPoolCommand;
  /** Names the pool in errors and health. @default 'process pool' */
  name?: string;
}

/** Options of {@link ProcessPool.scale}. */
export interface ProcessPoolScaleOptions extends CallOptions {
  /** The command of new replica `index` of this group, instead of the pool's `command`. */
  command?: (index: number) => ProcessPoolCommand;
}

/** The replicas of one group. */
export interface ProcessPoolStatus {
  group: string;
  /** Replicas the pool was last asked to keep. */
  desired: number;
  /** Pids of the replicas running now (a replica that dies on its own leaves the list). */
  pids: number[];
}

interface Group {
  desired: number;
  replicas: ProcessSupervisor[];
}

/**
 * Groups of identical local processes, each replica a {@link ProcessSupervisor}: `scale()` starts replicas (in
 * parallel, each waiting until ready) or stops the newest ones (SIGTERM, then SIGKILL after `stopGraceMs`);
 * one scale at a time per group, different groups in parallel. What the gateway's process-pool provider runs
 * deployments on. Node only.
 */
export class ProcessPool {
  readonly options: z.output<typeof ProcessPoolOptionsSchema>;
  private readonly command: (group: string, index: number) => ProcessPoolCommand;
  private readonly name: string;
  private readonly groups = new Map<string, Group>();
  private readonly locks = new Map<string, Promise<unknown>>();
  private closed = false;

  constructor(options: ProcessPoolOptions = {}) {
    const { command, name, ...numbers } = options;
    const parsed = ProcessPoolOptionsSchema.safeParse(numbers);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'options');
    this.options = parsed.data;
    this.command =
      command ?? (() => ({ file: process.execPath, args: ['-e', IDLE_WORKER_SOURCE], readyMessage: true }));
    this.name = name ?? 'process pool';
  }

  /** Most replicas per group. */
  get maxReplicas(): number {
    return this.options.maxReplicas;
  }

  /**
   * Brings `group` to `replicas` running replicas; resolves once they are ready (or stopped). New replicas run
   * `options.command` when given (e.g. built from the record being scaled), else the pool's `command`.
   */
  scale(group: string, replicas: number, options: ProcessPoolScaleOptions = {}): Promise<ProcessPoolStatus> {
    if (this.closed) return Promise.reject(new RemediationError(`The ${this.name} is closed.`));
    const { maxReplicas } = this.options;
    if (!Number.isInteger(replicas) || replicas < 0 || replicas > maxReplicas) {
      return Promise.reject(
        new RemediationError(`replicas must be an integer between 0 and ${maxReplicas}; got ${replicas}.`),
      );
    }
    return this.serialize(group, async () => {
      const entry = this.group(group);
      entry.desired = replicas;
      while (entry.replicas.length > replicas) await entry.replicas.pop()?.stop();
      const missing = replicas - entry.replicas.length;
      if (missing > 0) {
        const base = entry.replicas.length;
        const started = await Promise.allSettled(
          Array.from({ length: missing }, (_, offset) => this.start(group, base + offset, entry, options)),
        );
        for (const result of started) if (result.status === 'fulfilled') entry.replicas.push(result.value);
        const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        if (failure) throw failure.reason;
      }
      return this.status(group);
    });
  }

  /** The group's replicas now (an unknown group has none). */
  status(group: string): ProcessPoolStatus {
    const entry = this.groups.get(group);
    return {
      group,
      desired: entry?.desired ?? 0,
      pids: entry?.replicas.flatMap((replica) => (replica.pid === undefined ? [] : [replica.pid])) ?? [],
    };
  }

  /** `degraded` while a group runs fewer replicas than desired (a replica crashed), else `ok`; `data` counts groups and replicas. */
  health(): ComponentHealth {
    const short = [...this.groups.entries()]
      .filter(([, entry]) => entry.replicas.length < entry.desired)
      .map(([id]) => id);
    const data = {
      groups: this.groups.size,
      replicas: [...this.groups.values()].reduce((sum, entry) => sum + entry.replicas.length, 0),
    };
    return short.length > 0
      ? { status: 'degraded', detail: `below desired replicas: ${short.join(', ')}`, data }
      : { status: 'ok', data };
  }

  /** Waits for scales in flight, then stops every replica. Later scales are refused. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.locks.values()]);
    const all = [...this.groups.values()].flatMap((entry) => entry.replicas.splice(0));
    await Promise.all(all.map((replica) => replica.stop()));
  }

  private group(id: string): Group {
    let entry = this.groups.get(id);
    if (!entry) this.groups.set(id, (entry = { desired: 0, replicas: [] }));
    return entry;
  }

  private serialize<T>(id: string, task: () => Promise<T>): Promise<T> {
    const run = (this.locks.get(id) ?? Promise.resolve()).then(task, task);
    this.locks.set(
      id,
      run.catch(() => undefined),
    );
    return run;
  }

  private async start(
    group: string,
    index: number,
    entry: Group,
    options: ProcessPoolScaleOptions,
  ): Promise<ProcessSupervisor> {
    const replica: ProcessSupervisor = new ProcessSupervisor({
      ...(options.command ? options.command(index) : this.command(group, index)),
      label: `Replica ${index} of "${group}"`,
      readyTimeoutMs: this.options.readyTimeoutMs,
      stopGraceMs: this.options.stopGraceMs,
      // A replica that dies on its own leaves the group, so status() never reports a dead pid.
      onExit: () => {
        const position = entry.replicas.indexOf(replica);
        if (position >= 0) entry.replicas.splice(position, 1);
      },
    });
    await replica.start({ signal: options.signal });
    return replica;
  }
}
