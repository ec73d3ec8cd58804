import {
  noopLogger,
  RemediationError,
  systemClock,
  TimeoutError,
  type CallOptions,
  type Clock,
  type ComponentHealth,
  type Deployment,
  type Infrastructure,
  type Logger,
  type Resource,
  type Storage,
} from '@iac-dharma/core/kernel';
import { z } from 'zod';
import { workloadPath } from './api-paths.js';
import { KubernetesClient, type KubeConfigSource } from './kubernetes-client.js';
import { KubernetesConflictError } from './kubernetes-errors.js';
import type { KubernetesList, KubernetesObject } from './kubernetes-objects.js';
import { rolloutStatusOf } from './rollout-status.js';

/** Settings of {@link createKubernetesProvider}. */
export const KubernetesProviderOptionsSchema = z.object({
  /** Namespaces whose Deployments make up the inventory; `['*']` watches all. */
  namespaces: z.array(z.string().min(1)).min(1),
  /** Id of the Infrastructure resource that stands for the cluster. @default 'kubernetes' */
  infrastructureId: z.string().min(1).default('kubernetes'),
  /** Field manager of scale changes. @default 'iac-dharma' */
  fieldManager: z.string().min(1).default('iac-dharma'),
  /** Longest wait in `scale` for the replicas to be available, in ms. @default 120000 */
  scaleTimeoutMs: z.number().int().positive().default(120_000),
  /** Delay before a dropped watch is restarted (doubled up to 30 s while it keeps failing), in ms. @default 500 */
  rewatchDelayMs: z.number().int().positive().default(500),
});
export type KubernetesProviderOptionsInput = z.input<typeof KubernetesProviderOptionsSchema>;

/** Options of {@link createKubernetesProvider}. */
export type CreateKubernetesProviderOptions = KubernetesProviderOptionsInput & {
  client?: KubernetesClient | KubeConfigSource;
  /** Inventory written from the watches (the gateway's `listInfrastructures` and `deployments` read it). */
  storage?: Storage;
  clock?: Clock;
  logger?: Logger;
};

/** What a deployment status listener gets: the inventory resource now, and before (absent when new). */
export type StatusListener = (current: Resource, previous: Resource | undefined) => void;

/** An InfrastructureProvider (the gateway's interface) whose deployments are Kubernetes Deployments, kept current by watches. */
export interface KubernetesProvider {
  readonly specificationVersion: 'v1';
  readonly name: string;
  scale(
    deployment: Deployment,
    replicas: number,
    options?: CallOptions,
  ): Promise<{ deploymentId: string; desiredReplicas: number; readyReplicas: number; pids: number[] }>;
  status(
    deployment: Pick<Deployment, 'id'>,
    options?: CallOptions,
  ): Promise<{ deploymentId: string; desiredReplicas: number; readyReplicas: number; pids: number[] }>;
  health(): Promise<ComponentHealth>;
  /** Lists the watched Deployments, writes the inventory and starts the watches; resolves once the first list is stored. */
  start(options?: CallOptions): Promise<void>;
  /** Subscribes to status changes seen by the watches (the gateway's `infrastructureStatus`). Returns the unsubscribe function. */
  watchStatus(listener: StatusListener): () => void;
  /** The inventory resources as last seen. */
  resources(): Resource[];
  /** Stops the watches. */
  close(): Promise<void>;
}

/** `namespace/name` of a Deployment resource id. */
function splitId(id: string): { namespace: string; name: string } {
  const parts = id.split('/');
  if (parts.length < 2) throw new RemediationError(`Deployment id "${id}" is not "namespace/name".`);
  return { namespace: parts[0]!, name: parts.at(-1)! };
}

/**
 * The gateway's infrastructure provider answered from a cluster: the cluster is one Infrastructure, each
 * Deployment of the watched namespaces a Deployment resource (`namespace/name`) with its replicas, ready replicas,
 * image and status, written to `storage` as watch events arrive (so `listInfrastructures`, `deployments` and
 * the `infrastructureStatus` subscription follow the cluster). `scale` goes through the `/scale` subresource with
 * the resourceVersion it read and waits until the replicas are available.
 */
