/** The parts of a Kubernetes object this package reads (objects are otherwise kept as plain JSON). */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
  [key: string]: unknown;
}

/** `metadata` of a Kubernetes object. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  managedFields?: ManagedFieldsEntry[];
  deletionTimestamp?: string;
  creationTimestamp?: string;
  [key: string]: unknown;
}

/** One entry of `metadata.managedFields`: which manager owns which fields. */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  subresource?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  time?: string;
}

/** A list answer of the API server. */
export interface KubernetesList<T = KubernetesObject> {
  items: T[];
  metadata?: { resourceVersion?: string; continue?: string };
}

/** Reads a nested value of a plain object (`undefined` when any step is missing). */
export function pathValue(object: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = object;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}

/** `namespace/name` (or `name` for cluster-scoped objects). */
export function objectKey(object: { metadata?: { namespace?: string; name?: string } }): string {
  const { namespace, name } = object.metadata ?? {};
  return namespace ? `${namespace}/${name}` : `${name}`;
}
