import { GraphQLClient } from 'graphql-request';
import { createClient as createWsClient, type Client as WsClient } from 'graphql-ws';
import { operations, type OperationName } from './documents/operations.js';
import { DharmaClientError } from './errors/client-error.js';
import { toClientError } from './errors/to-client-error.js';
import { withRetry, type RetryOptions } from './with-retry.js';
import { subscriptionIterator, type SubscriptionIterator } from './subscription-iterator.js';
import type { CallOptions, DharmaClient } from './dharma-client.js';

/** Options of {@link createClient}. */
export interface ClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `http://localhost:4000/graphql`. */
  url: string;
  /** API key, sent as `x-api-key` over HTTP and as `connectionParams.apiKey` over WebSocket. */
  apiKey?: string;
  /** WebSocket endpoint for subscriptions. @default `url` with `http` replaced by `ws` */
  wsUrl?: string;
  /** fetch implementation. @default globalThis.fetch */
  fetch?: typeof fetch;
  /** WebSocket implementation for subscriptions (pass `WebSocket` from `ws` on Node 20). @default globalThis.WebSocket */
  webSocketImpl?: unknown;
  /** Extra headers on every HTTP request. */
  headers?: Record<string, string>;
  /** Retries of idempotent queries (never mutations) on retryable errors. @default { retries: 2, delayMs: 100 } */
  retry?: RetryOptions;
}

/**
 * Creates a typed client of the IaC Dharma gateway: one method per query and mutation (graphql-request)
 * and per subscription (graphql-ws, as async iterators). Works in Node and browsers.
 *
 * ```ts
 * const client = createClient({ url: 'http://localhost:4000/graphql', apiKey: 'secret-key', webSocketImpl: WebSocket });
 * for await (const alert of client.anomalyAlerts({ minSeverity: 'high' })) console.log(alert.summary);
 * ```
 */
export function createClient(options: ClientOptions): DharmaClient {
  const headers: Record<string, string> = {
    ...options.headers,
    ...(options.apiKey ? { 'x-api-key': options.apiKey } : {}),
  };
  const http = new GraphQLClient(options.url, { headers, ...(options.fetch ? { fetch: options.fetch } : {}) });
  const retry: RetryOptions = options.retry ?? {};
  let ws: WsClient | undefined;

  const socket = (): WsClient => {
    if (ws) return ws;
    const impl = options.webSocketImpl ?? (globalThis as { WebSocket?: unknown }).WebSocket;
    if (!impl)
      throw new DharmaClientError(
        'CONFIG_ERROR',
        'No WebSocket implementation: pass webSocketImpl (e.g. `import WebSocket from "ws"`) to createClient on Node 20.',
      );
    ws = createWsClient({
      url: options.wsUrl ?? options.url.replace(/^http/i, 'ws'),
      webSocketImpl: impl,
      connectionParams: options.apiKey ? { apiKey: options.apiKey } : {},
      lazy: true,
      retryAttempts: 0,
    });
    return ws;
  };

  const run = async <T>(
    name: OperationName,
    variables: Record<string, unknown>,
    call: CallOptions = {},
  ): Promise<T> => {
    const operation = operations[name];
    const once = async () => {
      try {
        const data = await http.request<Record<string, T>>({
          document: operation.document,
          variables: compact(variables),
          ...(call.signal ? { signal: call.signal } : {}),
        });
        return data[operation.field] as T;
      } catch (error) {
        throw toClientError(error);
      }
    };
    // Only queries are retried: a mutation that timed out may have been applied.
    return operation.kind === 'query'
      ? withRetry(once, { ...retry, ...(call.signal ? { signal: call.signal } : {}) })
      : once();
  };

  const subscribe = <T>(
    name: OperationName,
    variables: Record<string, unknown>,
    call: CallOptions = {},
  ): SubscriptionIterator<T> =>
    subscriptionIterator<T>({
      client: socket(),
      query: operations[name].document,
      variables: compact(variables),
      field: operations[name].field,
      ...(call.signal ? { signal: call.signal } : {}),
    });

  return {
    infrastructure: (id, call) => run('infrastructure', { id }, call),
    listInfrastructures: (query = {}, call) => run('listInfrastructures', { ...query }, call),
    computeResources: (query = {}, call) => run('computeResources', { ...query }, call),
    deployments: (query = {}, call) => run('deployments', { ...query }, call),
    predictions: (query = {}, call) => run('predictions', { ...query }, call),
    anomalies: (query = {}, call) => run('anomalies', { ...query }, call),
    metrics: (query, call) => run('metrics', { ...query }, call),
    remediationHistory: (query = {}, call) => run('remediationHistory', { ...query }, call),
    createInfrastructure: (input, call) => run('createInfrastructure', { input }, call),
    deleteInfrastructure: (id, call) => run('deleteInfrastructure', { id }, call),
    scaleDeployment: (input, call) => run('scaleDeployment', { input }, call),
    requestPrediction: (input, call) => run('requestPrediction', { input }, call),
    ingestMetrics: (samples, call) => run('ingestMetrics', { samples }, call),
    infrastructureStatus: (query = {}, call) => subscribe('infrastructureStatus', { ...query }, call),
    anomalyAlerts: (query = {}, call) => subscribe('anomalyAlerts', { ...query }, call),
    metricsStream: (query = {}, call) => subscribe('metricsStream', { ...query }, call),
    async request<T>(document: string, variables: Record<string, unknown> = {}, call: CallOptions = {}) {
      try {
        return await http.request<T>({ document, variables, ...(call.signal ? { signal: call.signal } : {}) });
      } catch (error) {
        throw toClientError(error);
      }
    },
    async close() {
      await ws?.dispose();
      ws = undefined;
    },
  };
}

/** Drops undefined variables so the gateway applies its defaults. */
function compact(variables: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(variables).filter(([, value]) => value !== undefined));
}
