import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { RemediationError, StateError, TimeoutError } from '../../../errors/errors.js';
import type { CallOptions } from '../../../spec/common.js';

/** How a supervised process ended (see {@link ProcessSupervisorOptions.onExit}). */
export interface ProcessExit {
  pid: number | undefined;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Options of {@link ProcessSupervisor}. */
export interface ProcessSupervisorOptions {
  /** Executable to run (never through a shell). */
  file: string;
  /** Its arguments. @default [] */
  args?: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** How long to wait for the process to exit after SIGTERM before SIGKILL, in ms. @default 5000 */
  stopGraceMs?: number;
  /** Where the child's stdout/stderr go. @default 'ignore' */
  stdio?: 'ignore' | 'inherit' | 'pipe';
  /** When set, `start()` resolves only once the child's stdout matches it (a readiness line such as `ready`). */
  readyPattern?: RegExp;
  /**
   * When true, the child gets an IPC channel and `start()` resolves only once it sends `{ type: 'ready' }`
   * over it (`process.send({ type: 'ready' })`).
   */
  readyMessage?: boolean;
  /** Longest wait for readiness (`readyPattern`, `readyMessage`), in ms. @default 10000 */
  readyTimeoutMs?: number;
  /** Names the process in error messages. @default file */
  label?: string;
  /** Called when a process this supervisor started exits, for whatever reason (a crash, `stop()`, a signal). */
  onExit?: (exit: ProcessExit) => void;
}

/**
 * Keeps one local child process: start (optionally waiting for a readiness line or IPC message), stop
 * (SIGTERM then SIGKILL), restart, signal, and read its resident memory. What the `process` remediation
 * plugin acts on, and what each replica of a {@link ProcessPool} is. Node only.
 */
export class ProcessSupervisor {
  private child: ChildProcess | undefined;
  private exited: Promise<void> | undefined;
  /** How many times the process was (re)started. */
  starts = 0;

  constructor(readonly options: ProcessSupervisorOptions) {}

  /** Pid of the running process, if any. */
  get pid(): number | undefined {
    return this.running ? this.child?.pid : undefined;
  }

  /** True while the process runs. */
  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /**
   * Starts the process (no-op when it runs) and resolves its pid once it has spawned and is ready. A process
   * that exits before it is ready, is not ready within `readyTimeoutMs` (a `TimeoutError`) or whose start is
   * aborted through `options.signal` is killed, and the promise rejects.
   */
  async start(options: CallOptions = {}): Promise<number> {
    if (this.running) return this.child!.pid!;
    const label = this.options.label ?? this.options.file;
    const { signal } = options;
    if (signal?.aborted) throw new RemediationError(`Starting ${label} was aborted.`, { cause: signal.reason });
    const output = this.options.stdio ?? 'ignore';
    const pattern = this.options.readyPattern;
    const ipc = this.options.readyMessage === true;
    const stdio: StdioOptions =
      pattern || ipc ? ['ignore', pattern ? 'pipe' : output, output, ...(ipc ? ['ipc' as const] : [])] : output;
    const child = spawn(this.options.file, [...(this.options.args ?? [])], {
      cwd: this.options.cwd,
      env: this.options.env ?? process.env,
      shell: false,
      stdio,
    });
    this.child = child;
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, exitSignal) => {
        resolve();
        this.options.onExit?.({ pid: child.pid, code, signal: exitSignal });
      }),
    );
    await this.waitUntilReady(child, label, pattern, ipc, signal);
    this.starts++;
    return child.pid!;
  }

  private waitUntilReady(
    child: ChildProcess,
    label: string,
    pattern: RegExp | undefined,
    ipc: boolean,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let spawned = false;
      let patternSeen = pattern === undefined;
      let messageSeen = !ipc;
      let output = '';
      const timeoutMs = this.options.readyTimeoutMs ?? 10_000;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stdout?.resume(); // keep draining so the child never blocks on a full pipe
        child.off('message', onMessage);
        signal?.removeEventListener('abort', onAbort);
        if (!error) return resolve();
        child.kill('SIGKILL');
        reject(error);
      };
      const check = () => {
        if (spawned && patternSeen && messageSeen) finish();
      };
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-4096);
        if (pattern?.test(output)) {
          patternSeen = true;
          check();
        }
      };
      const onMessage = (message: unknown) => {
        if (typeof message === 'object' && message !== null && 'type' in message && message.type === 'ready') {
          messageSeen = true;
          check();
        }
      };
      const onAbort = () => finish(new RemediationError(`Starting ${label} was aborted.`, { cause: signal?.reason }));
      const timer = setTimeout(
        () => finish(new TimeoutError(`${label} was not ready within ${timeoutMs} ms.`)),
        timeoutMs,
      );
      child.once('spawn', () => {
        spawned = true;
        check();
      });
      child.once('error', (error) =>
        finish(new RemediationError(`Could not start ${label}: ${error.message}`, { cause: error })),
      );
      child.once('exit', (code) => finish(new RemediationError(`${label} exited (code ${code}) before it was ready.`)));
      if (pattern) child.stdout?.on('data', onData);
      if (ipc) child.on('message', onMessage);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Stops the process: SIGTERM, then SIGKILL after `stopGraceMs`. Resolves once it has exited. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    child.kill('SIGTERM');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const killed = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolve();
      }, this.options.stopGraceMs ?? 5_000);
    });
    await Promise.race([this.exited, killed]);
    clearTimeout(timer);
    await this.exited;
  }

  /** Stops and starts again; resolves with the new pid. */
  async restart(): Promise<number> {
    await this.stop();
    return this.start();
  }

  /** Sends a signal to the running process. */
  signal(signal: NodeJS.Signals): void {
    if (!this.running) throw new StateError(`${this.options.file} is not running`);
    this.child!.kill(signal);
  }

  /** Resident set size of the process in bytes (Linux `/proc`), or `undefined` when not running. */
  async rssBytes(): Promise<number | undefined> {
    const pid = this.pid;
    if (pid === undefined) return undefined;
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      return match ? Number(match[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }
}
