import type { ApprovalRequest, GuardsConfigInput, RemediationPolicyInput } from '@iac-dharma/core';

const MINUTE = 60_000;
/** Watch the triggering series for up to 15 simulated minutes, checking every minute, 3 healthy points in a row. */
const VERIFY = { windowMs: 15 * MINUTE, intervalMs: MINUTE, consecutive: 3 };

/**
 * The demo's remediation policies (plain data, first match wins). Four act (`enforce`) and one only plans
 * (`dry-run`): cleaning a disk that the forecaster says will fill is left to a human to confirm.
 */
export const DEMO_POLICIES: RemediationPolicyInput[] = [
  {
    name: 'restart-on-memory-growth',
    mode: 'enforce',
    selection: 'ordered',
    match: {
      kinds: ['anomaly'],
      metrics: ['memory_utilization'],
      minSeverity: 'medium',
      resourceTypes: ['deployment'],
    },
    actions: [{ plugin: 'fleet', action: 'restart' }],
    verify: VERIFY,
  },
  {
    name: 'scale-out-on-cpu-saturation',
    mode: 'enforce',
    selection: 'ordered',
    match: { kinds: ['anomaly'], metrics: ['cpu_utilization'], minSeverity: 'medium', resourceTypes: ['deployment'] },
    actions: [{ plugin: 'fleet', action: 'scale-out', params: { replicas: 2 } }],
    verify: VERIFY,
  },
  {
    name: 'roll-back-on-error-spike',
    mode: 'enforce',
    selection: 'ordered',
    match: { kinds: ['anomaly'], metrics: ['error_rate'], minSeverity: 'medium', resourceTypes: ['deployment'] },
    actions: [{ plugin: 'fleet', action: 'rollback-deploy' }],
    verify: VERIFY,
  },
  {
    name: 'migrate-off-noisy-host',
    mode: 'enforce',
    selection: 'ordered',
    match: { kinds: ['anomaly'], metrics: ['cpu_steal'], minSeverity: 'medium', resourceTypes: ['deployment'] },
    actions: [{ plugin: 'fleet', action: 'migrate' }],
    verify: VERIFY,
  },
  {
    name: 'clean-disk-before-full',
    mode: 'dry-run',
    match: { kinds: ['forecast'], metrics: ['disk_utilization'] },
    actions: [{ plugin: 'fleet', action: 'clean-disk' }],
  },
];

/**
 * Guards: every action above `low` risk (scale-out, rollback-deploy, migrate) needs an approval, and a
 * service that was just changed is left alone for 30 simulated minutes while it settles.
 */
export const DEMO_GUARDS: GuardsConfigInput = {
  approvalAbove: 'low',
  cooldown: { resourceMs: 30 * MINUTE, actionMs: 60 * MINUTE },
};

/** One approval decision, for the summary and the report. */
export interface ApprovalDecision {
  at: number;
  resource: string;
  action: string;
  approved: boolean;
  by: string;
  reason: string;
}

/**
 * The simulated on-call engineer: approves scaling out and rolling back, declines moving a service to
 * another host outside a maintenance window; approves what an operator asks for by hand.
 */
export function createOnCallApprover(
  now: () => number,
  decisions: ApprovalDecision[],
): (request: ApprovalRequest) => boolean {
  return (request) => {
    const action = `${request.action.plugin}.${request.action.action}`;
    const manual = request.requestedBy !== undefined;
    const approved = manual || request.action.action !== 'migrate';
    decisions.push({
      at: now(),
      resource: request.resourceId,
      action,
      approved,
      by: manual ? `on-call, for ${request.requestedBy}` : 'on-call',
      reason: manual
        ? 'requested by hand in the maintenance window'
        : approved
          ? `${request.risk}-risk action, approved`
          : 'a host move waits for the maintenance window',
    });
    return approved;
  };
}
