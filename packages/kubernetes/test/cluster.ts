import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { waitFor } from '@iac-dharma/core/testing';
import { ApiPaths } from '../src/api-paths.js';
import { KubernetesClient, type KubernetesObject } from '../src/index.js';

/** Repository root (packages/kubernetes/test → ../../..). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The shipped RBAC manifest. */
export const rbacManifestPath = resolve(dirname(fileURLToPath(import.meta.url)), '../rbac/remediator-rbac.yaml');

/** Settings of the control plane started by scripts/services/start-kubernetes.sh. Throws (tests fail, never skip) when it is not running. */
export function clusterEnv(): {
  kubeconfig: string;
  restrictedKubeconfig: string;
  node: string;
  restrictedUser: string;
} {
  const file = join(process.env.DHARMA_SERVICES_DIR ?? join(repoRoot, '.services'), 'kubernetes.env');
  if (!existsSync(file))
    throw new Error(
      `No Kubernetes control plane: ${file} does not exist. Run npm test (it starts one with scripts/services/start-kubernetes.sh).`,
    );
  const values: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) values[match[1]!] = match[2]!;
  }
  return {
    kubeconfig: values.DHARMA_KUBECONFIG!,
    restrictedKubeconfig: values.DHARMA_KUBECONFIG_RESTRICTED!,
    node: values.DHARMA_KUBERNETES_NODE!,
    restrictedUser: values.DHARMA_KUBERNETES_RESTRICTED_USER!,
  };
}

let admin: KubernetesClient | undefined;
/** A client with cluster-admin rights (test set-up only). */
export function adminClient(): KubernetesClient {
  return (admin ??= new KubernetesClient(clusterEnv().kubeconfig));
}

/** A client of the least-privilege user (no rights until a test binds the shipped roles to it). */
export function restrictedClient(): KubernetesClient {
  return new KubernetesClient(clusterEnv().restrictedKubeconfig);
}

/** Server-side applies objects as the admin (`test-setup` field manager). */
export async function applyObjects(
  objects: KubernetesObject[],
  fieldManager = 'test-setup',
): Promise<KubernetesObject[]> {
  const client = adminClient();
  const paths = new ApiPaths(client);
  const applied: KubernetesObject[] = [];
  for (const object of objects) {
    const path = await paths.path(object.apiVersion!, object.kind!, object.metadata?.namespace, object.metadata!.name!);
    applied.push(
      await client.request<KubernetesObject>({
        method: 'PATCH',
        path,
        contentType: 'application/apply-patch+yaml',
        body: object,
        query: { fieldManager, force: true },
      }),
    );
  }
  return applied;
}

/** Creates a namespace with a unique name; returns it (the namespace is deleted by `deleteNamespace`). */
export async function createNamespace(prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`.slice(0, 63);
  await applyObjects([{ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }]);
  // Pods need the namespace's default service account, which the controller manager creates.
  await waitFor(
    () =>
      adminClient()
        .get(`/api/v1/namespaces/${name}/serviceaccounts/default`)
        .then(() => true),
    { timeoutMs: 30_000, message: `service account default in ${name}` },
  );
  return name;
}

/** Deletes a namespace (not waited for). */
export async function deleteNamespace(name: string): Promise<void> {
  await adminClient()
    .request({ method: 'DELETE', path: `/api/v1/namespaces/${name}` })
    .catch(() => undefined);
}

/** A Deployment manifest whose pods kwok runs. */
export function deployment(
  namespace: string,
  name: string,
  options: {
    replicas?: number;
    image?: string;
    labels?: Record<string, string>;
    progressDeadlineSeconds?: number;
    maxUnavailable?: number;
  } = {},
): KubernetesObject {
  const labels = { app: name, ...options.labels };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas: options.replicas ?? 2,
      selector: { matchLabels: { app: name } },
      ...(options.progressDeadlineSeconds ? { progressDeadlineSeconds: options.progressDeadlineSeconds } : {}),
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: options.maxUnavailable ?? 0 } },
      template: {
        metadata: { labels },
        spec: {
          nodeSelector: { type: 'kwok' },
          tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'app',
              image: options.image ?? 'dharma.invalid/app:1',
              resources: { requests: { cpu: '10m', memory: '16Mi' } },
            },
          ],
        },
      },
    },
  };
}

/** Waits until a Deployment's rollout is complete (all replicas updated and available). */
export async function waitForRollout(namespace: string, name: string, timeoutMs = 60_000): Promise<KubernetesObject> {
  return waitFor(
    async () => {
      const object = await adminClient().get<KubernetesObject>(
        `/apis/apps/v1/namespaces/${namespace}/deployments/${name}`,
      );
      const status = object.status as
        | { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number; replicas?: number }
        | undefined;
      const wanted = (object.spec?.replicas as number) ?? 1;
      const done =
        (status?.observedGeneration ?? 0) >= (object.metadata?.generation ?? 1) &&
        (status?.updatedReplicas ?? 0) === wanted &&
        (status?.availableReplicas ?? 0) === wanted &&
        (status?.replicas ?? 0) === wanted;
      return done ? object : undefined;
    },
    { timeoutMs, intervalMs: 200, message: `rollout of ${namespace}/${name}` },
  );
}

/** The shipped RBAC ClusterRoles applied, and the restricted user bound to `roles` in `namespace` (cluster-wide for node roles). */
export async function bindRestrictedUser(namespace: string, roles: string[]): Promise<void> {
  const documents = (yaml.loadAll(readFileSync(rbacManifestPath, 'utf8')) as KubernetesObject[]).filter(
    (document) => document.kind === 'ClusterRole',
  );
  await applyObjects(documents);
  const user = clusterEnv().restrictedUser;
  await applyObjects(
    roles.map((role) =>
      role === 'iac-dharma-node-remediator'
        ? {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'ClusterRoleBinding',
            metadata: { name: `${role}-${namespace}` },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
            subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
          }
        : {
            apiVersion: 'rbac.authorization.k8s.io/v1',
            kind: 'RoleBinding',
            metadata: { name: role, namespace },
            roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
            subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: user }],
          },
    ),
  );
}
