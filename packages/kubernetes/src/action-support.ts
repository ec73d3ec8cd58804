import type { RemediationContext } from '@iac-dharma/core/kernel';
import { ValidationError } from '@iac-dharma/core/kernel';
import type { KubernetesClient } from './kubernetes-client.js';
import { KubernetesConflictError, KubernetesGuardError } from './kubernetes-errors.js';
import type { KubernetesList, KubernetesObject } from './kubernetes-objects.js';
import type { KubernetesPluginOptions } from './kubernetes-plugin-options.js';
import { selectorMatches, type LabelSelector } from './label-selector.js';

/** What every action gets: the client, the resolved options and the clock of the remediation. */
export interface ActionEnvironment {
  client: KubernetesClient;
  options: KubernetesPluginOptions;
}

/** Namespace and name of a namespaced target: from the params, else from the resource id (`namespace/name`, `namespace/Kind/name` or `namespace:name`). */
export function resolveTarget(
  params: { namespace?: string | undefined; name?: string | undefined },
  context: Pick<RemediationContext, 'resourceId'>,
): { namespace: string; name: string } {
  // `namespace/name`, `namespace/Kind/name`, or `namespace:name` (handy as a metric resource id: series are `resource/metric`).
  const parts =
    context.resourceId.includes(':') && !context.resourceId.includes('/')
      ? context.resourceId.split(':')
      : context.resourceId.split('/');
  const namespace = params.namespace ?? (parts.length >= 2 ? parts[0] : undefined);
  const name = params.name ?? parts.at(-1);
  if (!namespace || !name) {
    throw new ValidationError(
      `Cannot tell which object to act on: pass params.namespace and params.name, or use a resource id "namespace/name" (got "${context.resourceId}").`,
      [],
    );
  }
  return { namespace, name };
}

/** Refuses namespaces outside the allow-list. */
export function assertNamespaceAllowed(environment: ActionEnvironment, namespace: string, path: string): void {
  const allowed = environment.options.namespaces;
  if (allowed.includes('*') || allowed.includes(namespace)) return;
  throw new KubernetesGuardError(
    'namespace',
    `Namespace "${namespace}" is not in the plugin's allow-list (${allowed.join(', ')}); add it to \`namespaces\` to allow actions there.`,
    { method: 'GUARD', path },
  );
}

/** Refuses objects whose labels do not carry every label of the allow-list selector. */
export function assertLabelsAllowed(selector: Record<string, string>, object: KubernetesObject, path: string): void {
  if (selectorMatches({ matchLabels: selector }, object.metadata?.labels)) return;
  const wanted = Object.entries(selector)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  throw new KubernetesGuardError(
    'labels',
    `${object.kind ?? 'Object'} ${object.metadata?.namespace ?? ''}/${object.metadata?.name} lacks the labels ${wanted} that the plugin's \`labelSelector\` requires.`,
    { method: 'GUARD', path },
  );
}

/** The PodDisruptionBudgets of `namespace` that select pods with `podLabels`. */
export async function matchingBudgets(
  client: KubernetesClient,
  namespace: string,
  podLabels: Record<string, string> | undefined,
  signal?: AbortSignal,
): Promise<KubernetesObject[]> {
  const list = await client.get<KubernetesList>(
    `/apis/policy/v1/namespaces/${encodeURIComponent(namespace)}/poddisruptionbudgets`,
    undefined,
    signal,
  );
  return list.items.filter((budget) => selectorMatches(budget.spec?.selector as LabelSelector | undefined, podLabels));
}

/**
 * Refuses when taking `removed` healthy pods (with `podLabels`) away now would break a PodDisruptionBudget:
 * `status.currentHealthy - removed < status.desiredHealthy`.
 */
export async function assertDisruptionAllowed(
  environment: ActionEnvironment,
  input: {
    namespace: string;
    podLabels: Record<string, string> | undefined;
    removed: number;
    what: string;
    signal?: AbortSignal;
  },
): Promise<void> {
  if (!environment.options.checkDisruptionBudgets || input.removed <= 0) return;
  for (const budget of await matchingBudgets(environment.client, input.namespace, input.podLabels, input.signal)) {
    const status = budget.status as
      { currentHealthy?: number; desiredHealthy?: number; disruptionsAllowed?: number } | undefined;
    const current = status?.currentHealthy ?? 0;
    const desired = status?.desiredHealthy ?? 0;
    if (current - input.removed < desired) {
      throw new KubernetesGuardError(
        'disruption-budget',
        `${input.what} would leave ${current - input.removed} healthy pod(s) where PodDisruptionBudget ${input.namespace}/${budget.metadata?.name} needs ${desired} (currently ${current} healthy, ${status?.disruptionsAllowed ?? 0} disruption(s) allowed); refused.`,
        {
          method: 'GUARD',
          path: `/apis/policy/v1/namespaces/${input.namespace}/poddisruptionbudgets/${budget.metadata?.name}`,
        },
      );
    }
  }
}

/** `dryRun=All` when describing a dry run: the API server validates and admits the change but stores nothing. */
export function dryRunQuery(dryRun: boolean): { dryRun?: string } {
  return dryRun ? { dryRun: 'All' } : {};
}

/** Runs a server-side dry run for `describe`: its description, or why the API server refused it. */
export async function describeWithDryRun(
  context: RemediationContext,
  plan: string,
  dryRun: () => Promise<string | void>,
): Promise<string> {
  if (!context.dryRun) return plan;
  try {
    const extra = await dryRun();
    return `${plan} (accepted by the API server in a dryRun=All request${extra ? `: ${extra}` : ''})`;
  } catch (error) {
    return `${plan} — REFUSED in a dryRun=All request: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * Writes with the resourceVersion of `object`; when the server answers 409 only because something else moved
 * the resourceVersion (a controller updating status), re-reads and writes again — but only while `intent`
 * still holds on the fresh object (the part this write changes is as it was planned). A real concurrent change
 * of that part ends in `KubernetesConflictError`, so nothing someone else set is overwritten.
 */
export async function writeUnlessChanged<O, T>(input: {
  object: O;
  read: () => Promise<O>;
  intent: (fresh: O) => boolean;
  write: (fresh: O) => Promise<T>;
  attempts?: number;
}): Promise<T> {
  let current = input.object;
  for (let attempt = 1; ; attempt++) {
    try {
      return await input.write(current);
    } catch (error) {
      if (!(error instanceof KubernetesConflictError) || attempt >= (input.attempts ?? 4)) throw error;
      current = await input.read();
      if (!input.intent(current)) throw error;
    }
  }
}
