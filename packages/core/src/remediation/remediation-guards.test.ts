import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/memory-storage.js';
import { ManualClock } from '../testing/manual-clock.js';
import type { GuardsConfigInput } from './guards-config.js';
import { createRecordingPlugin, settleWithClock } from './remediation-test-kit.js';
import { createRemediator } from './remediator.js';

const loose: GuardsConfigInput = {
  cooldown: { resourceMs: 0, actionMs: 0 },
  rateLimit: { perResource: { max: 100, windowMs: 60_000 }, perAction: { max: 100, windowMs: 60_000 } },
  blastRadius: { maxResources: 100, windowMs: 60_000 },
};

function setup(
  guards: GuardsConfigInput,
  actions: Parameters<typeof createRecordingPlugin>[0] = { fix: {}, other: {} },
) {
  const clock = new ManualClock();
  const storage = new MemoryStorage();
  const plugin = createRecordingPlugin(actions);
  const remediator = createRemediator({ storage, clock, plugins: [plugin], guards: { ...loose, ...guards } });
  const run = (resourceId: string, action = 'fix') =>
    settleWithClock(clock, remediator.execute({ action: { plugin: 'test', action, params: {} }, resourceId }));
  const decisions = () =>
    storage.store.history
      .filter((record) => record.type === 'decision' && record.data.allowed === false)
      .map((record) => record.data.guard);
  return { clock, storage, plugin, remediator, run, decisions };
}

describe('remediation guards', () => {
  it('resource cooldown: a resource just changed is left alone until the cooldown passes', async () => {
    const { clock, run, decisions } = setup({ cooldown: { resourceMs: 60_000, actionMs: 0 } });
    expect((await run('web-1')).outcome).toBe('succeeded');
    const refused = await run('web-1', 'other');
    expect(refused.outcome).toBe('rejected');
    expect(refused.reason).toContain('cooldown');
    expect((await run('web-2')).outcome).toBe('succeeded');
    await clock.advance(60_000);
    expect((await run('web-1', 'other')).outcome).toBe('succeeded');
    expect(decisions()).toEqual(['resource-cooldown']);
  });

  it('action cooldown: the same action on the same resource waits; other actions do not', async () => {
    const { clock, run, decisions } = setup({ cooldown: { resourceMs: 0, actionMs: 300_000 } });
    expect((await run('web-1')).outcome).toBe('succeeded');
    expect((await run('web-1')).outcome).toBe('rejected');
    expect((await run('web-1', 'other')).outcome).toBe('succeeded');
    await clock.advance(300_000);
    expect((await run('web-1')).outcome).toBe('succeeded');
    expect(decisions()).toEqual(['action-cooldown']);
  });

  it('rate limit per resource and per action, over a sliding window', async () => {
    // settleWithClock advances the manual clock one second per event-loop turn a run takes, and a loaded
    // machine takes more turns: the window is an hour so that the runs themselves never outlast it.
    const perResource = setup({
      rateLimit: { perResource: { max: 2, windowMs: 3_600_000 }, perAction: { max: 100, windowMs: 3_600_000 } },
    });
    expect((await perResource.run('a')).outcome).toBe('succeeded');
    expect((await perResource.run('a', 'other')).outcome).toBe('succeeded');
    expect((await perResource.run('a')).outcome).toBe('rejected');
    await perResource.clock.advance(3_600_000);
    expect((await perResource.run('a')).outcome).toBe('succeeded');
    expect(perResource.decisions()).toEqual(['resource-rate-limit']);

    const perAction = setup({
      rateLimit: { perResource: { max: 100, windowMs: 3_600_000 }, perAction: { max: 2, windowMs: 3_600_000 } },
    });
    expect((await perAction.run('a')).outcome).toBe('succeeded');
    expect((await perAction.run('b')).outcome).toBe('succeeded');
    expect((await perAction.run('c')).outcome).toBe('rejected');
    expect((await perAction.run('c', 'other')).outcome).toBe('succeeded');
    expect(perAction.decisions()).toEqual(['action-rate-limit']);
  });

  it('blast radius: at most N distinct resources changed per window', async () => {
    const { clock, run, decisions, plugin } = setup({ blastRadius: { maxResources: 2, windowMs: 60_000 } });
    expect((await run('a')).outcome).toBe('succeeded');
    expect((await run('b')).outcome).toBe('succeeded');
    expect((await run('c')).outcome).toBe('rejected');
    expect((await run('a', 'other')).outcome).toBe('succeeded'); // already inside the radius
    await clock.advance(60_000);
    expect((await run('c')).outcome).toBe('succeeded');
    expect(decisions()).toEqual(['blast-radius']);
    expect(new Set(plugin.calls.map((call) => call.resourceId))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('circuit breaker: opens after repeated failures, lets one trial through after the reset time', async () => {
    let healthy = false;
    const { clock, run, decisions, plugin } = setup(
      { circuitBreaker: { failureThreshold: 3, resetAfterMs: 120_000 } },
      {
        flaky: {
          execute: async () => {
            if (!healthy) throw new Error('down');
            return { ok: true };
          },
        },
      },
    );
    for (const resource of ['a', 'b', 'c']) expect((await run(resource, 'flaky')).outcome).toBe('failed');
    const refused = await run('d', 'flaky');
    expect(refused.outcome).toBe('rejected');
    expect(refused.reason).toContain('circuit');
    expect(plugin.calls.filter((call) => call.phase === 'execute')).toHaveLength(3);
    await clock.advance(120_000);
    expect((await run('d', 'flaky')).outcome).toBe('failed'); // half-open trial fails: open again
    expect((await run('e', 'flaky')).outcome).toBe('rejected');
    await clock.advance(120_000);
    healthy = true;
    expect((await run('e', 'flaky')).outcome).toBe('succeeded');
    expect((await run('f', 'flaky')).outcome).toBe('succeeded');
    expect(decisions()).toEqual(['circuit-breaker', 'circuit-breaker']);
  });

  it('dry run evaluates the guards without consuming them', async () => {
    const clock = new ManualClock();
    const plugin = createRecordingPlugin({ fix: {} });
    const remediator = createRemediator({
      storage: new MemoryStorage(),
      clock,
      plugins: [plugin],
      dryRun: true,
      guards: { ...loose, rateLimit: { perResource: { max: 1, windowMs: 60_000 } } },
    });
    for (let index = 0; index < 3; index++) {
      expect(
        (await remediator.execute({ action: { plugin: 'test', action: 'fix', params: {} }, resourceId: 'a' })).outcome,
      ).toBe('dry-run');
    }
    expect(plugin.calls).toEqual([]);
  });
});
