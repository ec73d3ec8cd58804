import type { z } from 'zod';
import type { Finding } from '../schemas/finding.js';
import type { RiskLevel } from '../schemas/remediation.js';
import type { Resource } from '../schemas/resource.js';
import type { Clock, Logger } from './common.js';

/** What a plugin action gets when it runs. */
export interface RemediationContext {
  /** The finding being remediated (absent for manual actions such as `scaleDeployment`). */
  finding?: Finding;
  /** The resource id acted on. */
  resourceId: string;
  /** The inventory resource, when the storage knows it. */
  resource?: Resource;
  /** Aborted when the action's timeout passes or the remediator closes: stop promptly. */
  signal: AbortSignal;
  logger: Logger;
  clock: Clock;
  /** True in dry-run mode: describe what you would do, change nothing. */
  dryRun: boolean;
}

/** Result of `verify`: did the action fix the problem? */
export interface VerificationResult {
  ok: boolean;
  detail?: string;
}

/** One action of a plugin, e.g. `process.restart`. */
export interface RemediationActionDefinition<P extends z.ZodType = z.ZodType> {
  /** One line for humans and the audit log. */
  description: string;
  /** How dangerous the action is; guards require approval above a configured level. */
  risk: RiskLevel;
  /** zod schema of the action's parameters; parameters are validated before `execute`. */
  parameters: P;
  /** Longest time `execute` may take before it is aborted and the remediation fails, in ms. @default 30000 */
  timeoutMs?: number;
  /** Performs the action; the returned JSON-serialisable value is kept in the history and passed to `rollback`. */
  execute(params: z.output<P>, context: RemediationContext): Promise<unknown>;
  /** Checks the action worked (the remediator may also watch the triggering signal). */
  verify?(params: z.output<P>, context: RemediationContext & { executeResult: unknown }): Promise<VerificationResult>;
  /** Undoes the action after a failed verification or execution. */
  rollback?(params: z.output<P>, context: RemediationContext & { executeResult: unknown }): Promise<void>;
}

/** A named set of remediation actions: the unit users write to teach the remediator new fixes. */
export interface RemediationPlugin {
  readonly specificationVersion: 'v1';
  /** Unique plugin name, e.g. `process`, `webhook`, `kubernetes`. */
  readonly name: string;
  readonly actions: Record<string, RemediationActionDefinition>;
}
