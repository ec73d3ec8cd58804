import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRemediationAction, type RemediationContext } from '../spec/remediation-plugin.js';
import { noopLogger } from '../spec/common.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { ManualClock } from '../testing/manual-clock.js';
import { DEFAULT_ACTION_TIMEOUT_MS, describeAction, runAction } from './action-runner.js';
import { VerifyConfigSchema } from './remediation-policy.js';
import { settleWithClock } from './remediation-test-kit.js';

const context = (clock: ManualClock): RemediationContext => ({
  remediationId: 'r1',
  resourceId: 'api',
  signal: new AbortController().signal,
  logger: noopLogger,
  clock,
  dryRun: false,
});

describe('action runner', () => {
  it('gives an action without timeoutMs DEFAULT_ACTION_TIMEOUT_MS per call, then rolls it back', async () => {
    const clock = new ManualClock(0);
    const phases: string[] = [];
    const definition = defineRemediationAction({
      description: 'hangs',
      risk: 'low',
      parameters: z.object({}),
      execute: () => new Promise(() => undefined),
      rollback: async () => void phases.push(`rollback at ${clock.now()}`),
    });
    const records: Array<[string, Record<string, unknown>]> = [];
    const outcome = await settleWithClock(
      clock,
      runAction({
        action: { plugin: 'p', action: 'hang', params: {} },
        key: 'p.hang',
        definition,
        params: {},
        context: context(clock),
        clock,
        signal: new AbortController().signal,
        storage: new MemoryStorage(),
        verify: VerifyConfigSchema.parse({}),
        sleep: (ms) => clock.sleep(ms),
        record: async (type, data) => void records.push([type, data]),
        learn: async () => void phases.push('learned'),
      }),
      { stepMs: 5_000 },
    );
    expect(outcome).toEqual({
      verified: false,
      detail: `p.hang execute did not finish within ${DEFAULT_ACTION_TIMEOUT_MS} ms; rolled back`,
    });
    expect(records.map(([type]) => type)).toEqual(['execution', 'rollback']);
    expect(phases).toEqual([`rollback at ${DEFAULT_ACTION_TIMEOUT_MS}`]);
  });

  it('describes an action isolated: its text, or undefined when describe throws', async () => {
    const clock = new ManualClock(0);
    const call = (describe: () => string) => ({
      key: 'p.scale',
      params: {},
      context: context(clock),
      clock,
      signal: new AbortController().signal,
      definition: defineRemediationAction({
        description: 'd',
        risk: 'low',
        parameters: z.object({}),
        execute: async () => null,
        describe,
      }),
    });
    expect(await describeAction(call(() => 'would scale api to 3'))).toBe('would scale api to 3');
    expect(
      await describeAction(
        call(() => {
          throw new Error('no');
        }),
      ),
    ).toBeUndefined();
  });
});
