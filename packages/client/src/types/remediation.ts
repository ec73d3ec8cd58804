import type { Deployment } from './resources.js';

/** Final outcome of a remediation (GraphQL enum names: `rolled_back`, `dry_run`). */
export type RemediationOutcome =
  'succeeded' | 'failed' | 'rolled_back' | 'dry_run' | 'rejected' | 'skipped' | 'escalated';

/** The result of one remediation attempt. */
export interface RemediationResult {
  id: string;
  resourceId: string;
  findingId: string;
  action: { plugin: string; action: string; params: Record<string, unknown> } | null;
  outcome: RemediationOutcome;
  /** Why: the guard that refused, the error, the verification result. */
  reason: string | null;
  startedAt: number;
  finishedAt: number;
}

/** One record of the append-only remediation history. */
export interface RemediationRecord {
  seq: number;
  id: string;
  timestamp: number;
  type: string;
  remediationId: string;
  resourceId: string;
  outcome: RemediationOutcome | null;
  data: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

/** What `scaleDeployment` returns. */
export interface ScaleResult {
  remediation: RemediationResult;
  deployment: Deployment;
}

/** What `ingestMetrics` returns. */
export interface IngestResult {
  accepted: number;
  rejected: number;
  /** One message per rejected sample, naming the field. */
  errors: string[];
}
