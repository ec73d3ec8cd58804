import { defineRemediationAction, type RemediationActionDefinition } from '@iac-dharma/core/kernel';
import { z } from 'zod';
import { assertNamespaceAllowed, type ActionEnvironment } from '../action-support.js';
import { ApiPaths } from '../api-paths.js';
import { KubernetesNotFoundError } from '../kubernetes-errors.js';
import type { KubernetesObject } from '../kubernetes-objects.js';
import type { DriftDetector, FieldDrift } from './drift-detector.js';
import { idOf } from './drift-detector.js';
import { resolvePath, type PathStep } from './field-paths.js';

/** Parameters of `kubernetes.reconcile`. */
export const ReconcileParametersSchema = z.object({
  /** Object to reconcile, `namespace/Kind/name`. @default the remediation's resource id */
  id: z.string().min(1).optional(),
  /** Also remove fields other managers added that the manifests do not have (e.g. a hand-added label). @default true */
  removeUnexpectedFields: z.boolean().default(true),
});

/** What `kubernetes.reconcile` returns: enough to undo it. */
export interface ReconcileResult {
  id: string;
  created: boolean;
  fields: Omit<FieldDrift, 'managers'>[];
}

/** JSON pointer of `steps` in `object` (list elements by key resolved to indexes), or `undefined`. */
function pointer(object: unknown, steps: readonly PathStep[]): string | undefined {
  let current: unknown = object;
  let text = '';
  for (const step of steps) {
    if ('key' in step) {
      text += `/${step.key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
      current = (current as Record<string, unknown> | undefined)?.[step.key];
      continue;
    }
    if (!Array.isArray(current)) return undefined;
    const index =
      'index' in step
        ? step.index
        : current.findIndex((element) => resolvePath([element], [{ ...step } as PathStep]).found);
    if (index < 0) return undefined;
    text += `/${index}`;
    current = current[index];
  }
  return text;
}

/** `kubernetes.reconcile`: restores the desired state of one drifted object (server-side apply; removes hand-added fields); rollback restores what was live. */
export function createReconcileAction(
  environment: ActionEnvironment,
  detector: DriftDetector,
): RemediationActionDefinition {
  const find = async (id: string) => {
    const entry = (await detector.desired()).find(({ object }) => idOf(object) === id);
    if (!entry)
      throw new KubernetesNotFoundError(
        `No manifest describes ${id}; reconcile only restores objects the manifests describe.`,
        { status: 404, method: 'GET', path: id },
      );
    if (entry.object.metadata?.namespace) assertNamespaceAllowed(environment, entry.object.metadata.namespace, id);
    return entry.object;
  };
  const removals = (live: KubernetesObject, fields: FieldDrift[]) =>
    fields
      .filter((field) => field.change === 'unexpected' && field.desired === undefined)
      .map((field) => pointer(live, field.steps))
      .filter((path): path is string => path !== undefined)
      .map((path) => ({ op: 'remove', path }));
  return defineRemediationAction({
    description: 'Restore the desired state of a drifted object (server-side apply of its manifest)',
    risk: 'medium',
    parameters: ReconcileParametersSchema,
    timeoutMs: environment.options.timeoutMs,
    async describe(params, context) {
      const id = params.id ?? context.resourceId;
      const desired = await find(id);
      const drift = await detector.compare(desired, context.signal);
      if (!drift) return `${id} has not drifted: nothing to do`;
      return drift.drift === 'missing'
        ? `create ${id} from its manifest`
        : `reapply ${id}: ${drift.fields.map((field) => `${field.path} → ${JSON.stringify(field.desired) ?? '(removed)'}`).join('; ')}`;
    },
    async execute(params, context): Promise<ReconcileResult> {
      const id = params.id ?? context.resourceId;
      const desired = await find(id);
      const drift = await detector.compare(desired, context.signal);
      if (!drift) return { id, created: false, fields: [] };
      const live = await detector.read(desired, context.signal);
      const applied = await detector.serverSideApply(desired, false, context.signal);
      const remove = live && params.removeUnexpectedFields ? removals(applied, drift.fields) : [];
      if (remove.length > 0) {
        const path = context.resourceId; // only for error messages
        await detector.client
          .request({
            method: 'PATCH',
            path: await pathOf(detector, desired),
            contentType: 'application/json-patch+json',
            idempotent: true,
            signal: context.signal,
            query: { fieldManager: environment.options.fieldManager },
            body: [
              { op: 'replace', path: '/metadata/resourceVersion', value: applied.metadata?.resourceVersion },
              ...remove,
            ],
          })
          .catch((error: unknown) => {
            throw Object.assign(error as Error, {
              message: `${(error as Error).message} (removing unexpected fields of ${path})`,
            });
          });
      }
      return {
        id,
        created: drift.drift === 'missing',
        fields: drift.fields.map(({ managers: _managers, ...field }) => field),
      };
    },
    async verify(params, context) {
      const id = params.id ?? context.resourceId;
      const drift = await detector.compare(await find(id), context.signal);
      return drift
        ? {
            ok: false,
            detail: `${id} still drifted: ${drift.drift} ${drift.fields.map((field) => field.path).join(', ')}`,
          }
        : { ok: true, detail: `${id} matches its manifest` };
    },
    async rollback(_params, context) {
      const result = context.executeResult as ReconcileResult | undefined;
      if (!result) return;
      const desired = await find(result.id);
      const path = await pathOf(detector, desired);
      if (result.created) {
        await detector.client.request({ method: 'DELETE', path, signal: context.signal });
        return;
      }
      if (result.fields.length === 0) return;
      const current = await detector.client.get<KubernetesObject>(path, undefined, context.signal);
      const operations: { op: string; path: string; value?: unknown }[] = [];
      for (const field of result.fields) {
        const target = pointer(current, field.steps);
        if (target === undefined) continue;
        operations.push(
          field.live === undefined ? { op: 'remove', path: target } : { op: 'add', path: target, value: field.live },
        );
      }
      await detector.client.request({
        method: 'PATCH',
        path,
        contentType: 'application/json-patch+json',
        idempotent: true,
        signal: context.signal,
        query: { fieldManager: environment.options.fieldManager },
        body: [
          { op: 'replace', path: '/metadata/resourceVersion', value: current.metadata?.resourceVersion },
          ...operations,
        ],
      });
    },
  });
}

function pathOf(detector: DriftDetector, object: KubernetesObject): Promise<string> {
  return new ApiPaths(detector.client).path(
    object.apiVersion!,
    object.kind!,
    object.metadata?.namespace,
    object.metadata!.name!,
  );
}
