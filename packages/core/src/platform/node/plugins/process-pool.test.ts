import { afterEach, describe, expect, it } from 'vitest';
import { RemediationError, TimeoutError } from '../../../errors/errors.js';
import { ValidationError } from '../../../errors/validation-error.js';
import { waitFor } from '../../../testing/wait-for.js';
import { IDLE_WORKER_SOURCE, ProcessPool } from './process-pool.js';
import { ProcessSupervisor } from './process-supervisor.js';

const node = process.execPath;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
/** Writes its pid to stdout, then idles without ever reporting ready. */
const SILENT = 'process.stdout.write(String(process.pid)); setInterval(() => {}, 1000);';

describe('ProcessSupervisor readiness', () => {
  const supervisors: ProcessSupervisor[] = [];
  afterEach(async () => {
    for (const supervisor of supervisors.splice(0)) await supervisor.stop();
  });
  const supervise = (options: ConstructorParameters<typeof ProcessSupervisor>[0]) => {
    const supervisor = new ProcessSupervisor(options);
    supervisors.push(supervisor);
    return supervisor;
  };

  it('waits for the IPC ready message and reports the exit of the process it started', async () => {
    const exits: unknown[] = [];
    const supervisor = supervise({
      file: node,
      args: ['-e', IDLE_WORKER_SOURCE],
      readyMessage: true,
      onExit: (exit) => exits.push(exit),
    });
    const pid = await supervisor.start();
    expect(supervisor.running).toBe(true);
    expect(alive(pid)).toBe(true);
    await supervisor.stop();
    expect(exits).toEqual([{ pid, code: 0, signal: null }]);
  });

  it('kills a process that is not ready in time (TimeoutError naming it by its label)', async () => {
    const exits: unknown[] = [];
    const supervisor = supervise({
      file: node,
      args: ['-e', SILENT],
      readyMessage: true,
      readyTimeoutMs: 200,
      label: 'silent worker',
      onExit: (exit) => exits.push(exit),
    });
    const error = await supervisor.start().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as Error).message).toBe('silent worker was not ready within 200 ms.');
    await waitFor(() => exits.length === 1);
    expect(supervisor.running).toBe(false);
  });

  it('kills a process whose start is aborted, and rejects one that exits before it is ready', async () => {
    const controller = new AbortController();
    const supervisor = supervise({ file: node, args: ['-e', SILENT], readyPattern: /never/, stdio: 'pipe' });
    const started = supervisor.start({ signal: controller.signal });
    controller.abort(new Error('deadline'));
    await expect(started).rejects.toThrow(/^Starting .* was aborted\.$/);
    await waitFor(() => !supervisor.running);

    const failing = supervise({ file: node, args: ['-e', 'process.exit(3)'], readyMessage: true, label: 'broken' });
    await expect(failing.start()).rejects.toThrow(new RemediationError('broken exited (code 3) before it was ready.'));
  });
});

describe('ProcessPool', () => {
  let pool: ProcessPool | undefined;
  afterEach(async () => {
    await pool?.close();
  });

  it('scales groups up and down independently, stopping the newest replicas first', async () => {
    pool = new ProcessPool();
    const [a, b] = await Promise.all([pool.scale('a', 2), pool.scale('b', 1)]);
    expect(a).toMatchObject({ group: 'a', desired: 2 });
    expect(a.pids).toHaveLength(2);
    expect(b.pids).toHaveLength(1);
    const down = await pool.scale('a', 1);
    expect(down.pids).toEqual([a.pids[0]]);
    expect(alive(a.pids[1]!)).toBe(false);
    expect(pool.status('b').pids).toEqual(b.pids);
    expect(pool.status('unknown')).toEqual({ group: 'unknown', desired: 0, pids: [] });
    expect(pool.health()).toEqual({ status: 'ok', data: { groups: 2, replicas: 2 } });
  });

  it('drops a crashed replica, reports the group degraded, and runs a per-call command', async () => {
    pool = new ProcessPool({ name: 'test pool' });
    const [pid] = (await pool.scale('crashy', 1)).pids;
    process.kill(pid!, 'SIGKILL');
    await waitFor(() => pool!.status('crashy').pids.length === 0);
    expect(pool.health()).toMatchObject({ status: 'degraded', detail: 'below desired replicas: crashy' });

    const indexes: number[] = [];
    const custom = await pool.scale('custom', 2, {
      command: (index) => (indexes.push(index), { file: node, args: ['-e', IDLE_WORKER_SOURCE], readyMessage: true }),
    });
    expect(custom.pids).toHaveLength(2);
    expect(indexes.sort()).toEqual([0, 1]);
    await pool.close();
    expect(custom.pids.some(alive)).toBe(false);
    await expect(pool.scale('custom', 1)).rejects.toThrow('The test pool is closed.');
  });

  it('refuses bad replica counts and bad options, naming them', async () => {
    pool = new ProcessPool({ maxReplicas: 2 });
    await expect(pool.scale('x', 3)).rejects.toThrow('replicas must be an integer between 0 and 2; got 3.');
    await expect(pool.scale('x', 1.5)).rejects.toThrow(RemediationError);
    expect(() => new ProcessPool({ readyTimeoutMs: -1 })).toThrow(ValidationError);
    expect(() => new ProcessPool({ maxReplicas: 1.5 })).toThrow(/maxReplicas/);
  });
});
