import type { z } from 'zod';
import type { ActionRef } from '../schemas/remediation.js';
import type { Clock } from '../spec/common.js';
import type { RemediationActionDefinition, RemediationContext } from '../spec/remediation-plugin.js';
import type { Storage } from '../spec/storage.js';
import { describeNonJson } from './canonical-json.js';
import type { VerifyConfig } from './remediation-policy.js';
import { runIsolated } from './run-isolated.js';
import { verifyRemediation } from './verify-remediation.js';

/** Time limit of each call into an action (`execute`, `verify`, `rollback`, `describe`) that sets no `timeoutMs`, in ms. */
export const DEFAULT_ACTION_TIMEOUT_MS = 30_000;

/** The time limit of each call into this action: its own `timeoutMs`, else {@link DEFAULT_ACTION_TIMEOUT_MS}. */
export function actionTimeoutMs(definition: Pick<RemediationActionDefinition, 'timeoutMs'>): number {
  return definition.timeoutMs ?? DEFAULT_ACTION_TIMEOUT_MS;
}

/** One action about to be described or run: the validated parameters and the context its calls get. */
export interface ActionCall {
  /** `plugin.action`, for labels and messages. */
  key: string;
  definition: RemediationActionDefinition;
  /** The parameters, already validated with the action's schema. */
  params: unknown;
  context: RemediationContext;
  clock: Clock;
  /** Aborts the call (the remediation was aborted or the remediator closed). */
  signal: AbortSignal;
}

/**
 * What the action says it would do: its `describe`, run isolated (as a dry run) under the action's time
 * limit. `undefined` when it has no `describe` or that failed.
 */
export async function describeAction(call: ActionCall): Promise<string | undefined> {
  const { definition, params, context } = call;
  if (!definition.describe) return undefined;
  const describe = definition.describe.bind(definition);
  const described = await runIsolated((signal) => describe(params, { ...context, signal, dryRun: true }), {
    label: `${call.key} describe`,
    timeoutMs: actionTimeoutMs(definition),
    clock: call.clock,
    signal: call.signal,
  });
  return described.ok ? String(described.value) : undefined;
}

/** What {@link runAction} needs besides the call: plain values and callbacks (no reference to the remediator). */
export interface RunActionInput extends ActionCall {
  action: ActionRef;
  /** Where verification reads the watched series. */
  storage: Storage;
  /** How the fix is verified (the policy's `verify`). */
  verify: VerifyConfig;
  /** Waits between verification checks. */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Appends an `execution`, `verification` or `rollback` history record of this remediation. */
  record(type: 'execution' | 'verification' | 'rollback', data: Record<string, unknown>): Promise<unknown>;
  /** Learns from a verified outcome (called after verification, before any rollback); absent when the remediation does not learn. */
  learn?(verified: boolean): Promise<void>;
}

/** What running one action came to: verified, and the detail that says why (or why not). */
export interface ActionOutcome {
  verified: boolean;
  detail: string;
}

/**
 * Runs one action: executes it (isolated, under its time limit), checks what it returned, verifies the fix,
 * lets the caller learn from the outcome, and rolls back when it was not verified, recording each step.
 */
export async function runAction(input: RunActionInput): Promise<ActionOutcome> {
  const { action, key, definition, params, context, signal, clock } = input;
  const timeoutMs = actionTimeoutMs(definition);
  const { error, executeResult } = await execute(input, timeoutMs);
  const executedAt = clock.now();
  await input.record('execution', {
    action,
    ok: error === undefined,
    ...(error === undefined ? { result: executeResult ?? null } : { error }),
  });
  let detail = error ?? '';
  let verified = false;
  if (error === undefined) {
    const verification = await verifyRemediation({
      definition,
      params,
      context: { ...context, executeResult },
      config: input.verify,
      storage: input.storage,
      clock,
      executedAt,
      timeoutMs,
      sleep: input.sleep,
    });
    await input.record('verification', {
      action,
      ok: verification.ok,
      detail: verification.detail,
      checks: verification.checks,
    });
    verified = verification.ok;
    detail = verification.ok
      ? (verification.detail ?? 'verified')
      : `${key} did not fix it: ${verification.detail ?? 'verification failed'}`;
    await input.learn?.(verified);
  }
  if (!verified && definition.rollback) {
    const rollbackFn = definition.rollback.bind(definition);
    const rollback = await runIsolated(
      (taskSignal) => rollbackFn(params, { ...context, signal: taskSignal, executeResult }),
      { label: `${key} rollback`, timeoutMs, clock, signal },
    );
    const report = rollback.ok ? (rollback.value as { performed?: unknown; detail?: unknown } | undefined) : undefined;
    const performed = report?.performed !== false;
    const note = typeof report?.detail === 'string' ? report.detail : undefined;
    await input.record('rollback', {
      action,
      ok: rollback.ok,
      ...(rollback.ok ? { performed, ...(note ? { detail: note } : {}) } : { error: rollback.error.message }),
    });
    detail += !rollback.ok
      ? `; rollback failed: ${rollback.error.message}`
      : performed
        ? '; rolled back'
        : `; not rolled back: ${note ?? 'nothing to undo'}`;
  }
  return { verified, detail };
}

/** Executes the action isolated; a failure, or a result that is not usable (JSON, or the action's `result` schema), is the error. */
async function execute(
  call: ActionCall,
  timeoutMs: number,
): Promise<{ error: string | undefined; executeResult: unknown }> {
  const { key, definition, params, context } = call;
  const execution = await runIsolated((taskSignal) => definition.execute(params, { ...context, signal: taskSignal }), {
    label: `${key} execute`,
    timeoutMs,
    clock: call.clock,
    signal: call.signal,
  });
  if (!execution.ok) return { error: execution.error.message, executeResult: undefined };
  const problem = definition.result
    ? resultProblem(definition.result, execution.value)
    : describeNonJson(execution.value, 'result');
  return problem
    ? { error: `${key} returned an unusable result: ${problem}`, executeResult: undefined }
    : { error: undefined, executeResult: execution.value };
}

function resultProblem(schema: z.ZodType, value: unknown): string | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success
    ? describeNonJson(parsed.data, 'result')
    : parsed.error.issues.map((issue) => `${issue.path.join('.') || 'result'}: ${issue.message}`).join('; ');
}
