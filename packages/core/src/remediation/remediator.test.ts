import { describe, expect, it } from 'vitest';
import { DharmaError } from '../errors/dharma-error.js';
import { ValidationError } from '../errors/validation-error.js';
import { Engine } from '../engine/engine.js';
import type { RemediationResult } from '../schemas/remediation.js';
import { createThresholdAnalyzer } from '../simulator/threshold-analyzer.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { makeAnomalyFinding, ManualClock, waitFor } from '../testing/index.js';
import { createRecordingPlugin, settleWithClock } from './remediation-test-kit.js';
import { createRemediator } from './remediator.js';
import type { RemediatorOptions } from './remediator-types.js';

const enforce = (actions: string[], extra: Record<string, unknown> = {}) => ({
  name: 'cpu',
  match: { kinds: ['anomaly' as const] },
  actions: actions.map((action) => ({ plugin: 'test', action })),
  mode: 'enforce' as const,
  selection: 'ordered' as const,
  ...extra,
});

function setup(actions: Parameters<typeof createRecordingPlugin>[0], options: Partial<RemediatorOptions> = {}) {
  const clock = new ManualClock();
  const storage = new MemoryStorage();
  const plugin = createRecordingPlugin(actions);
  const remediator = createRemediator({ storage, clock, plugins: [plugin], ...options });
  return { clock, storage, plugin, remediator };
}