export function createKubernetesProvider(options: CreateKubernetesProviderOptions): KubernetesProvider {
  const { client: clientOption, storage, clock: clockOption, logger: loggerOption, ...rest } = options;
  const settings = KubernetesProviderOptionsSchema.parse(rest);
  const client = clientOption instanceof KubernetesClient ? clientOption : new KubernetesClient(clientOption);
  const clock = clockOption ?? systemClock;
  const logger = loggerOption ?? noopLogger;
  const inventory = new Map<string, Deployment>();
  const listeners = new Set<StatusListener>();
  const watches = new Map<string, AbortController>();
  const waiters = new Set<() => void>();
  let closed = false;
  let watchErrors = 0;
  let connected = 0;

  const infrastructure = (): Infrastructure => ({
    id: settings.infrastructureId,
    name: `Kubernetes ${client.server}`,
    type: 'infrastructure',
    provider: 'kubernetes',
    labels: {},
    status: 'running',
    spec: { server: client.server, namespaces: settings.namespaces },
    updatedAt: clock.now(),
  });

  const toResource = (object: KubernetesObject): Deployment => {
    const spec = object.spec as
      { replicas?: number; template?: { spec?: { containers?: { image?: string }[] } } } | undefined;
    const status = object.status as { readyReplicas?: number; availableReplicas?: number } | undefined;
    const replicas = spec?.replicas ?? 1;
    const ready = Math.min(status?.availableReplicas ?? 0, 10_000);
    const rollout = rolloutStatusOf(object);
    const image = spec?.template?.spec?.containers?.[0]?.image;
    return {
      id: `${object.metadata?.namespace}/${object.metadata?.name}`,
      name: object.metadata?.name ?? '',
      type: 'deployment',
      infrastructureId: settings.infrastructureId,
      labels: { ...object.metadata?.labels, 'kubernetes.io/namespace': object.metadata?.namespace ?? '' },
      replicas,
      readyReplicas: ready,
      status: rollout.failed
        ? 'failed'
        : replicas === 0
          ? 'stopped'
          : ready >= replicas && rollout.done
            ? 'running'
            : ready === 0
              ? 'pending'
              : 'degraded',
      ...(image ? { image: image.slice(0, 512) } : {}),
      updatedAt: clock.now(),
    };
  };

  const record = async (current: Resource, previous: Resource | undefined) => {
    if (storage) {
      if (current.status === 'deleted') await storage.deleteResource({ id: current.id }).catch(() => undefined);
      else
        await storage
          .putResource({ resource: current })
          .catch((error: unknown) =>
            logger.warn('kubernetes provider: could not store a resource', { id: current.id, error: String(error) }),
          );
    }
    for (const listener of listeners) {
      try {
        listener(current, previous);
      } catch (error) {
        logger.warn('kubernetes provider: a status listener threw', { error: String(error) });
      }
    }
    for (const wake of waiters) wake();
  };

  const upsert = async (object: KubernetesObject, deleted: boolean) => {
    const resource = toResource(object);
    const previous = inventory.get(resource.id);
    if (deleted) {
      inventory.delete(resource.id);
      await record({ ...resource, status: 'deleted' }, previous);
      return;
    }
    inventory.set(resource.id, resource);
    if (
      previous &&
      previous.status === resource.status &&
      previous.replicas === resource.replicas &&
      previous.readyReplicas === resource.readyReplicas &&
      previous.image === resource.image
    )
      return;
    await record(resource, previous);
  };

  const listPath = (namespace: string) =>
    namespace === '*'
      ? '/apis/apps/v1/deployments'
      : `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/deployments`;

  const watchNamespace = async (namespace: string, delay = settings.rewatchDelayMs): Promise<void> => {
    if (closed) return;
    const list = await client.get<KubernetesList>(listPath(namespace));
    const seen = new Set<string>();
    for (const item of list.items) {
      item.kind = 'Deployment';
      seen.add(`${item.metadata?.namespace}/${item.metadata?.name}`);
      await upsert(item, false);
    }
    for (const [id, resource] of inventory) {
      if ((namespace === '*' || id.startsWith(`${namespace}/`)) && !seen.has(id)) {
        inventory.delete(id);
        await record({ ...resource, status: 'deleted' }, resource);
      }
    }
    let resourceVersion = list.metadata?.resourceVersion;
    const controller = await client.watch(
      listPath(namespace),
      { resourceVersion },
      (type, object) => {
        const item = object as KubernetesObject;
        if (type === 'BOOKMARK' || type === 'ERROR') return;
        resourceVersion = item.metadata?.resourceVersion ?? resourceVersion;
        item.kind = 'Deployment';
        void upsert(item, type === 'DELETED');
      },
      (error) => {
        connected = Math.max(0, connected - 1);
        if (closed) return;
        if (error) {
          watchErrors++;
          logger.warn('kubernetes provider: watch ended; re-listing', {
            namespace,
            error: error instanceof Error ? error.message : String(error),
          });
        }
        // Re-list and watch again: a dropped or expired watch never leaves the inventory stale for long.
        const next = error ? Math.min(delay * 2, 30_000) : settings.rewatchDelayMs;
        void clock
          .sleep(error ? delay : 0)
          .then(() => watchNamespace(namespace, next))
          .catch((restartError: unknown) => {
            watchErrors++;
            logger.warn('kubernetes provider: could not restart a watch', { namespace, error: String(restartError) });
            void clock
              .sleep(next)
              .then(() => watchNamespace(namespace, Math.min(next * 2, 30_000)).catch(() => undefined));
          });
      },
    );
    connected++;
    if (closed) controller.abort();
    else watches.set(namespace, controller);
  };

  const fetchStatus = async (id: string, signal?: AbortSignal) => {
    const { namespace, name } = splitId(id);
    const object = await client.get<KubernetesObject>(workloadPath('Deployment', namespace, name), undefined, signal);
    object.kind = 'Deployment';
    return toResource(object);
  };

  return {
    specificationVersion: 'v1',
    name: 'kubernetes',
    async start() {
      if (storage) await storage.putResource({ resource: infrastructure() });
      await Promise.all(settings.namespaces.map((namespace) => watchNamespace(namespace)));
    },
    async scale(deployment, replicas, callOptions: CallOptions = {}) {
      if (closed) throw new RemediationError('The kubernetes provider is closed.');
      const { namespace, name } = splitId(deployment.id);
      const path = workloadPath('Deployment', namespace, name);
      const scale = await client.get<{ metadata: { resourceVersion: string } }>(
        `${path}/scale`,
        undefined,
        callOptions.signal,
      );
      await client.request({
        method: 'PUT',
        path: `${path}/scale`,
        idempotent: true,
        query: { fieldManager: settings.fieldManager },
        ...(callOptions.signal ? { signal: callOptions.signal } : {}),
        body: {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          metadata: { name, namespace, resourceVersion: scale.metadata.resourceVersion },
          spec: { replicas },
        },
      });
      const deadline = clock.now() + settings.scaleTimeoutMs;
      for (;;) {
        const current = await fetchStatus(deployment.id, callOptions.signal);
        if (current.replicas !== replicas)
          throw new KubernetesConflictError(
            `Deployment ${deployment.id} was scaled to ${current.replicas} by someone else while scaling to ${replicas}.`,
            { status: 409, method: 'PUT', path },
          );
        if (current.readyReplicas === replicas && current.status !== 'degraded')
          return {
            deploymentId: deployment.id,
            desiredReplicas: replicas,
            readyReplicas: current.readyReplicas,
            pids: [],
          };
        if (clock.now() >= deadline)
          throw new TimeoutError(
            `Deployment ${deployment.id}: ${current.readyReplicas} of ${replicas} replicas available after ${settings.scaleTimeoutMs} ms.`,
          );
        // Wake on the next watch event (or re-read after a second when watches are not running).
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, 1_000);
          waiters.add(wake);
        });
      }
    },
    async status(deployment, callOptions: CallOptions = {}) {
      const known = watches.size > 0 ? inventory.get(deployment.id) : undefined;
      const current = known ?? (await fetchStatus(deployment.id, callOptions.signal).catch(() => undefined));
      return {
        deploymentId: deployment.id,
        desiredReplicas: current?.replicas ?? 0,
        readyReplicas: current?.readyReplicas ?? 0,
        pids: [],
      };
    },
    async health() {
      const data = { deployments: inventory.size, watches: connected, watchErrors, server: client.server };
      if (closed) return { status: 'down', data };
      return connected < settings.namespaces.length
        ? { status: 'degraded', detail: 'a watch is reconnecting', data }
        : { status: 'ok', data };
    },
    watchStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    resources() {
      return [infrastructure(), ...inventory.values()];
    },
    async close() {
      closed = true;
      for (const controller of watches.values()) controller.abort();
      watches.clear();
      for (const wake of waiters) wake();
    },
  };
}
