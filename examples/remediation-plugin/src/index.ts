/**
 * A custom remediation plugin: a feature-flag kill switch. When error rates spike after a feature is turned
 * on, the remediator turns the flag off (and back on if that did not help), under guards, with verification
 * and a hash-chained audit history.
 *
 * Run: npm start -w @example/remediation-plugin
 */
import { z } from 'zod';
import {
  Engine,
  MemoryStorage,
  Remediator,
  defineRemediationAction,
  type RemediationPlugin,
  type RemediationPolicyInput,
} from '@iac-dharma/core';
import { createThresholdAnalyzer } from '@iac-dharma/core/simulator';

/** Where flags live. In a real service: LaunchDarkly, Unleash, a config table... */
export interface FlagStore {
  get(flag: string): boolean;
  set(flag: string, enabled: boolean): void;
}

/** Creates the `flags` plugin with one action, `flags.disable`. */
export function createFlagPlugin(store: FlagStore): RemediationPlugin {
  const disable = defineRemediationAction({
    description: 'Turn a feature flag off',
    risk: 'low',
    parameters: z.object({ flag: z.string().regex(/^[a-z0-9-]+$/) }),
    timeoutMs: 5_000,
    describe: (params) => `turn feature flag "${params.flag}" off`,
    async execute(params) {
      const wasEnabled = store.get(params.flag);
      store.set(params.flag, false);
      return { flag: params.flag, wasEnabled }; // JSON: kept in the history, passed to rollback
    },
    async rollback(params, context) {
      const { wasEnabled } = context.executeResult as { wasEnabled: boolean };
      store.set(params.flag, wasEnabled);
    },
  });
  return { specificationVersion: 'v1', name: 'flags', actions: { disable } };
}

/** The policy: error-rate anomalies on the checkout service are answered by turning the new flow off. */
export const checkoutPolicy: RemediationPolicyInput = {
  name: 'checkout-errors',
  mode: 'enforce', // policies are dry-run until you say so
  match: { kinds: ['anomaly'], metrics: ['error_rate'], minSeverity: 'medium' },
  actions: [{ plugin: 'flags', action: 'disable', params: { flag: 'new-checkout' } }],
  verify: { windowMs: 60_000, intervalMs: 1_000, consecutive: 3, healthyBelow: 0.02 },
};

/** Wires an engine (threshold analyzer) and a remediator that uses the plugin. */
export function createCheckoutGuardian(store: FlagStore) {
  const storage = new MemoryStorage();
  const remediator = new Remediator({
    storage,
    plugins: [createFlagPlugin(store)],
    policies: [checkoutPolicy],
    guards: {
      cooldown: { resourceMs: 60_000, actionMs: 300_000 },
      blastRadius: { maxResources: 3, windowMs: 600_000 },
    },
  });
  const engine = new Engine({
    storage,
    analyzers: [createThresholdAnalyzer({ rules: [{ metric: 'error_rate', above: 0.05 }] })],
    handlers: [remediator],
  });
  return { engine, remediator, storage };
}

// Demo when run directly: errors rise while the flag is on, drop once the remediator turns it off.
if (import.meta.url === `file://${process.argv[1]}`) {
  const flags = new Map([['new-checkout', true]]);
  const store: FlagStore = {
    get: (flag) => flags.get(flag) ?? false,
    set: (flag, enabled) => void flags.set(flag, enabled),
  };
  const { engine, remediator } = createCheckoutGuardian(store);
  engine.on('remediation', (result) => console.log(`remediation ${result.outcome}: ${result.reason}`));
  for (let second = 0; second < 30 && remediator.stats().outcomes.succeeded === 0; second++) {
    await engine.ingest({
      resource: 'checkout',
      metric: 'error_rate',
      value: store.get('new-checkout') ? 0.12 : 0.004,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  await engine.flush();
  console.log('history intact:', (await remediator.verifyHistory()).ok, '- flag now', flags.get('new-checkout'));
  await engine.close();
}