describe('Remediator', () => {
  it('validates policies as data and names the offending field', () => {
    const storage = new MemoryStorage();
    expect(() => createRemediator({ storage, policies: [{ name: 'p', actions: [] }] })).toThrow(ValidationError);
    try {
      createRemediator({
        storage,
        policies: [{ name: 'p', actions: [{ plugin: 'x', action: 'y' }], mode: 'yolo' as never }],
      });
    } catch (error) {
      expect((error as ValidationError).field).toBe('0.mode');
    }
  });

  it('is dry-run by default for new policies: plans and records, never executes', async () => {
    const { storage, plugin, remediator } = setup(
      { restart: { describe: () => 'would restart' } },
      { policies: [{ name: 'p', actions: [{ plugin: 'test', action: 'restart' }] }] },
    );
    const result = await remediator.remediate(makeAnomalyFinding());
    expect(result?.outcome).toBe('dry-run');
    expect(result?.reason).toContain('would restart');
    expect(plugin.calls.filter((call) => call.phase !== 'describe')).toEqual([]);
    expect(storage.store.history.map((record) => record.type)).toEqual(['plan', 'decision', 'outcome']);
    expect((await remediator.verifyHistory()).ok).toBe(true);
  });

  it('executes, verifies through the finding series and reports success', async () => {
    const { clock, storage, remediator } = setup(
      { restart: {} },
      { policies: [enforce(['restart'], { verify: { windowMs: 60_000, intervalMs: 1_000, consecutive: 2 } })] },
    );
    const finding = makeAnomalyFinding({ series: 'web-1/cpu', value: 97, expected: 50, timestamp: clock.now() });
    const running = remediator.remediate(finding);
    await waitFor(() => storage.store.history.some((record) => record.type === 'execution'));
    await storage.appendPoints({
      points: [1, 2, 3].map((step) => ({ series: 'web-1/cpu', timestamp: clock.now() + step * 1000, value: 40 })),
    });
    const result = await settleWithClock(clock, running);
    expect(result?.outcome).toBe('succeeded');
    expect(storage.store.history.map((record) => record.type)).toEqual([
      'plan',
      'decision',
      'execution',
      'verification',
      'outcome',
    ]);
  });

  it('fails, rolls back and escalates when the signal does not recover within the window', async () => {
    const { clock, storage, plugin, remediator } = setup(
      { restart: { rollback: async () => undefined } },
      { policies: [enforce(['restart'], { verify: { windowMs: 10_000, intervalMs: 1_000 } })] },
    );
    const escalations: string[] = [];
    remediator.on('escalation', (escalation) => escalations.push(escalation.reason));
    await storage.appendPoints({ points: [{ series: 'web-1/cpu', timestamp: clock.now() + 5_000, value: 99 }] });
    const result = await settleWithClock(
      clock,
      remediator.remediate(makeAnomalyFinding({ series: 'web-1/cpu', value: 97, expected: 50 }))!,
    );
    expect(result?.outcome).toBe('failed');
    expect(result?.reason).toContain('did not fix it');
    expect(plugin.calls.map((call) => call.phase)).toEqual(['execute', 'rollback']);
    expect(escalations).toHaveLength(1);
    expect(storage.store.history.map((record) => record.type)).toEqual([
      'plan',
      'decision',
      'execution',
      'verification',
      'rollback',
      'escalation',
      'outcome',
    ]);
  });

  describe('isolates plugins that misbehave (recorded as failed, rollback runs, the remediator goes on)', () => {
    const cases: Array<[string, () => Promise<unknown>, string]> = [
      [
        'throws',
        async () => {
          throw new Error('boom');
        },
        'boom',
      ],
      [
        'throws synchronously',
        (() => {
          throw new Error('sync boom');
        }) as never,
        'sync boom',
      ],
      ['hangs past its timeout', () => new Promise(() => undefined), 'did not finish within 2000 ms'],
      ['returns a function', async () => () => 1, 'unusable result'],
      [
        'returns a cycle',
        async () => {
          const cycle: Record<string, unknown> = {};
          cycle.self = cycle;
          return cycle;
        },
        'circular',
      ],
      ['returns a class instance', async () => new Map(), 'instance of Map'],
    ];
    for (const [label, execute, reason] of cases) {
      it(label, async () => {
        const { clock, storage, plugin, remediator } = setup({
          bad: { execute, timeoutMs: 2_000, rollback: async () => undefined },
          good: {},
        });
        const bad = await settleWithClock(
          clock,
          remediator.execute({ action: { plugin: 'test', action: 'bad', params: {} }, resourceId: 'web-1' }),
        );
        expect(bad.outcome).toBe('failed');
        expect(bad.reason).toContain(reason);
        expect(plugin.calls.filter((call) => call.action === 'bad').map((call) => call.phase)).toEqual([
          'execute',
          'rollback',
        ]);
        const execution = storage.store.history.find((record) => record.type === 'execution');
        expect(execution?.data).toMatchObject({ ok: false });
        const good = await remediator.execute({
          action: { plugin: 'test', action: 'good', params: {} },
          resourceId: 'web-2',
        });
        expect(good.outcome).toBe('succeeded');
        expect((await remediator.verifyHistory()).ok).toBe(true);
      });
    }

    it('garbage from verify fails the verification', async () => {
      const { clock, remediator } = setup({ odd: { verify: async () => 'yes' as never } });
      const result = await settleWithClock(
        clock,
        remediator.execute({ action: { plugin: 'test', action: 'odd', params: {} }, resourceId: 'web-1' }),
      );
      expect(result.outcome).toBe('failed');
      expect(result.reason).toContain('verify returned something other than');
    });
  });

  describe('approvals above the risk level', () => {
    const risky = { risk: 'high' as const };
    it('runs a high-risk action once approved, with the request details', async () => {
      const requests: unknown[] = [];
      const { remediator } = setup({ drain: risky }, { approve: (request) => (requests.push(request), true) });
      const result = await remediator.execute({
        action: { plugin: 'test', action: 'drain', params: {} },
        resourceId: 'node-1',
        requestedBy: 'alice',
        reason: 'maintenance',
      });
      expect(result.outcome).toBe('succeeded');
      expect(requests[0]).toMatchObject({ risk: 'high', resourceId: 'node-1', requestedBy: 'alice' });
    });

    it('rejects when the approver says no, or when there is no approver', async () => {
      const denied = setup({ drain: risky }, { approve: async () => false });
      expect(
        (await denied.remediator.execute({ action: { plugin: 'test', action: 'drain', params: {} }, resourceId: 'n' }))
          .outcome,
      ).toBe('rejected');
      const none = setup({ drain: risky });
      const result = await none.remediator.execute({
        action: { plugin: 'test', action: 'drain', params: {} },
        resourceId: 'n',
      });
      expect(result.outcome).toBe('rejected');
      expect(result.reason).toContain('no approver');
      expect(none.plugin.calls.filter((call) => call.phase === 'execute')).toEqual([]);
    });

    it('treats an approval timeout as no', async () => {
      const { clock, storage, plugin, remediator } = setup(
        { drain: risky },
        { approve: () => new Promise<boolean>(() => undefined), guards: { approvalTimeoutMs: 30_000 } },
      );
      const result = await settleWithClock(
        clock,
        remediator.execute({ action: { plugin: 'test', action: 'drain', params: {} }, resourceId: 'n' }),
        { stepMs: 5_000 },
      );
      expect(result.outcome).toBe('rejected');
      expect(result.reason).toContain('timeout means no');
      expect(plugin.calls.filter((call) => call.phase === 'execute')).toEqual([]);
      expect(
        storage.store.history.filter((record) => record.type === 'approval').map((record) => record.data.state),
      ).toEqual(['requested', 'timed-out']);
    });
  });

  it('validates manual parameters and actions before doing anything', async () => {
    const { remediator, storage } = setup({
      scale: {
        parameters: (await import('zod')).z.object({ replicas: (await import('zod')).z.number().int().min(1) }),
      },
    });
    await expect(
      remediator.execute({ action: { plugin: 'test', action: 'scale', params: { replicas: 0 } }, resourceId: 'api' }),
    ).rejects.toThrow(/replicas/);
    await expect(
      remediator.execute({ action: { plugin: 'nope', action: 'scale', params: {} }, resourceId: 'api' }),
    ).rejects.toSatisfy((error: unknown) => DharmaError.isInstance(error) && error.code === 'NOT_FOUND');
    expect(storage.store.history).toEqual([]);
    expect(
      (
        await remediator.execute({
          action: { plugin: 'test', action: 'scale', params: { replicas: 3 } },
          resourceId: 'api',
        })
      ).outcome,
    ).toBe('succeeded');
  });

  it('applies the global dry-run to manual actions', async () => {
    const { remediator, plugin } = setup({ scale: {} }, { dryRun: true });
    expect(
      (await remediator.execute({ action: { plugin: 'test', action: 'scale', params: {} }, resourceId: 'api' }))
        .outcome,
    ).toBe('dry-run');
    expect(plugin.calls).toEqual([]);
  });

  it('tries the next preferred action when the first does not verify (maxAttempts)', async () => {
    const { clock, remediator, plugin } = setup(
      { first: { verify: async () => ({ ok: false }) }, second: {} },
      { policies: [enforce(['first', 'second'], { maxAttempts: 2, verify: { windowMs: 3_000, intervalMs: 1_000 } })] },
    );
    const result = await settleWithClock(clock, remediator.remediate(makeAnomalyFinding({ series: undefined }))!);
    expect(result?.outcome).toBe('succeeded');
    expect(result?.action?.action).toBe('second');
    expect(plugin.calls.filter((call) => call.phase === 'execute').map((call) => call.action)).toEqual([
      'first',
      'second',
    ]);
  });

  it('ignores findings no policy matches, and duplicates while a remediation is in flight', async () => {
    const { clock, storage, remediator } = setup(
      { restart: {} },
      { policies: [enforce(['restart'], { match: { kinds: ['anomaly'], metrics: ['cpu'], minSeverity: 'high' } })] },
    );
    expect(await remediator.remediate(makeAnomalyFinding({ severity: 'low' }))).toBeUndefined();
    expect(await remediator.remediate(makeAnomalyFinding({ series: 'web-1/mem', severity: 'high' }))).toBeUndefined();
    await storage.appendPoints({ points: [{ series: 'web-1/cpu', timestamp: clock.now() + 1, value: 99 }] });
    const first = remediator.remediate(makeAnomalyFinding({ severity: 'critical', expected: 50 }));
    await waitFor(() => storage.store.history.some((record) => record.type === 'execution'));
    expect(await remediator.remediate(makeAnomalyFinding({ severity: 'critical' }))).toBeUndefined();
    await settleWithClock(clock, first!, { stepMs: 10_000 });
    expect(remediator.stats()).toMatchObject({ findings: 4, unmatched: 2, suppressed: 1 });
  });

  it('works as an engine handler: a threshold breach is remediated and reported as a `remediation` event', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    const plugin = createRecordingPlugin({ restart: {} });
    const remediator = createRemediator({
      storage,
      clock,
      plugins: [plugin],
      policies: [enforce(['restart'], { verify: { windowMs: 30_000, intervalMs: 1_000, consecutive: 1 } })],
    });
    const engine = new Engine({
      storage,
      clock,
      analyzers: [createThresholdAnalyzer({ rules: [{ metric: 'cpu', above: 90 }] })],
      handlers: [remediator],
      closeAdapters: false,
    });
    const results: RemediationResult[] = [];
    engine.on('remediation', (result) => results.push(result));
    await engine.ingest({ resource: 'web-1', metric: 'cpu', value: 99 });
    await waitFor(() => plugin.calls.length > 0);
    await clock.advance(1_000);
    await engine.ingest({ resource: 'web-1', metric: 'cpu', value: 40 });
    await settleWithClock(
      clock,
      waitFor(() => results.length > 0, { timeoutMs: 5_000 }),
    );
    expect(results[0]).toMatchObject({
      outcome: 'succeeded',
      resource: 'web-1',
      action: { plugin: 'test', action: 'restart' },
    });
    await engine.close();
    expect((await remediator.health()).status).toBe('down');
  });
});
