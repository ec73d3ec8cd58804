import { z } from 'zod';

/** Options of {@link createKubernetesPlugin} (besides the client). */
export const KubernetesPluginOptionsSchema = z.object({
  /** Plugin name used in action refs (`{ plugin: 'kubernetes', action: 'scale' }`). @default 'kubernetes' */
  name: z.string().min(1).default('kubernetes'),
  /** Namespaces the actions may touch; `['*']` allows every namespace. Required: there is no implicit "everything". */
  namespaces: z.array(z.string().min(1)).min(1),
  /** Labels a workload or pod must carry to be acted on (e.g. `{ 'dharma.io/remediate': 'true' }`). @default {} (any) */
  labelSelector: z.record(z.string(), z.string()).default({}),
  /** Labels a node must carry to be cordoned or uncordoned. @default {} (any) */
  nodeLabelSelector: z.record(z.string(), z.string()).default({}),
  /** Refuse disruptive actions (pod deletion, restart, scale-down) that a PodDisruptionBudget forbids now. @default true */
  checkDisruptionBudgets: z.boolean().default(true),
  /** Field manager recorded in managedFields for every change this plugin makes. @default 'iac-dharma' */
  fieldManager: z.string().min(1).max(128).default('iac-dharma'),
  /** Longest time an action's `execute` (and each `verify` call, and `rollback`) may take, in ms. @default 60000 */
  timeoutMs: z.number().int().positive().default(60_000),
});
export type KubernetesPluginOptions = z.output<typeof KubernetesPluginOptionsSchema>;
export type KubernetesPluginOptionsInput = z.input<typeof KubernetesPluginOptionsSchema>;

/** Which object an action targets. Omitted fields come from the remediation's resource id `namespace/name`. */
export const WorkloadTargetSchema = z.object({
  /** @default 'Deployment' */
  kind: z.enum(['Deployment', 'StatefulSet']).default('Deployment'),
  /** @default the namespace part of the resource id */
  namespace: z.string().min(1).max(253).optional(),
  /** @default the name part of the resource id */
  name: z.string().min(1).max(253).optional(),
});
