import { parseWith, systemClock, type Clock, type InsightFinding } from '@iac-dharma/core/kernel';
import { z } from 'zod';
import { ApiPaths } from '../api-paths.js';
import { KubernetesClient, type KubeConfigSource } from '../kubernetes-client.js';
import { KubernetesNotFoundError } from '../kubernetes-errors.js';
import type { KubernetesList, KubernetesObject, ManagedFieldsEntry } from '../kubernetes-objects.js';
import { DriftProneness, type DriftRisk } from './drift-proneness.js';
import { diffValues, fieldsV1Leaves, formatPath, resolvePath, type PathStep } from './field-paths.js';
import { desiredObjects, loadManifestDirectory, type DesiredObject } from './manifests.js';

/** Settings of {@link DriftDetector}. */
export const DriftDetectorOptionsSchema = z.object({
  /** Namespace of desired objects that name none, and (when set) the only namespace watched for unexpected objects. */
  namespace: z.string().min(1).optional(),
  /** Namespaces watched for unexpected objects. @default the namespaces of the desired objects (or `namespace`) */
  watchNamespaces: z.array(z.string().min(1)).optional(),
  /** Kinds listed for unexpected objects, as `apiVersion/Kind` (e.g. `apps/v1/Deployment`). @default the namespaced kinds of the desired objects */
  watchKinds: z.array(z.string().regex(/^.+\/[A-Za-z0-9]+$/)).optional(),
  /** Field manager of the desired state: the dry-run applies and `reconcile` use it. @default 'iac-dharma' */
  fieldManager: z.string().min(1).max(128).default('iac-dharma'),
  /** Other managers whose fields belong to the desired state (tools that applied the manifests). @default kubectl's appliers */
  desiredManagers: z
    .array(z.string())
    .default(['kubectl', 'kubectl-client-side-apply', 'kubectl-create', 'before-first-apply']),
  /** Managers whose fields are the cluster's own business (controllers, kubelet); status subresources are always ignored. */
  controllerManagers: z
    .array(z.string())
    .default(['kube-controller-manager', 'kube-scheduler', 'kubelet', 'kube-apiserver', 'kwok', 'kwok-controller']),
  /** Objects never reported as unexpected, as `Kind/name`. */
  ignoreObjects: z
    .array(z.string())
    .default(['ConfigMap/kube-root-ca.crt', 'ServiceAccount/default', 'Service/kubernetes', 'Secret/default-token']),
  /** Annotations never reported. */
  ignoreAnnotations: z
    .array(z.string())
    .default(['kubectl.kubernetes.io/last-applied-configuration', 'deployment.kubernetes.io/revision']),
  /** Analyzer name on findings. @default 'drift-detector' */
  analyzer: z.string().min(1).default('drift-detector'),
});
export type DriftDetectorOptionsInput = z.input<typeof DriftDetectorOptionsSchema>;
export type DriftDetectorSettings = z.output<typeof DriftDetectorOptionsSchema>;

/** One drifted field: what the manifests say and what the cluster has (`undefined` = absent). */
export interface FieldDrift {
  path: string;
  /** The path as steps, for patches. */
  steps: PathStep[];
  desired: unknown;
  live: unknown;
  /** `changed` (the desired value differs), `unexpected` (set live by someone else, absent from the manifests). */
  change: 'changed' | 'unexpected';
  /** Field manager(s) that own the live value, when known. */
  managers?: string[];
}

/** One drifted object. */
export interface DriftedObject {
  /** `namespace/Kind/name` (`Kind/name` when cluster-scoped): the resource id of findings and `reconcile`. */
  id: string;
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  /** `changed`: fields differ; `missing`: desired but absent; `unexpected`: present in a watched namespace, not desired. */
  drift: 'changed' | 'missing' | 'unexpected';
  fields: FieldDrift[];
  risk: DriftRisk;
}

/** Result of {@link DriftDetector.detect}. */
export interface DriftReport {
  /** Drifted objects, in manifest order then unexpected ones. */
  drifted: DriftedObject[];
  /** Desired objects compared. */
  checked: number;
  /** One `insight` finding (topic `drift`) per drifted object, scored by its drift-proneness. */
  findings: InsightFinding[];
}

