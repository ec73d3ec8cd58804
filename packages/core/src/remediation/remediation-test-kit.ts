import { z } from 'zod';
import type { RemediationActionDefinition, RemediationPlugin } from '../spec/remediation-plugin.js';
import type { ManualClock } from '../testing/manual-clock.js';

/**
 * Resolves `promise` while moving `clock` forward `stepMs` at a time (letting real I/O run between steps),
 * for code that sleeps on a ManualClock. Used by the remediation tests and exported for plugin authors' tests.
 */
export async function settleWithClock<T>(
  clock: ManualClock,
  promise: Promise<T>,
  options: { stepMs?: number; maxSteps?: number } = {},
): Promise<T> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let step = 0; !settled && step < (options.maxSteps ?? 10_000); step++) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (!settled) await clock.advance(options.stepMs ?? 1_000);
  }
  return promise;
}

/** Calls made to a {@link createRecordingPlugin} action. */
export interface RecordedCall {
  action: string;
  phase: 'execute' | 'verify' | 'rollback' | 'describe';
  resourceId: string;
  params: unknown;
}

/**
 * A plugin for tests whose actions record every call; `behaviour` overrides per action (e.g. an `execute`
 * that throws, hangs or returns garbage, or a `verify` that says no).
 */
export function createRecordingPlugin(
  actions: Record<string, Partial<RemediationActionDefinition>>,
  options: { name?: string } = {},
): RemediationPlugin & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  const built: Record<string, RemediationActionDefinition> = {};
  for (const [name, overrides] of Object.entries(actions)) {
    const record = (phase: RecordedCall['phase'], params: unknown, resourceId: string) =>
      calls.push({ action: name, phase, resourceId, params });
    built[name] = {
      description: `test action ${name}`,
      risk: 'low',
      parameters: z.record(z.string(), z.unknown()),
      ...overrides,
      execute: async (params, context) => {
        record('execute', params, context.resourceId);
        return overrides.execute ? overrides.execute(params, context) : { done: name };
      },
      ...(overrides.verify
        ? {
            verify: async (params, context) => (
              record('verify', params, context.resourceId),
              overrides.verify!(params, context)
            ),
          }
        : {}),
      ...(overrides.rollback
        ? {
            rollback: async (params, context) => (
              record('rollback', params, context.resourceId),
              overrides.rollback!(params, context)
            ),
          }
        : {}),
      ...(overrides.describe
        ? {
            describe: (params, context) => (
              record('describe', params, context.resourceId),
              overrides.describe!(params, context)
            ),
          }
        : {}),
    };
  }
  return { specificationVersion: 'v1', name: options.name ?? 'test', actions: built, calls };
}
