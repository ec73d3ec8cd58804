import { EventEmitter } from 'eventemitter3';
import { z } from 'zod';
import { StateError } from '../errors/errors.js';
import { parseWith } from '../errors/validation-error.js';
import { IdSchema } from '../schemas/common.js';
import type { Finding } from '../schemas/finding.js';
import {
  ActionRefSchema,
  type ActionRef,
  type HistoryRecord,
  type RemediationOutcome,
  type RemediationResult,
} from '../schemas/remediation.js';
import type { Resource } from '../schemas/resource.js';
import { noopLogger, systemClock, type Clock, type ComponentHealth, type Logger } from '../spec/common.js';
import { adaptLogger } from '../spec/adapt-logger.js';
import type { FindingHandler, FindingHandlerContext } from '../spec/finding-handler.js';
import type { RemediationActionDefinition, RemediationContext, RemediationPlugin } from '../spec/remediation-plugin.js';
import type { Storage } from '../spec/storage.js';
import { randomId } from '../util/random-id.js';
import { createSeededRandom } from '../simulator/seeded-random.js';
import { describeAction, runAction, type ActionOutcome } from './action-runner.js';
import { GuardsConfigSchema } from './guards-config.js';
import { HistoryChain, type HistoryEntry } from './history-chain.js';
import { actionKey, PluginRegistry } from './plugin-registry.js';
import { RemediationGuards } from './remediation-guards.js';
import {
  incidentSignature,
  policyMatches,
  RemediationPolicySchema,
  VerifyConfigSchema,
  type RemediationPolicy,
  type VerifyConfig,
} from './remediation-policy.js';
import type {
  ManualExecuteOptions,
  RemediationHistoryQuery,
  RemediatorEvents,
  RemediatorOptions,
  RemediatorStats,
} from './remediator-types.js';
import { LearnerConfigSchema, ThompsonSamplingLearner, type LearnerConfig } from './thompson-sampling-learner.js';
import { sleepUnlessAborted } from './verify-remediation.js';
import type { HistoryVerification } from './verify-history-records.js';
import { requestApproval } from './request-approval.js';

const ManualExecuteSchema = z.object({
  action: ActionRefSchema,
  resourceId: IdSchema,
  reason: z.string().max(4096).optional(),
  requestedBy: z.string().max(256).optional(),
});

/** One remediation to run: an automatic one (from a finding and a policy) or a manual one. */
interface RunRequest {
  remediationId: string;
  finding?: Finding;
  resourceId: string;
  resource?: Resource;
  candidates: ActionRef[];
  policy?: RemediationPolicy;
  dryRun: boolean;
  maxAttempts: number;
  learn: boolean;
  signature: string;
  verify: VerifyConfig;
  reason?: string;
  requestedBy?: string;
  signal?: AbortSignal;
}

/**
 * Safe, verified, learning auto-remediation. As an engine `FindingHandler` it matches each finding to a
 * policy, lets the learner order the allowed actions, passes each through the guards (dry-run, approval,
 * rate limits, cooldowns, blast radius, circuit breaker), runs the plugin action isolated with a timeout,
 * verifies the fix, rolls back and escalates on failure, learns from the verified outcome and records every
 * step in a hash-chained history. `execute()` is the manual entry point, under the same guards. Register it
 * with `engine.useHandler(remediator)` (or the engine's `handlers` option).
 */
export class Remediator extends EventEmitter<RemediatorEvents> implements FindingHandler {
  /** Version of the contract implemented. */
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly storage: Storage;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly guards: RemediationGuards;
  readonly learner: ThompsonSamplingLearner;
  private readonly learnerConfig: LearnerConfig;
  private readonly registry = new PluginRegistry();
  private readonly policies: RemediationPolicy[];
  private readonly chain: HistoryChain;
  private readonly inFlight = new Set<string>();
  /** When each resource last had an automatic dry run: dry runs honour the resource cooldown too, so a finding stream does not flood the history. */
  private readonly lastDryRun = new Map<string, number>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly closing = new AbortController();
  private readyPromise: Promise<void> | undefined;
  private closed = false;
  /** Remediations started and not finished, and how many of them are waiting on the clock. */
  private active = 0;
  private waitingOnClock = 0;
  private readonly counters: RemediatorStats = {
    findings: 0,
    unmatched: 0,
    suppressed: 0,
    internalErrors: 0,
    outcomes: { succeeded: 0, failed: 0, 'rolled-back': 0, 'dry-run': 0, rejected: 0, skipped: 0, escalated: 0 },
  };