/** Options of {@link DriftDetector}. */
export type CreateDriftDetectorOptions = DriftDetectorOptionsInput & {
  /** A folder of YAML manifests, or the desired objects themselves. */
  manifests: string | readonly unknown[];
  /** A client, a loaded `KubeConfig`, or a kubeconfig file path. @default the default kubeconfig */
  client?: KubernetesClient | KubeConfigSource;
  /** Drift-proneness tracker (share one across detectors, or restore it from storage). @default a new one */
  proneness?: DriftProneness;
  /** @default systemClock */
  clock?: Clock;
};

const VOLATILE_METADATA = [
  'resourceVersion',
  'generation',
  'managedFields',
  'uid',
  'creationTimestamp',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
];

/**
 * Compares desired manifests with the live cluster. For each desired object it asks the API server what a
 * server-side apply of the manifest would produce (`dryRun=All`, `force`) and diffs that with the live object,
 * so defaults the server fills in and fields controllers own never count as drift; it then reads `managedFields`
 * for fields other managers added that the manifests do not have (a label someone added by hand). Objects
 * missing from the cluster and objects in watched namespaces that no manifest describes are reported too.
 */
export class DriftDetector {
  readonly client: KubernetesClient;
  readonly settings: DriftDetectorSettings;
  readonly proneness: DriftProneness;
  private readonly paths: ApiPaths;
  private readonly clock: Clock;
  private readonly source: string | readonly unknown[];

  constructor(options: CreateDriftDetectorOptions) {
    const { manifests, client, proneness, clock, ...rest } = options;
    this.settings = parseWith(DriftDetectorOptionsSchema, rest, 'drift detector options');
    this.client = client instanceof KubernetesClient ? client : new KubernetesClient(client);
    this.paths = new ApiPaths(this.client);
    this.proneness = proneness ?? new DriftProneness();
    this.clock = clock ?? systemClock;
    this.source = manifests;
  }

  /** The desired objects, with namespaces filled in. */
  async desired(): Promise<DesiredObject[]> {
    const loaded =
      typeof this.source === 'string' ? await loadManifestDirectory(this.source) : desiredObjects(this.source);
    for (const { object } of loaded) {
      const resource = await this.paths.resource(object.apiVersion!, object.kind!).catch(() => undefined);
      if (resource?.namespaced !== false) object.metadata!.namespace ??= this.settings.namespace ?? 'default';
    }
    return loaded;
  }

  /** Server-side applies every desired object (`force`, this detector's field manager): the desired state becomes the live state. */
  async apply(options: { signal?: AbortSignal; only?: readonly string[] } = {}): Promise<KubernetesObject[]> {
    const applied: KubernetesObject[] = [];
    for (const { object } of await this.desired()) {
      if (options.only && !options.only.includes(idOf(object))) continue;
      applied.push(await this.serverSideApply(object, false, options.signal));
    }
    return applied;
  }

  /** Compares every desired object (or only the ids in `only`) with the cluster; records each check in the drift-proneness tracker. */
  async detect(options: { signal?: AbortSignal; only?: readonly string[] } = {}): Promise<DriftReport> {
    const now = this.clock.now();
    const desired = await this.desired();
    const drifted: DriftedObject[] = [];
    let checked = 0;
    for (const { object } of desired) {
      const id = idOf(object);
      if (options.only && !options.only.includes(id)) continue;
      checked++;
      const found = await this.compare(object, options.signal);
      const risk = this.proneness.observe(id, found !== undefined, now);
      if (found) drifted.push({ ...found, risk });
    }
    if (!options.only) {
      for (const object of await this.unexpectedObjects(desired, options.signal)) {
        drifted.push({ ...object, risk: this.proneness.observe(object.id, true, now) });
      }
    }
    return { drifted, checked, findings: drifted.map((entry) => this.finding(entry, now)) };
  }

