import type { ActionRef } from '../schemas/remediation.js';
import type { RemediationActionDefinition, RemediationContext } from '../spec/remediation-plugin.js';
import type { Clock } from '../spec/common.js';
import type { ApprovalCallback, ApprovalRequest, RemediatorEvents } from './remediator-types.js';
import { describeAction } from './action-runner.js';
import { actionKey } from './plugin-registry.js';
import { runIsolated } from './run-isolated.js';

/** What {@link requestApproval} needs: plain values and an emit callback (no reference to the remediator). */
export interface RequestApprovalInput {
  clock: Clock;
  /** How long the approver has to answer, in ms (the guards' `approvalTimeoutMs`). */
  approvalTimeoutMs: number;
  /** Emits the remediator's `approval-requested` event (never throws). */
  emitRequested(details: Parameters<RemediatorEvents['approval-requested']>[0]): void;
  approve: ApprovalCallback | undefined;
  request: {
    remediationId: string;
    resourceId: string;
    finding?: ApprovalRequest['finding'];
    reason?: string;
    requestedBy?: string;
  };
  action: ActionRef;
  definition: RemediationActionDefinition;
  params: unknown;
  context: RemediationContext;
  signal: AbortSignal;
  /** Appends an `approval` history record. */
  record(data: Record<string, unknown>): Promise<unknown>;
}

/**
 * Asks the approver about a risky action and records the request and the answer. Only an explicit `true`
 * within `guards.approvalTimeoutMs` approves: `false`, a throw, garbage, or silence all mean no.
 */
export async function requestApproval(input: RequestApprovalInput): Promise<{ granted: boolean; reason: string }> {
  const { clock, request, action, definition } = input;
  const timeoutMs = input.approvalTimeoutMs;
  const description = await describeAction({
    key: actionKey(action),
    definition,
    params: input.params,
    context: input.context,
    clock,
    signal: input.signal,
  });
  const details = {
    remediationId: request.remediationId,
    action,
    risk: definition.risk,
    resourceId: request.resourceId,
    ...(request.finding ? { finding: request.finding } : {}),
    ...(request.reason ? { reason: request.reason } : {}),
    ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
    ...(description ? { description } : {}),
  };
  await input.record({ action, state: 'requested', risk: definition.risk, timeoutMs, description });
  input.emitRequested(details);
  if (!input.approve) {
    const reason = `${definition.risk}-risk action needs approval but no approver is configured`;
    await input.record({ action, state: 'denied', reason });
    return { granted: false, reason };
  }
  const approve = input.approve;
  const answer = await runIsolated((signal) => approve({ ...details, signal }), {
    label: 'approval',
    timeoutMs,
    clock,
    signal: input.signal,
  });
  const granted = answer.ok && answer.value === true;
  const state = granted
    ? 'granted'
    : !answer.ok
      ? answer.error.code === 'TIMEOUT_ERROR'
        ? 'timed-out'
        : 'failed'
      : 'denied';
  const reason = granted
    ? 'approved'
    : state === 'timed-out'
      ? `no approval within ${timeoutMs} ms (timeout means no)`
      : !answer.ok
        ? `approver failed: ${answer.error.message}`
        : 'approver said no';
  await input.record({ action, state, reason });
  return { granted, reason };
}