  constructor(private readonly options: RemediatorOptions) {
    super();
    if (!options?.storage)
      throw new StateError("Remediator needs `storage` (pass the engine's storage so verification sees its series).");
    this.name = options.name ?? 'remediator';
    this.storage = options.storage;
    this.clock = options.clock ?? systemClock;
    this.logger = adaptLogger(options.logger ?? noopLogger);
    this.policies = parseWith(z.array(RemediationPolicySchema), options.policies ?? [], 'policies');
    const names = new Set<string>();
    for (const policy of this.policies) {
      if (names.has(policy.name))
        throw new StateError(`Two policies are named "${policy.name}"; policy names must be unique.`);
      names.add(policy.name);
    }
    this.guards = new RemediationGuards(parseWith(GuardsConfigSchema, options.guards ?? {}, 'guards'));
    this.learnerConfig = parseWith(LearnerConfigSchema, options.learner ?? {}, 'learner');
    const random =
      this.learnerConfig.seed === undefined ? Math.random : createSeededRandom(this.learnerConfig.seed).next;
    this.learner = new ThompsonSamplingLearner({
      priorAlpha: this.learnerConfig.priorAlpha,
      priorBeta: this.learnerConfig.priorBeta,
      random,
    });
    this.chain = new HistoryChain({ storage: this.storage, signing: options.signing });
    for (const plugin of options.plugins ?? []) this.registerPlugin(plugin);
  }

  /** Registers a plugin (its shape is validated; names must be unique). */
  registerPlugin(plugin: RemediationPlugin): this {
    this.assertOpen();
    this.registry.register(plugin);
    return this;
  }

  /** The validated policies, in match order. */
  listPolicies(): readonly RemediationPolicy[] {
    return this.policies;
  }

  /** `FindingHandler`: remediates the finding and reports the result to the engine. */
  async handleFinding(finding: Finding, context: FindingHandlerContext): Promise<void> {
    const result = await this.remediate(finding);
    if (result) context.reportRemediation(result);
  }

  /**
   * Remediates one finding (what the engine calls). Resolves `undefined` when no policy matches or the
   * resource is already being remediated or cooling down; otherwise with the result, which is also emitted.
   */
  async remediate(finding: Finding): Promise<RemediationResult | undefined> {
    this.assertOpen();
    this.active++;
    try {
      return await this.remediateFinding(finding);
    } finally {
      this.active--;
    }
  }

  /**
   * Remediations that can make progress without the clock moving: started and neither finished nor waiting
   * for a verification poll. Drivers of a `ManualClock` (the fleet simulator's `runFor`) wait for 0 before
   * advancing time, so simulated timings do not depend on how fast the host hashes the history.
   */
  pendingWork(): number {
    return this.active - this.waitingOnClock;
  }

  private async remediateFinding(finding: Finding): Promise<RemediationResult | undefined> {
    this.counters.findings++;
    await this.ready();
    const resource = await this.lookupResource(finding.resource);
    const policy = this.policies.find((candidate) => policyMatches(candidate, finding, resource));
    if (!policy) {
      this.counters.unmatched++;
      return undefined;
    }
    const dryRun = (this.options.dryRun ?? false) || policy.mode === 'dry-run';
    const lastDryRun = this.lastDryRun.get(finding.resource);
    const dryRunCooling =
      dryRun && lastDryRun !== undefined && this.clock.now() - lastDryRun < this.guards.config.cooldown.resourceMs;
    if (this.inFlight.has(finding.resource) || this.coolingDown(finding.resource) || dryRunCooling) {
      this.counters.suppressed++;
      this.logger.debug('finding suppressed: resource busy or cooling down', {
        resource: finding.resource,
        finding: finding.id,
      });
      return undefined;
    }
    return this.track({
      remediationId: randomId(),
      finding,
      resourceId: finding.resource,
      ...(resource ? { resource } : {}),
      candidates: policy.actions,
      policy,
      dryRun,
      maxAttempts: policy.maxAttempts,
      learn: policy.selection === 'learned' && this.learnerConfig.enabled,
      signature: incidentSignature(finding, resource),
      verify: policy.verify,
      reason: finding.summary,
    });
  }

  /**
   * Runs one action on one resource by hand (the gateway's `scaleDeployment`), under the same guards,
   * approvals, dry-run setting and audit history as automatic remediations. Throws `ValidationError` for
   * malformed options or parameters and `NotFoundError` for an unknown plugin or action.
   */
  async execute(options: ManualExecuteOptions): Promise<RemediationResult> {
    this.assertOpen();
    this.active++;
    try {
      return await this.executeManually(options);
    } finally {
      this.active--;
    }
  }