  /** Live object and the drifted fields of one desired object (`undefined` when it has not drifted). */
  async compare(desired: KubernetesObject, signal?: AbortSignal): Promise<Omit<DriftedObject, 'risk'> | undefined> {
    const base = describeObject(desired);
    const live = await this.read(desired, signal);
    if (!live) return { ...base, drift: 'missing', fields: [] };
    const applied = await this.serverSideApply(desired, true, signal);
    const fields: FieldDrift[] = [];
    const seen = new Set<string>();
    for (const difference of diffValues(comparable(applied), comparable(live))) {
      if (this.ignored(difference.path)) continue;
      const path = formatPath(difference.path);
      seen.add(path);
      const unexpected = difference.desired === undefined;
      fields.push({
        path,
        steps: difference.path,
        desired: difference.desired,
        live: difference.live,
        change: unexpected ? 'unexpected' : 'changed',
      });
    }
    for (const entry of live.metadata?.managedFields ?? []) {
      if (!this.foreign(entry)) continue;
      for (const steps of fieldsV1Leaves(entry.fieldsV1 ?? {})) {
        if (steps[0] && 'key' in steps[0] && steps[0].key === 'status') continue;
        if (this.ignored(steps) || resolvePath(desired, steps).found) continue;
        const path = formatPath(steps);
        const value = resolvePath(live, steps);
        if (!value.found) continue;
        const existing = fields.find((field) => field.path === path);
        if (existing) {
          existing.managers = [...(existing.managers ?? []), entry.manager ?? '?'];
          continue;
        }
        if (seen.has(path)) continue;
        seen.add(path);
        fields.push({
          path,
          steps,
          desired: undefined,
          live: value.value,
          change: 'unexpected',
          managers: [entry.manager ?? '?'],
        });
      }
    }
    return fields.length > 0 ? { ...base, drift: 'changed', fields } : undefined;
  }

  /** Server-side apply of one object, optionally as a dry run. */
  async serverSideApply(object: KubernetesObject, dryRun: boolean, signal?: AbortSignal): Promise<KubernetesObject> {
    const path = await this.paths.path(
      object.apiVersion!,
      object.kind!,
      object.metadata?.namespace,
      object.metadata!.name!,
      signal,
    );
    return this.client.request<KubernetesObject>({
      method: 'PATCH',
      path,
      contentType: 'application/apply-patch+yaml',
      idempotent: true,
      body: object,
      ...(signal ? { signal } : {}),
      query: { fieldManager: this.settings.fieldManager, force: true, ...(dryRun ? { dryRun: 'All' } : {}) },
    });
  }

  /** The live object of a desired one, or `undefined` when it does not exist. */
  async read(desired: KubernetesObject, signal?: AbortSignal): Promise<KubernetesObject | undefined> {
    const path = await this.paths.path(
      desired.apiVersion!,
      desired.kind!,
      desired.metadata?.namespace,
      desired.metadata!.name!,
      signal,
    );
    return this.client.get<KubernetesObject>(path, undefined, signal).catch((error: unknown) => {
      if (error instanceof KubernetesNotFoundError) return undefined;
      throw error;
    });
  }

  private foreign(entry: ManagedFieldsEntry): boolean {
    if (entry.subresource === 'status') return false;
    const manager = entry.manager ?? '';
    if (manager === this.settings.fieldManager && entry.operation === 'Apply') return false;
    if (
      manager === this.settings.fieldManager ||
      this.settings.desiredManagers.includes(manager) ||
      this.settings.controllerManagers.includes(manager)
    )
      return false;
    return true;
  }

  private ignored(steps: readonly PathStep[]): boolean {
    const [first, second, third] = steps;
    if (!first || !('key' in first)) return false;
    if (first.key === 'status') return true;
    if (first.key === 'metadata' && second && 'key' in second) {
      if (VOLATILE_METADATA.includes(second.key)) return true;
      if (
        second.key === 'annotations' &&
        third &&
        'key' in third &&
        this.settings.ignoreAnnotations.includes(third.key)
      )
        return true;
    }
    return false;
  }

