import { KubernetesNotFoundError } from './kubernetes-errors.js';
import type { KubernetesClient } from './kubernetes-client.js';

/** Where a kind lives in the API: its plural resource name and whether it is namespaced. */
export interface ApiResource {
  apiVersion: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

const WELL_KNOWN: ApiResource[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'StatefulSet', plural: 'statefulsets', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'DaemonSet', plural: 'daemonsets', namespaced: true },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', plural: 'replicasets', namespaced: true },
  { apiVersion: 'v1', kind: 'Pod', plural: 'pods', namespaced: true },
  { apiVersion: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  { apiVersion: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { apiVersion: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { apiVersion: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', namespaced: true },
  { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { apiVersion: 'v1', kind: 'Node', plural: 'nodes', namespaced: false },
  { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', namespaced: true },
];

/**
 * Maps `apiVersion` + `kind` to API paths: well-known kinds directly, anything else (CRDs included) through
 * the API server's discovery, cached per client.
 */
export class ApiPaths {
  private readonly cache = new Map<string, ApiResource>();
  private readonly discovered = new Set<string>();

  constructor(private readonly client: KubernetesClient) {
    for (const resource of WELL_KNOWN) this.cache.set(`${resource.apiVersion}/${resource.kind}`, resource);
  }

  /** The API resource of a kind; throws `KubernetesNotFoundError` when the server does not serve it. */
  async resource(apiVersion: string, kind: string, signal?: AbortSignal): Promise<ApiResource> {
    const key = `${apiVersion}/${kind}`;
    const known = this.cache.get(key);
    if (known) return known;
    if (!this.discovered.has(apiVersion)) {
      const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
      const list = await this.client.get<{ resources: { name: string; kind: string; namespaced: boolean }[] }>(
        base,
        undefined,
        signal,
      );
      for (const entry of list.resources) {
        if (entry.name.includes('/')) continue;
        this.cache.set(`${apiVersion}/${entry.kind}`, {
          apiVersion,
          kind: entry.kind,
          plural: entry.name,
          namespaced: entry.namespaced,
        });
      }
      this.discovered.add(apiVersion);
    }
    const found = this.cache.get(key);
    if (!found)
      throw new KubernetesNotFoundError(`The API server does not serve kind ${kind} in ${apiVersion}.`, {
        status: 404,
        method: 'GET',
        path: apiVersion,
      });
    return found;
  }

  /** Path of the collection (`name` omitted) or of one object. */
  async path(
    apiVersion: string,
    kind: string,
    namespace: string | undefined,
    name?: string,
    signal?: AbortSignal,
  ): Promise<string> {
    const resource = await this.resource(apiVersion, kind, signal);
    return collectionPath(resource, namespace) + (name === undefined ? '' : `/${encodeURIComponent(name)}`);
  }
}

/** Path of a resource's collection, in `namespace` when it is namespaced (all namespaces when omitted). */
export function collectionPath(resource: ApiResource, namespace?: string): string {
  const base = resource.apiVersion.includes('/') ? `/apis/${resource.apiVersion}` : `/api/${resource.apiVersion}`;
  return resource.namespaced && namespace
    ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.plural}`
    : `${base}/${resource.plural}`;
}

/** Path of a Deployment or StatefulSet. */
export function workloadPath(kind: 'Deployment' | 'StatefulSet', namespace: string, name: string): string {
  return `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${kind === 'Deployment' ? 'deployments' : 'statefulsets'}/${encodeURIComponent(name)}`;
}
