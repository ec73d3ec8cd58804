import type { z } from 'zod';
import type { Finding } from '../schemas/finding.js';
import type { RiskLevel } from '../schemas/remediation.js';
import type { Resource } from '../schemas/resource.js';
import type { Clock, Logger } from './common.js';

/** What a plugin action gets when it runs. */
export interface RemediationContext {
  /** Id of this remediation: every history record of the attempt carries it. */
  remediationId: string;
  /** The finding being remediated (absent for manual actions such as `scaleDeployment`). */
  finding?: Finding;
  /** The resource id acted on. */
  resourceId: string;
  /** The inventory resource, when the storage knows it. */
  resource?: Resource;
  /** Who asked for a manual action (absent for automatic remediations). */
  requestedBy?: string;
  /** Aborted when the action's timeout passes or the remediator closes: stop promptly. */
  signal: AbortSignal;
  logger: Logger;
  clock: Clock;
  /**
   * True only when `describe` is called for a dry run. The remediator never calls `execute`, `verify`
   * or `rollback` in dry-run mode, so a plugin cannot change anything by mistake.
   */
  dryRun: boolean;
}

/** Result of `verify`: did the action fix the problem? */
export interface VerificationResult {
  ok: boolean;
  detail?: string;
}

/** One action of a plugin, e.g. `process.restart`. Build it with {@link defineRemediationAction} to get typed parameters. */
export interface RemediationActionDefinition<P extends z.ZodType = z.ZodType> {
  /** One line for humans and the audit log. */
  description: string;
  /** How dangerous the action is; guards require approval above a configured level. */
  risk: RiskLevel;
  /** zod schema of the action's parameters; parameters are validated before `execute`. */
  parameters: P;
  /** Longest time `execute` (and, separately, `verify` and `rollback`) may take before it is aborted and counted as failed, in ms. @default 30000 */
  timeoutMs?: number;
  /**
   * Optional zod schema of what `execute` returns. Without it the value only has to be JSON-serialisable;
   * anything else (a function, a cycle, a BigInt, an instance of a class) fails the remediation.
   */
  result?: z.ZodType;
  /** Performs the action; the returned JSON-serialisable value is kept in the history and passed to `verify` and `rollback`. */
  execute(params: z.output<P>, context: RemediationContext): Promise<unknown>;
  /**
   * Checks the action worked. The remediator polls it (every `verify.intervalMs` of the policy, for at most
   * `verify.windowMs`) until it returns `ok: true`; it also watches the triggering signal when it can.
   */
  verify?(params: z.output<P>, context: RemediationContext & { executeResult: unknown }): Promise<VerificationResult>;
  /** Undoes the action after a failed verification or execution. */
  /**
   * Undoes `execute` after a failed verification (or a failed execute). Resolve a {@link RollbackReport}
   * with `performed: false` when there was nothing to undo, so the history does not claim a rollback.
   */
  rollback?(
    params: z.output<P>,
    context: RemediationContext & { executeResult: unknown },
  ): Promise<void | RollbackReport>;
  /** Describes what `execute` would do, for dry runs and approval requests. Must not change anything. */
  describe?(params: z.output<P>, context: RemediationContext): string | Promise<string>;
}

/** A named set of remediation actions: the unit users write to teach the remediator new fixes. */
export interface RemediationPlugin {
  readonly specificationVersion: 'v1';
  /** Unique plugin name, e.g. `process`, `webhook`, `kubernetes`. */
  readonly name: string;
  readonly actions: Record<string, RemediationActionDefinition>;
}

/**
 * Identity helper that types `execute`/`verify`/`rollback` parameters from the `parameters` schema.
 *
 * ```ts
 * const restart = defineRemediationAction({
 *   description: 'Restart the service', risk: 'medium',
 *   parameters: z.object({ graceMs: z.number().default(5000) }),
 *   async execute(params, context) { ... params.graceMs is a number ... },
 * });
 * ```
 */
export function defineRemediationAction<P extends z.ZodType>(
  definition: RemediationActionDefinition<P>,
): RemediationActionDefinition {
  return definition as unknown as RemediationActionDefinition;
}

/** What a plugin's `rollback` did; resolving nothing means it rolled back. */
export interface RollbackReport {
  /** False when nothing needed undoing (e.g. `execute` failed before any change). */
  performed: boolean;
  /** What was (or was not) done, kept in the history. */
  detail?: string;
}