  private async unexpectedObjects(
    desired: DesiredObject[],
    signal?: AbortSignal,
  ): Promise<Omit<DriftedObject, 'risk'>[]> {
    const namespaces =
      this.settings.watchNamespaces ??
      (this.settings.namespace
        ? [this.settings.namespace]
        : [
            ...new Set(
              desired
                .map(({ object }) => object.metadata?.namespace)
                .filter((namespace): namespace is string => Boolean(namespace)),
            ),
          ]);
    const kinds = this.settings.watchKinds ?? [
      ...new Set(
        desired
          .filter(({ object }) => object.metadata?.namespace)
          .map(({ object }) => `${object.apiVersion}/${object.kind}`),
      ),
    ];
    const wanted = new Set(desired.map(({ object }) => idOf(object)));
    const found: Omit<DriftedObject, 'risk'>[] = [];
    for (const kindKey of kinds) {
      const slash = kindKey.lastIndexOf('/');
      const apiVersion = kindKey.slice(0, slash);
      const kind = kindKey.slice(slash + 1);
      for (const namespace of namespaces) {
        const path = await this.paths.path(apiVersion, kind, namespace, undefined, signal);
        const list = await this.client.get<KubernetesList>(path, undefined, signal).catch((error: unknown) => {
          if (error instanceof KubernetesNotFoundError) return { items: [] } as KubernetesList;
          throw error;
        });
        for (const item of list.items) {
          item.apiVersion ??= apiVersion;
          item.kind ??= kind;
          const name = item.metadata?.name ?? '';
          if (item.metadata?.ownerReferences?.length) continue;
          if (
            this.settings.ignoreObjects.some(
              (ignored) =>
                ignored === `${kind}/${name}` ||
                (ignored.endsWith('-token') && name.startsWith(ignored.split('/')[1]!)),
            )
          )
            continue;
          if (wanted.has(idOf(item))) continue;
          found.push({ ...describeObject(item), drift: 'unexpected', fields: [] });
        }
      }
    }
    return found;
  }

  private finding(entry: DriftedObject, now: number): InsightFinding {
    const what =
      entry.drift === 'missing'
        ? 'is missing from the cluster'
        : entry.drift === 'unexpected'
          ? 'exists in the cluster but in no manifest'
          : `drifted: ${entry.fields.map((field) => `${field.path} ${JSON.stringify(field.desired) ?? '(absent)'} → ${JSON.stringify(field.live) ?? '(absent)'}`).join('; ')}`;
    return {
      kind: 'insight',
      topic: 'drift',
      id: `drift:${entry.id}:${now}`,
      resource: entry.id,
      timestamp: now,
      analyzer: this.settings.analyzer,
      severity:
        entry.drift === 'changed' && entry.fields.every((field) => field.change === 'unexpected') ? 'low' : 'medium',
      score: entry.risk.score,
      summary: `${entry.kind} ${entry.namespace ? `${entry.namespace}/` : ''}${entry.name} ${what}`,
      labels: { kind: entry.kind, drift: entry.drift, ...(entry.namespace ? { namespace: entry.namespace } : {}) },
      data: {
        drift: entry.drift,
        apiVersion: entry.apiVersion,
        fields: entry.fields.map(({ steps: _steps, ...field }) => field),
        risk: entry.risk,
      },
    };
  }
}

/**
 * Creates a {@link DriftDetector}.
 * @deprecated Construct it with `new DriftDetector(options)` (the SDK's one construction style); this alias is
 * removed in a later 0.x release.
 */
export function createDriftDetector(options: CreateDriftDetectorOptions): DriftDetector {
  return new DriftDetector(options);
}

/** `namespace/Kind/name`, or `Kind/name` for cluster-scoped objects. */
export function idOf(object: KubernetesObject): string {
  const namespace = object.metadata?.namespace;
  return `${namespace ? `${namespace}/` : ''}${object.kind}/${object.metadata?.name}`;
}

function describeObject(object: KubernetesObject): Omit<DriftedObject, 'risk' | 'drift' | 'fields'> {
  return {
    id: idOf(object),
    apiVersion: object.apiVersion!,
    kind: object.kind!,
    ...(object.metadata?.namespace ? { namespace: object.metadata.namespace } : {}),
    name: object.metadata!.name!,
  };
}

function comparable(object: KubernetesObject): KubernetesObject {
  const { status: _status, ...rest } = object;
  const copy = structuredClone(rest);
  if (copy.metadata) for (const key of VOLATILE_METADATA) delete copy.metadata[key];
  return copy;
}
