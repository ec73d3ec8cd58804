import { RiskLevelSchema, type RiskLevel } from '../schemas/remediation.js';
import { CircuitBreaker } from './circuit-breaker.js';
import type { GuardsConfig } from './guards-config.js';

/** Names of the guards, as recorded in the history when one refuses. */
export type GuardName =
  | 'circuit-breaker'
  | 'resource-cooldown'
  | 'action-cooldown'
  | 'resource-rate-limit'
  | 'action-rate-limit'
  | 'blast-radius';

/** Answer of {@link RemediationGuards.check}. */
export type GuardDecision = { allowed: true } | { allowed: false; guard: GuardName; reason: string };

/** One execution the guards must remember. */
export interface GuardedExecution {
  resourceId: string;
  /** `plugin.action`. */
  actionKey: string;
  remediationId: string;
  /** Epoch ms. */
  at: number;
}

/**
 * The guards' memory and rules: cooldowns and rate limits per resource and per action, the blast-radius
 * cap, the circuit breaker and the approval threshold. In-memory: a restarted remediator starts with
 * empty windows (the circuit breaker and learner keep working from the history and saved state).
 */
export class RemediationGuards {
  private executions: GuardedExecution[] = [];
  readonly breaker: CircuitBreaker;

  constructor(readonly config: GuardsConfig) {
    this.breaker = new CircuitBreaker(config.circuitBreaker);
  }

  /** True when an action of this risk needs an approval. */
  requiresApproval(risk: RiskLevel): boolean {
    const levels = RiskLevelSchema.options;
    return levels.indexOf(risk) > levels.indexOf(this.config.approvalAbove);
  }

  /** Would executing `actionKey` on `resourceId` now respect every guard? Does not record anything. */
  check(request: {
    resourceId: string;
    actionKey: string;
    breakerKey: string;
    remediationId: string;
    now: number;
  }): GuardDecision {
    const { resourceId, actionKey, now } = request;
    const { cooldown, rateLimit, blastRadius } = this.config;
    if (this.breaker.state(request.breakerKey, now) === 'open') {
      return refuse(
        'circuit-breaker',
        `the circuit of ${request.breakerKey} is open after ${this.config.circuitBreaker.failureThreshold} consecutive failures`,
      );
    }
    const onResource = this.executions.filter((execution) => execution.resourceId === resourceId);
    const lastOther = onResource.filter((execution) => execution.remediationId !== request.remediationId).at(-1);
    if (lastOther && now - lastOther.at < cooldown.resourceMs) {
      return refuse(
        'resource-cooldown',
        `${resourceId} was changed ${now - lastOther.at} ms ago; its cooldown is ${cooldown.resourceMs} ms`,
      );
    }
    const lastSame = onResource.filter((execution) => execution.actionKey === actionKey).at(-1);
    if (lastSame && now - lastSame.at < cooldown.actionMs) {
      return refuse(
        'action-cooldown',
        `${actionKey} ran on ${resourceId} ${now - lastSame.at} ms ago; its cooldown is ${cooldown.actionMs} ms`,
      );
    }
    const resourceCount = onResource.filter((execution) => now - execution.at < rateLimit.perResource.windowMs).length;
    if (resourceCount >= rateLimit.perResource.max) {
      return refuse(
        'resource-rate-limit',
        `${resourceId} already had ${resourceCount} executions in ${rateLimit.perResource.windowMs} ms (limit ${rateLimit.perResource.max})`,
      );
    }
    const actionCount = this.executions.filter(
      (execution) => execution.actionKey === actionKey && now - execution.at < rateLimit.perAction.windowMs,
    ).length;
    if (actionCount >= rateLimit.perAction.max) {
      return refuse(
        'action-rate-limit',
        `${actionKey} already ran ${actionCount} times in ${rateLimit.perAction.windowMs} ms (limit ${rateLimit.perAction.max})`,
      );
    }
    const changed = new Set(
      this.executions
        .filter((execution) => now - execution.at < blastRadius.windowMs)
        .map((execution) => execution.resourceId),
    );
    if (!changed.has(resourceId) && changed.size >= blastRadius.maxResources) {
      return refuse(
        'blast-radius',
        `${changed.size} resources were already changed in ${blastRadius.windowMs} ms (limit ${blastRadius.maxResources})`,
      );
    }
    return { allowed: true };
  }

  /** Remembers an execution (call just before executing). */
  recordExecution(execution: GuardedExecution): void {
    this.executions.push(execution);
    const { cooldown, rateLimit, blastRadius } = this.config;
    const keep = Math.max(
      cooldown.resourceMs,
      cooldown.actionMs,
      rateLimit.perResource.windowMs,
      rateLimit.perAction.windowMs,
      blastRadius.windowMs,
    );
    if (this.executions.length > 64) this.executions = this.executions.filter((item) => execution.at - item.at < keep);
  }

  /** Feeds an execution's result to the circuit breaker. */
  recordResult(breakerKey: string, success: boolean, now: number): void {
    this.breaker.record(breakerKey, success, now);
  }
}

function refuse(guard: GuardName, reason: string): GuardDecision {
  return { allowed: false, guard, reason };
}
