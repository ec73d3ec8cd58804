import { z } from 'zod';
import { LabelsSchema, SeveritySchema, compareSeverity } from '../schemas/common.js';
import type { Finding } from '../schemas/finding.js';
import { ActionRefSchema } from '../schemas/remediation.js';
import type { Resource } from '../schemas/resource.js';

/** How the remediator checks that an action worked. */
export const VerifyConfigSchema = z.object({
  /** Longest time to wait for the signal to recover after the action, in ms. @default 120000 */
  windowMs: z.number().int().positive().default(120_000),
  /** Time between checks, in ms. @default 5000 */
  intervalMs: z.number().int().positive().default(5_000),
  /** Healthy points in a row (after the action) needed to call it fixed. @default 2 */
  consecutive: z.number().int().positive().max(1000).default(2),
  /** Series to watch (`resource/metric`). @default the finding's series */
  series: z.string().min(1).optional(),
  /** A point is healthy when below this value. @default midway between the finding's `value` and `expected` */
  healthyBelow: z.number().finite().optional(),
  /** A point is healthy when above this value. */
  healthyAbove: z.number().finite().optional(),
});
export type VerifyConfig = z.output<typeof VerifyConfigSchema>;

/** Which findings a policy answers. Every given field must match; omitted fields match anything. */
export const PolicyMatchSchema = z.object({
  /** Finding kinds, e.g. `['anomaly', 'forecast']`; `root-cause` targets the origin of a symptom rather than the symptom. */
  kinds: z
    .array(z.enum(['anomaly', 'prediction', 'threat', 'forecast', 'insight', 'root-cause']))
    .min(1)
    .optional(),
  /** Lowest severity answered. @default 'low' */
  minSeverity: SeveritySchema.default('low'),
  /** Metric names (the part after `resource/` in the finding's series). */
  metrics: z.array(z.string().min(1)).min(1).optional(),
  /** Inventory resource types; a resource unknown to storage has type `unknown`. */
  resourceTypes: z
    .array(z.enum(['infrastructure', 'compute', 'deployment', 'unknown']))
    .min(1)
    .optional(),
  /** Labels the resource must carry (the inventory resource's labels, else the finding's). */
  resourceLabels: LabelsSchema.optional(),
  /** Analyzer names. */
  analyzers: z.array(z.string().min(1)).min(1).optional(),
});

/**
 * A remediation policy: which actions may answer which findings, in order of preference. Plain data,
 * so policies can live in a config file. New policies are dry-run until you set `mode: 'enforce'`.
 */
export const RemediationPolicySchema = z.object({
  /** Unique name, recorded in every plan. */
  name: z.string().min(1).max(128),
  description: z.string().max(1024).optional(),
  match: PolicyMatchSchema.prefault({}),
  /** Allowed actions, most preferred first. */
  actions: z.array(ActionRefSchema).min(1),
  /** `dry-run` plans and records but never executes. @default 'dry-run' */
  mode: z.enum(['dry-run', 'enforce']).default('dry-run'),
  /** `learned`: the bandit orders the actions from past outcomes; `ordered`: always the listed order. @default 'learned' */
  selection: z.enum(['learned', 'ordered']).default('learned'),
  /** Actions tried for one finding before giving up and escalating. @default 1 */
  maxAttempts: z.number().int().min(1).max(10).default(1),
  verify: VerifyConfigSchema.prefault({}),
});
export type RemediationPolicy = z.output<typeof RemediationPolicySchema>;
export type RemediationPolicyInput = z.input<typeof RemediationPolicySchema>;

/** The metric name of a finding: the part of its series after the resource, else its `metric` label. */
export function findingMetric(finding: Finding): string | undefined {
  if (finding.series) {
    const slash = finding.series.indexOf('/');
    return slash >= 0 ? finding.series.slice(slash + 1) : finding.series;
  }
  return finding.labels?.metric;
}

/**
 * The incident signature the learner keys on: `kind:metric:resourceType` (threats use their category,
 * insights their topic), e.g. `anomaly:memory_utilization:deployment`.
 */
export function incidentSignature(finding: Finding, resource: Resource | undefined): string {
  const detail =
    finding.kind === 'threat'
      ? finding.category
      : finding.kind === 'insight'
        ? finding.topic
        : (findingMetric(finding) ?? '*');
  return `${finding.kind}:${detail}:${resource?.type ?? 'unknown'}`;
}

/** True when `policy` answers `finding` about `resource`. */
export function policyMatches(policy: RemediationPolicy, finding: Finding, resource: Resource | undefined): boolean {
  const match = policy.match;
  if (match.kinds && !match.kinds.includes(finding.kind)) return false;
  if (compareSeverity(finding.severity, match.minSeverity) < 0) return false;
  if (match.metrics) {
    const metric = findingMetric(finding);
    if (metric === undefined || !match.metrics.includes(metric)) return false;
  }
  if (match.resourceTypes && !match.resourceTypes.includes(resource?.type ?? 'unknown')) return false;
  if (match.analyzers && !match.analyzers.includes(finding.analyzer)) return false;
  if (match.resourceLabels) {
    const labels = resource?.labels ?? finding.labels ?? {};
    for (const [key, value] of Object.entries(match.resourceLabels)) if (labels[key] !== value) return false;
  }
  return true;
}