  private async executeManually(options: ManualExecuteOptions): Promise<RemediationResult> {
    const { signal } = options;
    const parsed = parseWith(
      ManualExecuteSchema,
      {
        action: options.action,
        resourceId: options.resourceId,
        reason: options.reason,
        requestedBy: options.requestedBy,
      },
      'execute options',
    );
    const definition = this.registry.lookup(parsed.action);
    parseWith(definition.parameters, parsed.action.params, `parameters of ${actionKey(parsed.action)}`);
    await this.ready();
    const resource = await this.lookupResource(parsed.resourceId);
    const remediationId = randomId();
    if (this.inFlight.has(parsed.resourceId)) {
      const now = this.clock.now();
      return this.finish(
        { remediationId, resourceId: parsed.resourceId, startedAt: now, action: parsed.action },
        'rejected',
        `another remediation of ${parsed.resourceId} is in progress`,
      );
    }
    return this.track({
      remediationId,
      resourceId: parsed.resourceId,
      ...(resource ? { resource } : {}),
      candidates: [parsed.action],
      dryRun: this.options.dryRun ?? false,
      maxAttempts: 1,
      learn: false,
      signature: 'manual',
      verify: VerifyConfigSchema.parse({}),
      ...(parsed.reason === undefined ? {} : { reason: parsed.reason }),
      ...(parsed.requestedBy === undefined ? {} : { requestedBy: parsed.requestedBy }),
      ...(signal ? { signal } : {}),
    });
  }

  /** Checks the whole stored history chain: any edited, removed or reordered record is reported. */
  async verifyHistory(): Promise<{ ok: boolean; brokenAt?: number; reason?: string }> {
    const { checked: _checked, ...verification }: HistoryVerification = await this.chain.verify();
    return verification;
  }

  /** History records matching `query` (by resource, remediation, outcome, time), in `seq` order. */
  async history(query: RemediationHistoryQuery = {}): Promise<HistoryRecord[]> {
    return this.storage.readHistory(query);
  }

  /** Counters since creation. */
  stats(): RemediatorStats {
    return { ...this.counters, outcomes: { ...this.counters.outcomes } };
  }

