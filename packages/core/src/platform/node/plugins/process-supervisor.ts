import { spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { RemediationError, StateError } from '../../../errors/errors.js';

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
  /** Longest wait for `readyPattern`, in ms. @default 10000 */
  readyTimeoutMs?: number;
}

/**
 * Keeps one local child process: start, stop (SIGTERM then SIGKILL), restart, signal, and read its
 * resident memory. What the `process` remediation plugin acts on. Node only.
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

  /** Starts the process (no-op when it runs) and resolves once it has spawned. */
  async start(): Promise<number> {
    if (this.running) return this.child!.pid!;
    const stdio = this.options.stdio ?? 'ignore';
    const child = spawn(this.options.file, [...(this.options.args ?? [])], {
      cwd: this.options.cwd, env: this.options.env ?? process.env, shell: false,
      stdio: this.options.readyPattern ? ['ignore', 'pipe', stdio] : stdio,
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', () => resolve());
      child.once('error', (error) => reject(new RemediationError(`could not start ${this.options.file}: ${error.message}`, { cause: error })));
    });
    if (this.options.readyPattern) await this.waitUntilReady(child, this.options.readyPattern);
    this.starts++;
    return child.pid!;
  }

  private waitUntilReady(child: ChildProcess, pattern: RegExp): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let output = '';
      const timeoutMs = this.options.readyTimeoutMs ?? 10_000;
      const finish = (error?: Error) => {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        child.stdout?.resume(); // keep draining so the child never blocks on a full pipe
        if (error) reject(error);
        else resolve();
      };
      const onData = (chunk: Buffer) => {
        output = (output + chunk.toString('utf8')).slice(-4096);
        if (pattern.test(output)) finish();
      };
      const onExit = () => finish(new RemediationError(`${this.options.file} exited before it was ready`));
      const timer = setTimeout(() => finish(new RemediationError(`${this.options.file} was not ready within ${timeoutMs} ms`)), timeoutMs);
      child.stdout?.on('data', onData);
      child.once('exit', onExit);
    });
  }

  /** Stops the process: SIGTERM, then SIGKILL after `stopGraceMs`. */
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
