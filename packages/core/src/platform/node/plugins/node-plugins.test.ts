import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MemoryStorage } from '../../../storage/memory-storage.js';
import { createRemediator } from '../../../remediation/remediator.js';
import { createCommandPlugin, defineAllowedCommand } from './command-plugin.js';
import { createProcessPlugin } from './process-plugin.js';
import { ProcessSupervisor } from './process-supervisor.js';

const node = process.execPath;
const echoArgs = 'process.stdout.write(JSON.stringify(process.argv.slice(1)))';

describe('command plugin', () => {
  const remediator = () =>
    createRemediator({
      storage: new MemoryStorage(),
      guards: { cooldown: { resourceMs: 0, actionMs: 0 } },
      plugins: [
        createCommandPlugin({
          commands: {
            echo: defineAllowedCommand({
              file: node,
              description: 'echo arguments',
              risk: 'low',
              parameters: z.object({ message: z.string().max(100), level: z.enum(['info', 'warn']).default('info') }),
              args: (params, resourceId) => ['-e', echoArgs, params.message, params.level, resourceId],
            }),
            fail: defineAllowedCommand({
              file: node,
              description: 'exit 3',
              risk: 'low',
              args: () => ['-e', 'process.stderr.write("nope"); process.exit(3)'],
            }),
          },
        }),
      ],
    });

  it('passes validated parameters as separate arguments, never through a shell', async () => {
    const marker = `/tmp/dharma-pwned-${process.pid}`;
    const message = `$(touch ${marker}); \`touch ${marker}\` | true`;
    const instance = remediator();
    const result = await instance.execute({
      action: { plugin: 'command', action: 'echo', params: { message } },
      resourceId: 'web-1',
    });
    expect(result.outcome).toBe('succeeded');
    const execution = (await instance.history()).find((record) => record.type === 'execution')!;
    expect(JSON.parse((execution.data.result as { stdout: string }).stdout)[0]).toBe(message);
    expect(existsSync(marker)).toBe(false);
  });

  it('records stdout, fails on non-zero exit, and rejects parameters outside the schema', async () => {
    const instance = remediator();
    await instance.execute({
      action: { plugin: 'command', action: 'echo', params: { message: 'a "quoted" $HOME' } },
      resourceId: 'web-1',
    });
    const execution = (await instance.history()).find((record) => record.type === 'execution')!;
    expect(JSON.parse((execution.data.result as { stdout: string }).stdout)).toEqual([
      'a "quoted" $HOME',
      'info',
      'web-1',
    ]);
    const failed = await instance.execute({
      action: { plugin: 'command', action: 'fail', params: {} },
      resourceId: 'web-1',
    });
    expect(failed.outcome).toBe('failed');
    expect(failed.reason).toContain('exited with code 3: nope');
    await expect(
      instance.execute({
        action: { plugin: 'command', action: 'echo', params: { message: 'x', level: 'debug' } },
        resourceId: 'web-1',
      }),
    ).rejects.toThrow(/level/);
    await expect(
      instance.execute({ action: { plugin: 'command', action: 'rm', params: {} }, resourceId: 'web-1' }),
    ).rejects.toThrow(/no action "rm"/);
  });

  it.each(['--output=/tmp/anything', '-rf', 'web 1', 'web$(id)'])(
    'refuses the resource id %j before running anything (ids from ingested data never become options)',
    async (resourceId) => {
      const instance = remediator();
      const result = await instance.execute({
        action: { plugin: 'command', action: 'echo', params: { message: 'hi' } },
        resourceId,
      });
      expect(result.outcome).toBe('failed');
      expect(result.reason).toMatch(/resource id/);
      const execution = (await instance.history()).find((record) => record.type === 'execution')!;
      expect(execution.data.result).toBeUndefined();
    },
  );
});

describe('process plugin', () => {
  const supervisors: ProcessSupervisor[] = [];
  afterEach(async () => {
    for (const supervisor of supervisors.splice(0)) await supervisor.stop();
  });

  it('restarts a supervised process (verified by a new pid) and sends allow-listed signals', async () => {
    const supervisor = new ProcessSupervisor({
      file: node,
      args: [
        '-e',
        "process.on('SIGUSR1', () => process.exit(7)); process.stdout.write('ready'); setInterval(() => {}, 1000)",
      ],
      readyPattern: /ready/,
    });
    supervisors.push(supervisor);
    const firstPid = await supervisor.start();
    const remediator = createRemediator({
      storage: new MemoryStorage(),
      guards: { cooldown: { resourceMs: 0, actionMs: 0 } },
      plugins: [createProcessPlugin({ processes: { worker: supervisor } })],
    });
    const restart = await remediator.execute({
      action: { plugin: 'process', action: 'restart', params: {} },
      resourceId: 'worker',
    });
    expect(restart.outcome).toBe('succeeded');
    expect(supervisor.pid).toBeDefined();
    expect(supervisor.pid).not.toBe(firstPid);
    expect(supervisor.starts).toBe(2);
    const signal = await remediator.execute({
      action: { plugin: 'process', action: 'signal', params: { signal: 'SIGUSR1' } },
      resourceId: 'worker',
    });
    expect(signal.outcome).toBe('succeeded');
    await expect.poll(() => supervisor.running).toBe(false);
    await expect(
      remediator.execute({
        action: { plugin: 'process', action: 'signal', params: { signal: 'SIGKILL' } },
        resourceId: 'worker',
      }),
    ).rejects.toThrow(/signal/);
    const unknown = await remediator.execute({
      action: { plugin: 'process', action: 'restart', params: { name: 'ghost' } },
      resourceId: 'worker',
    });
    expect(unknown.outcome).toBe('failed');
    expect(unknown.reason).toContain('No supervised process "ghost"');
  });
});