  /** Waits for every in-flight remediation. */
  async flush(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async health(): Promise<ComponentHealth> {
    const open = this.guards.breaker.openCircuits(this.clock.now());
    return {
      status: this.closed ? 'down' : open.length > 0 ? 'degraded' : 'ok',
      ...(open.length > 0 ? { detail: `open circuits: ${open.join(', ')}` } : {}),
      data: { inFlight: this.inFlight.size, openCircuits: open, ...this.stats() },
    };
  }

  /** Aborts in-flight remediations (their actions see their signal abort) and waits for them. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort(new StateError('the remediator is closing'));
    await this.flush();
  }

  // ---- internals -------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new StateError('The remediator is closed: create a new one.');
  }

  private ready(): Promise<void> {
    return (this.readyPromise ??= this.storage.getState({ key: this.learnerConfig.stateKey }).then(
      (state) => {
        if (state !== undefined && !this.learner.restore(state))
          this.logger.warn('ignored learner state of another version', { key: this.learnerConfig.stateKey });
      },
      (error: unknown) => this.internalError('could not load learner state', error),
    ));
  }

  private async lookupResource(id: string): Promise<Resource | undefined> {
    return this.storage.getResource({ id }).catch((error: unknown) => {
      this.internalError('could not read the resource', error);
      return undefined;
    });
  }

  private coolingDown(resourceId: string): boolean {
    const decision = this.guards.check({
      resourceId,
      actionKey: '',
      breakerKey: '',
      remediationId: '',
      now: this.clock.now(),
    });
    return !decision.allowed && decision.guard === 'resource-cooldown';
  }

  private internalError(message: string, error: unknown): void {
    this.counters.internalErrors++;
    this.logger.error(`remediator: ${message}`, { error: error instanceof Error ? error.message : String(error) });
  }

  private track(request: RunRequest): Promise<RemediationResult> {
    this.inFlight.add(request.resourceId);
    const promise = this.run(request).finally(() => {
      this.inFlight.delete(request.resourceId);
      this.running.delete(promise);
    });
    this.running.add(promise);
    return promise;
  }

  private record(
    request: Pick<RunRequest, 'remediationId' | 'resourceId'>,
    type: string,
    data: Record<string, unknown>,
    outcome?: RemediationOutcome,
  ): Promise<HistoryRecord> {
    const entry: HistoryEntry = {
      type,
      remediationId: request.remediationId,
      resource: request.resourceId,
      timestamp: this.clock.now(),
      data,
      ...(outcome ? { outcome } : {}),
    };
    return this.chain.append(entry);
  }

  private async run(request: RunRequest): Promise<RemediationResult> {
    const startedAt = this.clock.now();
    const signal = request.signal ? AbortSignal.any([request.signal, this.closing.signal]) : this.closing.signal;
    try {
      return await this.runSteps(request, startedAt, signal);
    } catch (error) {
      this.internalError('remediation aborted by an internal failure', error);
      const reason = `internal failure: ${error instanceof Error ? error.message : String(error)}`;
      return this.finish({ ...request, startedAt }, 'failed', reason).catch(() =>
        this.result({ ...request, startedAt }, 'failed', reason),
      );
    }
  }

  private async runSteps(request: RunRequest, startedAt: number, signal: AbortSignal): Promise<RemediationResult> {
    const { finding, resourceId } = request;
    const planId = randomId();
    const keys = request.candidates.map(actionKey);
    const ranking = request.learn ? this.learner.rank(request.signature, keys) : undefined;
    const ordered = ranking
      ? ranking.map((ranked) => request.candidates[keys.indexOf(ranked.key)]!)
      : request.candidates;
    await this.record(request, 'plan', {
      planId,
      findingId: finding?.id,
      policy: request.policy?.name ?? 'manual',
      signature: request.signature,
      dryRun: request.dryRun,
      candidates: ordered,
      ranking,
      reason: request.reason,
      requestedBy: request.requestedBy,
    });
    const base = { ...request, startedAt, planId };
    const refusals: string[] = [];
    let attempts = 0;
    let lastAction: ActionRef | undefined;
    let failure = '';
    for (const action of ordered) {
      if (attempts >= request.maxAttempts || signal.aborted) break;
      const key = actionKey(action);
      const breakerKey = `${key}@${request.signature}`;
      let definition: RemediationActionDefinition;
      let params: unknown;
      try {
        definition = this.registry.lookup(action);
        params = parseWith(definition.parameters, action.params, `parameters of ${key}`);
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        refusals.push(reason);
        await this.record(request, 'decision', { action, allowed: false, guard: 'invalid-action', reason });
        continue;
      }
      const context: RemediationContext = {
        remediationId: request.remediationId,
        resourceId,
        signal,
        logger: this.logger,
        clock: this.clock,
        dryRun: false,
        ...(finding ? { finding } : {}),
        ...(request.resource ? { resource: request.resource } : {}),
        ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
      };
      const check = () =>
        this.guards.check({
          resourceId,
          actionKey: key,
          breakerKey,
          remediationId: request.remediationId,
          now: this.clock.now(),
        });
      const guard = check();
      if (!guard.allowed) {
        refusals.push(`${key}: ${guard.reason}`);
        await this.record(request, 'decision', { action, allowed: false, guard: guard.guard, reason: guard.reason });
        continue;
      }
      const needsApproval = this.guards.requiresApproval(definition.risk);
      if (request.dryRun) {
        const description = await describeAction({ key, definition, params, context, clock: this.clock, signal });
        await this.record(request, 'decision', {
          action,
          allowed: true,
          dryRun: true,
          risk: definition.risk,
          needsApproval,
          description,
        });
        if (request.finding) this.lastDryRun.set(resourceId, this.clock.now());
        return this.finish(
          { ...base, action },
          'dry-run',
          `dry run: would run ${key}${needsApproval ? ' (after approval)' : ''}${description ? `: ${description}` : ''}`,
        );
      }
      await this.record(request, 'decision', { action, allowed: true, risk: definition.risk, needsApproval });
      if (needsApproval) {
        const approval = await requestApproval({
          clock: this.clock,
          approvalTimeoutMs: this.guards.config.approvalTimeoutMs,
          emitRequested: (details) => this.safeEmit('approval-requested', details),
          approve: this.options.approve,
          request,
          action,
          definition,
          params,
          context,
          signal,
          record: (data) => this.record(request, 'approval', data),
        });
        if (!approval.granted) {
          refusals.push(`${key}: ${approval.reason}`);
          continue;
        }
        const again = check();
        if (!again.allowed) {
          refusals.push(`${key}: ${again.reason}`);
          await this.record(request, 'decision', {
            action,
            allowed: false,
            guard: again.guard,
            reason: again.reason,
            afterApproval: true,
          });
          continue;
        }
      }
      attempts++;
      lastAction = action;
      this.guards.recordExecution({
        resourceId,
        actionKey: key,
        remediationId: request.remediationId,
        at: this.clock.now(),
      });
      const outcome = await this.attempt({ request, action, key, definition, params, context, signal });
      this.guards.recordResult(breakerKey, outcome.verified, this.clock.now());
      if (outcome.verified) return this.finish({ ...base, action }, 'succeeded', outcome.detail);
      failure = outcome.detail;
    }
    if (attempts > 0)
      return this.finish({ ...base, ...(lastAction ? { action: lastAction } : {}) }, 'failed', failure, true);
    return this.finish(
      { ...base, ...(ordered.length === 1 ? { action: ordered[0]! } : {}) },
      signal.aborted && refusals.length === 0 ? 'skipped' : 'rejected',
      refusals.join('; ') || 'aborted before any action ran',
    );
  }

  /** Runs one action (see `runAction`): the remediator adds its history, learner and clock accounting. */
  private attempt(input: {
    request: RunRequest;
    action: ActionRef;
    key: string;
    definition: RemediationActionDefinition;
    params: unknown;
    context: RemediationContext;
    signal: AbortSignal;
  }): Promise<ActionOutcome> {
    const { request, key } = input;
    return runAction({
      ...input,
      clock: this.clock,
      storage: this.storage,
      verify: request.verify,
      sleep: (ms, sleepSignal) => this.sleepOnClock(ms, sleepSignal),
      record: (type, data) => this.record(request, type, data),
      ...(request.learn ? { learn: (verified: boolean) => this.learn(request.signature, key, verified) } : {}),
    });
  }

  /** A verification wait: counted in `pendingWork()` as waiting on the clock. */
  private async sleepOnClock(ms: number, signal: AbortSignal): Promise<void> {
    this.waitingOnClock++;
    try {
      await sleepUnlessAborted(this.clock, ms, signal);
    } finally {
      this.waitingOnClock--;
    }
  }

  /** Updates the learner with a verified outcome and saves its state. */
  private async learn(signature: string, key: string, verified: boolean): Promise<void> {
    this.learner.update(signature, key, verified);
    await this.storage
      .putState({ key: this.learnerConfig.stateKey, value: this.learner.snapshot() })
      .catch((stateError: unknown) => this.internalError('could not save learner state', stateError));
  }

  private result(
    input: {
      remediationId: string;
      resourceId: string;
      startedAt: number;
      finding?: Finding;
      planId?: string;
      action?: ActionRef;
    },
    outcome: RemediationOutcome,
    reason: string,
  ): RemediationResult {
    return {
      id: input.remediationId,
      ...(input.planId ? { planId: input.planId } : {}),
      findingId: input.finding?.id ?? `manual:${input.remediationId}`,
      resource: input.resourceId,
      ...(input.action ? { action: input.action } : {}),
      outcome,
      reason,
      startedAt: input.startedAt,
      finishedAt: this.clock.now(),
    };
  }

  private async finish(
    input: Parameters<Remediator['result']>[0],
    outcome: RemediationOutcome,
    reason: string,
    escalate = false,
  ): Promise<RemediationResult> {
    const result = this.result(input, outcome, reason);
    if (escalate) await this.record(input, 'escalation', { reason, findingId: result.findingId });
    await this.record(
      input,
      'outcome',
      { findingId: result.findingId, action: result.action, reason, durationMs: result.finishedAt - result.startedAt },
      outcome,
    );
    this.counters.outcomes[outcome]++;
    this.safeEmit('remediation', result);
    if (escalate) this.safeEmit('escalation', { result, reason, ...(input.finding ? { finding: input.finding } : {}) });
    return result;
  }

  /** Emits without letting a throwing listener break a remediation. */
  safeEmit<E extends keyof RemediatorEvents>(event: E, ...args: Parameters<RemediatorEvents[E]>): void {
    try {
      (this.emit as (event: E, ...rest: unknown[]) => boolean)(event, ...args);
    } catch (error) {
      this.internalError(`a "${event}" listener threw`, error);
    }
  }
}

/**
 * Creates a {@link Remediator}.
 * @deprecated Construct it with `new Remediator(options)` (the SDK's one construction style); this alias is
 * removed in a later 0.x release.
 */
export function createRemediator(options: RemediatorOptions): Remediator {
  return new Remediator(options);
}
