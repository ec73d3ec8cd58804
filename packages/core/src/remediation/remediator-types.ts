import type { Finding } from '../schemas/finding.js';
import type { ActionRef, RemediationResult, RiskLevel } from '../schemas/remediation.js';
import type { Clock, Logger } from '../spec/common.js';
import type { RemediationPlugin } from '../spec/remediation-plugin.js';
import type { HistoryQuery, Storage } from '../spec/storage.js';
import type { GuardsConfigInput } from './guards-config.js';
import type { HistorySigningKeys } from './history-crypto.js';
import type { RemediationPolicyInput } from './remediation-policy.js';
import type { LearnerConfigInput } from './thompson-sampling-learner.js';

/** What an approver is asked. Resolve `true` to approve; `false`, a throw or no answer in time means no. */
export interface ApprovalRequest {
  remediationId: string;
  action: ActionRef;
  risk: RiskLevel;
  resourceId: string;
  /** The finding being remediated (absent for manual actions). */
  finding?: Finding;
  /** Why: the finding's summary or the manual reason. */
  reason?: string;
  requestedBy?: string;
  /** What the action would do (its `describe`), when it can say. */
  description?: string;
  /** Aborted when the approval timed out or the remediator closed. */
  signal: AbortSignal;
}

/** Decides approval requests (a chat-ops bot, a ticket, a UI button...). */
export type ApprovalCallback = (request: ApprovalRequest) => boolean | Promise<boolean>;

/** Options of {@link Remediator}. */
export interface RemediatorOptions {
  /** Where the history (hash chain) and learner state are kept, and where verification reads series points. Pass the engine's storage. */
  storage: Storage;
  /** Plugins to register now (more with `registerPlugin`). */
  plugins?: RemediationPlugin[];
  /** Policies, first match wins (validated with `RemediationPolicySchema`; new policies default to dry-run). */
  policies?: RemediationPolicyInput[];
  /** Put everything in dry-run, whatever the policies say, manual actions included. @default false */
  dryRun?: boolean;
  /** Answers approval requests for actions above `guards.approvalAbove`. @default none: such actions are rejected */
  approve?: ApprovalCallback;
  /** Guard limits (validated with `GuardsConfigSchema`). @default see GuardsConfigSchema */
  guards?: GuardsConfigInput;
  /** Learner settings (validated with `LearnerConfigSchema`). */
  learner?: LearnerConfigInput;
  /** Ed25519 keys that sign every history record (see `generateHistorySigningKeys`). @default unsigned */
  signing?: HistorySigningKeys;
  /** @default systemClock */
  clock?: Clock;
  /** @default noopLogger */
  logger?: Logger;
  /** Handler name in the engine. @default 'remediator' */
  name?: string;
}

/** Options of `remediator.execute()` — the manual entry point (e.g. the gateway's `scaleDeployment`). */
export interface ManualExecuteOptions {
  action: ActionRef;
  resourceId: string;
  reason?: string;
  requestedBy?: string;
  signal?: AbortSignal;
}

/** Query of `remediator.history()`: by resource, remediation, outcome and time. */
export type RemediationHistoryQuery = HistoryQuery;

/** Escalation: the remediator could not fix something and hands it to a human. */
export interface RemediationEscalation {
  result: RemediationResult;
  finding?: Finding;
  reason: string;
}

/** Events of a `Remediator`. Listeners that throw are logged, never break a remediation. */
export interface RemediatorEvents {
  /** A remediation finished (any outcome). */
  remediation: (result: RemediationResult) => void;
  /** A remediation failed and needs a human. */
  escalation: (escalation: RemediationEscalation) => void;
  /** An approval was requested (the `approve` callback is also called). */
  'approval-requested': (request: Omit<ApprovalRequest, 'signal'>) => void;
}

/** Counters of a `Remediator` since creation. */
export interface RemediatorStats {
  /** Findings received. */
  findings: number;
  /** Findings no policy matched. */
  unmatched: number;
  /** Findings ignored because the resource was already being remediated or was cooling down. */
  suppressed: number;
  /** Results by outcome. */
  outcomes: Record<RemediationResult['outcome'], number>;
  /** Failures inside the remediator itself (storage, bugs), reported to the logger. */
  internalErrors: number;
}
