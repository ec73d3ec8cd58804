import { request as httpsRequest, type RequestOptions } from 'node:https';
import { request as httpRequest } from 'node:http';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { StateError, systemClock, type Clock } from '@iac-dharma/core/kernel';
import { z } from 'zod';
import { kubernetesErrorFor, KubernetesError } from './kubernetes-errors.js';

/** Options of {@link KubernetesClient}. */
export const KubernetesClientOptionsSchema = z.object({
  /** Per-request timeout, in ms. @default 15000 */
  requestTimeoutMs: z.number().int().positive().default(15_000),
  /** Retries of a request that may be retried safely (see {@link KubernetesClient.request}). @default 3 */
  retries: z.number().int().min(0).max(10).default(3),
  /** First retry delay, doubled each retry (a 429's Retry-After wins when longer), in ms. @default 200 */
  backoffMs: z.number().int().min(0).default(200),
});
export type KubernetesClientOptions = z.output<typeof KubernetesClientOptionsSchema>;

/** Where the client connects: a loaded `KubeConfig`, a kubeconfig file path, or the default (KUBECONFIG, ~/.kube/config, in-cluster). */
export type KubeConfigSource = KubeConfig | string | undefined;

/** One request to the API server. */
export interface KubernetesRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path below the server, e.g. `/apis/apps/v1/namespaces/web/deployments/api`. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** @default 'application/json' (PATCH: 'application/merge-patch+json') */
  contentType?: string;
  /**
   * True when repeating the request cannot do anything twice: reads, and writes guarded by a
   * `resourceVersion` precondition (a repeat after a lost answer fails with 409 instead). Such requests are
   * retried on 429, 5xx and lost connections; other writes only on 429, which the server sends before acting.
   * @default true for GET, false otherwise
   */
  idempotent?: boolean;
  signal?: AbortSignal;
}

/** Loads a kubeconfig from a file path, or the default locations. */
export function loadKubeConfig(source: KubeConfigSource): KubeConfig {
  if (source instanceof KubeConfig) return source;
  const config = new KubeConfig();
  if (typeof source === 'string') config.loadFromFile(source);
  else config.loadFromDefault();
  if (!config.getCurrentCluster())
    throw new StateError('The kubeconfig names no current cluster: set `current-context` or pass a kubeconfig file.');
  return config;
}

/**
 * A small, typed-error client over `@kubernetes/client-node`'s `KubeConfig` (which supplies the server,
 * TLS settings and credentials, token refresh included). Every failure is a {@link KubernetesError}
 * subclass; only requests that are safe to repeat are retried.
 */
export class KubernetesClient {
  readonly kubeConfig: KubeConfig;
  readonly options: KubernetesClientOptions;
  private readonly clock: Clock;

  constructor(source?: KubeConfigSource, options: Partial<KubernetesClientOptions> & { clock?: Clock } = {}) {
    this.kubeConfig = loadKubeConfig(source);
    const { clock, ...rest } = options;
    this.options = KubernetesClientOptionsSchema.parse(rest);
    this.clock = clock ?? systemClock;
  }

  /** The current cluster's server URL. */
  get server(): string {
    return this.kubeConfig.getCurrentCluster()!.server;
  }

  /** The current user's name in the kubeconfig. */
  get user(): string {
    return this.kubeConfig.getCurrentUser()?.name ?? 'unknown';
  }

  /** Sends one request; resolves the parsed JSON answer. Throws a {@link KubernetesError} subclass. */
  async request<T = unknown>(request: KubernetesRequest): Promise<T> {
    const idempotent = request.idempotent ?? request.method === 'GET';
    let attempt = 0;
    for (;;) {
      try {
        return (await this.once(request)) as T;
      } catch (error) {
        if (!(error instanceof KubernetesError) || attempt >= this.options.retries) throw error;
        const retry = error.status === 429 || (idempotent && error.isRetryable);
        if (!retry || request.signal?.aborted) throw error;
        const retryAfter = (error as KubernetesError & { retryAfterMs?: number }).retryAfterMs ?? 0;
        await this.clock.sleep(Math.max(retryAfter, this.options.backoffMs * 2 ** attempt), request.signal);
        attempt++;
      }
    }
  }

  /** GET of an object or list. */
  get<T = unknown>(path: string, query?: KubernetesRequest['query'], signal?: AbortSignal): Promise<T> {
    return this.request<T>({ method: 'GET', path, ...(query ? { query } : {}), ...(signal ? { signal } : {}) });
  }

  /**
   * Watches `path` (a list path) from `resourceVersion`; `onEvent` gets `ADDED`, `MODIFIED`, `DELETED` and
   * `BOOKMARK` events, `onDone` the end of the stream (with the error that ended it, if any). Resolves the
   * controller that stops the watch.
   */
  watch(
    path: string,
    query: Record<string, string | number | boolean | undefined>,
    onEvent: (type: string, object: Record<string, unknown>) => void,
    onDone: (error?: unknown) => void,
  ): Promise<AbortController> {
    return new Watch(this.kubeConfig).watch(
      path,
      { allowWatchBookmarks: true, ...query },
      (type, object) => onEvent(type, object as Record<string, unknown>),
      (error) => onDone(error ?? undefined),
    );
  }

  private async once(request: KubernetesRequest): Promise<unknown> {
    const url = new URL(this.server.replace(/\/$/, '') + request.path);
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const contentType =
      request.contentType ?? (request.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
    const body = request.body === undefined ? undefined : Buffer.from(JSON.stringify(request.body));
    const options: RequestOptions = {
      method: request.method,
      hostname: url.hostname,
      port: url.port,
      path: url.pathname + url.search,
      headers: {
        accept: 'application/json',
        ...(body ? { 'content-type': contentType, 'content-length': body.length } : {}),
      },
      timeout: this.options.requestTimeoutMs,
    };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const details = { method: request.method, path: request.path };
    const plain = url.protocol === 'http:';
    // A plain-http server (a local proxy such as `kubectl proxy`) takes no TLS agent.
    if (plain) delete options.agent;
    const send = plain ? httpRequest : httpsRequest;
    return new Promise<unknown>((resolve, reject) => {
      const outgoing = send({ ...options, ...(request.signal ? { signal: request.signal } : {}) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => reject(kubernetesErrorFor(0, error.message, details, error)));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = text;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            // not JSON (e.g. a proxy's HTML page): keep the text for the error message
          }
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(parsed);
          const error = kubernetesErrorFor(status, parsed, details);
          const retryAfter = Number(response.headers['retry-after']);
          if (Number.isFinite(retryAfter) && retryAfter > 0)
            Object.assign(error, { retryAfterMs: Math.min(retryAfter, 30) * 1000 });
          reject(error);
        });
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error(`no answer within ${this.options.requestTimeoutMs} ms`)));
      outgoing.on('error', (error) =>
        reject(request.signal?.aborted ? request.signal.reason : kubernetesErrorFor(0, error.message, details, error)),
      );
      outgoing.end(body);
    });
  }
}
