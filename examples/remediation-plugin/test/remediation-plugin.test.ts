import { describe, expect, it } from 'vitest';
import { waitFor } from '@iac-dharma/core/testing';
import { createCheckoutGuardian, type FlagStore } from '../src/index.js';

describe('@example/remediation-plugin', () => {
  it('turns the flag off when checkout errors spike, verifies the recovery and audits it', async () => {
    const flags = new Map([['new-checkout', true]]);
    const store: FlagStore = {
      get: (flag) => flags.get(flag) ?? false,
      set: (flag, enabled) => void flags.set(flag, enabled),
    };
    const { engine, remediator } = createCheckoutGuardian(store);
    const outcomes: string[] = [];
    engine.on('remediation', (result) => outcomes.push(result.outcome));
    let feeding = true;
    const feeder = (async () => {
      while (feeding) {
        await engine.ingest({
          resource: 'checkout',
          metric: 'error_rate',
          value: store.get('new-checkout') ? 0.12 : 0.004,
        });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await waitFor(() => outcomes.length > 0, { timeoutMs: 20_000 });
    feeding = false;
    await feeder;
    expect(outcomes).toEqual(['succeeded']);
    expect(flags.get('new-checkout')).toBe(false);
    expect(await remediator.history({ outcome: 'succeeded' })).toHaveLength(1);
    expect(await remediator.verifyHistory()).toEqual({ ok: true });
    await engine.close();
  });

  it('rejects parameters that do not match the schema', async () => {
    const { remediator, engine } = createCheckoutGuardian({ get: () => true, set: () => undefined });
    await expect(
      remediator.execute({
        action: { plugin: 'flags', action: 'disable', params: { flag: 'Rm -rf' } },
        resourceId: 'checkout',
      }),
    ).rejects.toThrow(/flag/);
    await engine.close();
  });
});
