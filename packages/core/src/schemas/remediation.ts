import { z } from 'zod';
import { IdSchema } from './common.js';

/** Risk of a remediation action, from harmless to dangerous. */
export const RiskLevelSchema = z.enum(['low', 'medium', 'high', 'critical']);
export type RiskLevel = z.infer<typeof RiskLevelSchema>;

/** Reference to a plugin action with its parameters, e.g. `{ plugin: 'process', action: 'restart', params: { name: 'api' } }`. */
export const ActionRefSchema = z.object({
  plugin: z.string().min(1).max(128),
  action: z.string().min(1).max(128),
  params: z.record(z.string(), z.unknown()).default({}),
});
export type ActionRef = z.infer<typeof ActionRefSchema>;

/** What the remediator intends to do about a finding. */
export const RemediationPlanSchema = z.object({
  id: z.string().min(1),
  findingId: z.string().min(1),
  resource: IdSchema,
  /** Candidate actions in order of preference. */
  actions: z.array(ActionRefSchema).min(1),
  /** Policy that produced the plan. */
  policy: z.string().min(1),
  dryRun: z.boolean(),
  createdAt: z.number().finite(),
});
export type RemediationPlan = z.infer<typeof RemediationPlanSchema>;

/** Final outcome of a remediation. */
export const RemediationOutcomeSchema = z.enum([
  'succeeded', // executed and verified
  'failed', // executed, verification failed or the action failed; rolled back when possible
  'rolled-back',
  'dry-run', // planned only
  'rejected', // a guard or an approver said no
  'skipped', // nothing to do (no policy, cooldown...)
  'escalated', // handed to a human
]);
export type RemediationOutcome = z.infer<typeof RemediationOutcomeSchema>;

/** The result of one remediation attempt, as emitted by the engine's `remediation` event. */
export const RemediationResultSchema = z.object({
  id: z.string().min(1),
  planId: z.string().optional(),
  findingId: z.string().min(1),
  resource: IdSchema,
  action: ActionRefSchema.optional(),
  outcome: RemediationOutcomeSchema,
  /** Why: the guard that refused, the error, the verification result. */
  reason: z.string().optional(),
  startedAt: z.number().finite(),
  finishedAt: z.number().finite(),
});
export type RemediationResult = z.infer<typeof RemediationResultSchema>;

/** One append-only record of the remediation history (a hash chain: each carries the previous record's hash). */
export const HistoryRecordSchema = z.object({
  /** Position in the chain, starting at 1, assigned by the writer. */
  seq: z.number().int().positive(),
  id: z.string().min(1),
  timestamp: z.number().finite(),
  /** What happened: plan, decision, approval, execution, verification, rollback, outcome... */
  type: z.string().min(1).max(64),
  remediationId: z.string().min(1),
  resource: IdSchema,
  outcome: RemediationOutcomeSchema.optional(),
  data: z.record(z.string(), z.unknown()).default({}),
  /** Hex sha256 of the previous record (`''` for the first). */
  prevHash: z.string(),
  /** Hex sha256 of this record's canonical form (without `hash` and `signature`). */
  hash: z.string().min(1),
  /** Optional base64 Ed25519 signature of `hash`. */
  signature: z.string().optional(),
});
export type HistoryRecord = z.infer<typeof HistoryRecordSchema>;
