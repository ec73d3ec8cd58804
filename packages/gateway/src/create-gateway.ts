import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StateError, adaptLogger } from '@iac-dharma/core';
import { GraphQLError } from 'graphql/index.js';
import { createYoga, type YogaInitialContext } from 'graphql-yoga';
import { apiKeyFromHeaders, createApiKeyAuthenticator, type Principal } from './auth/api-keys.js';
import { useGatewayPolicy } from './auth/gateway-policy-plugin.js';
import { createErrorMasker } from './errors/mask-error.js';
import { StatusBus } from './events/status-bus.js';
import { SubscriptionFactory } from './events/subscription-factory.js';
import { watchEngine } from './events/watch-engine.js';
import type { GatewayContext, GatewayServerContext, GatewayServices } from './gateway-context.js';
import type { GatewayOptions } from './gateway-options.js';
import { createHealthAndMetricsHandler } from './http/health-and-metrics.js';
import { createGatewayMetrics, type GatewayMetrics } from './metrics/gateway-metrics.js';
import { createDefaultPredictionProvider } from './prediction/default-prediction-provider.js';
import { createInfrastructurePlugin } from './providers/infrastructure-plugin.js';
import { createExecutableSchema } from './schema/create-executable-schema.js';
import { INFRASTRUCTURE_PLUGIN } from './schema/plugin-name.js';
import { reconcileInventory } from './providers/reconcile-inventory.js';
import { attachGraphqlWs } from './ws/attach-graphql-ws.js';

/** A running (or ready to run) gateway. */
export interface Gateway {
  /** Starts listening; resolves the GraphQL URL. Port 0 picks a free port. @default port 4000 */
  listen(port?: number): Promise<string>;
  /** Ends subscriptions, closes sockets and stops listening. Leaves the engine, remediator and provider open. */
  close(): Promise<void>;
  /** `http://host:port/graphql` once listening. */
  readonly url: string;
  /** `ws://host:port/graphql` once listening (graphql-ws). */
  readonly wsUrl: string;
  /** The gateway's Prometheus metrics (its registry is the one served on `/metrics`). */
  readonly metrics: GatewayMetrics;
  /** Live subscriptions now. */
  readonly subscriptionCount: number;
}

/**
 * Creates the GraphQL gateway over an engine: queries, mutations and subscriptions on `/graphql` (HTTP
 * and graphql-ws), GraphiQL for browsers, `/health` and `/metrics`. See docs/guides/gateway.md.
 *
 * ```ts
 * const gateway = createGateway({ engine, remediator, provider: createProcessPoolProvider(), apiKeys: [{ key: 'secret-key', role: 'operator' }] });
 * console.log(await gateway.listen(4000));
 * ```
 */
export function createGateway(options: GatewayOptions): Gateway {
  const { engine } = options;
  const logger = options.logger ? adaptLogger(options.logger) : engine.logger;
  const authenticator = createApiKeyAuthenticator({
    apiKeys: options.apiKeys,
    allowAnonymous: options.allowAnonymous ?? false,
  });
  const metrics = createGatewayMetrics(options.registry ? { registry: options.registry } : {});
  const statusBus = new StatusBus();
  const subscriptions = new SubscriptionFactory({
    metrics,
    queueCapacity: options.subscriptionQueueSize ?? 256,
    overflowPolicy: options.overflowPolicy ?? 'drop-oldest',
  });
  if (options.provider && options.remediator && (options.registerInfrastructurePlugin ?? true)) {
    options.remediator.registerPlugin(
      createInfrastructurePlugin({ provider: options.provider, storage: engine.storage, name: INFRASTRUCTURE_PLUGIN }),
    );
  }
  const services: GatewayServices = {
    engine,
    storage: engine.storage,
    remediator: options.remediator,
    provider: options.provider,
    predictionProvider: options.predictionProvider ?? createDefaultPredictionProvider(),
    statusBus,
    subscriptions,
    metricsSeen: new Map(),
    maxListSize: options.maxListSize ?? 1000,
    maxItemsPerRequest: options.maxItemsPerRequest ?? 10_000,
    maxDeploymentsPerCall: options.maxDeploymentsPerCall ?? 20,
  };
  const detachEngine = watchEngine(engine, services);
  const detachProvider = options.provider?.watchStatus?.((current, previous) =>
    statusBus.publish(current, previous, engine.clock.now()),
  );

  const yoga = createYoga<GatewayServerContext, GatewayContext>({
    schema: createExecutableSchema(),
    graphqlEndpoint: '/graphql',
    landingPage: false,
    batching: false,
    logging: false,
    graphiql: (options.graphiql ?? true) ? { title: 'IaC Dharma gateway', subscriptionsProtocol: 'WS' } : false,
    // GraphiQL's scripts, styles and editor workers are inlined from @graphql-yoga/render-graphiql (offline:
    // no CDN); the 9 MB module is loaded on the first browser visit only.
    renderGraphiQL: async (graphiqlOptions) =>
      (await import('@graphql-yoga/render-graphiql')).renderGraphiQL(graphiqlOptions),
    maskedErrors: { maskError: createErrorMasker(logger) },
    context: (initial): GatewayContext => ({
      principal: principalOf(initial),
      services,
      budget: { used: 0, max: services.maxItemsPerRequest },
    }),
    plugins: [
      useGatewayPolicy({
        maxDepth: options.maxDepth ?? 8,
        maxIntrospectionDepth: options.maxIntrospectionDepth ?? 20,
        maxComplexity: options.maxComplexity ?? 20_000,
        defaultListSize: options.defaultListSize ?? 10,
        maxAliases: options.maxAliases ?? 100,
        maxTokens: options.maxTokens ?? 5000,
        metrics,
      }),
    ],
  });

  function principalOf(initial: YogaInitialContext & GatewayServerContext): Principal {
    if (initial.principal) return initial.principal;
    if (authenticator.anonymous) return { name: 'anonymous', role: 'operator' };
    // Over graphql-ws the principal is set above; an HTTP request always has `request`.
    const request: Request | undefined = initial.request;
    const key = request ? apiKeyFromHeaders(request.headers) : undefined;
    const principal = key ? authenticator.authenticate(key) : undefined;
    if (principal) return principal;
    metrics.refused('unauthenticated');
    throw new GraphQLError(
      key
        ? 'Unauthenticated: the API key is not valid.'
        : 'Unauthenticated: send an API key in the x-api-key header or as Authorization: Bearer <key>.',
      {
        extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      },
    );
  }

  const healthAndMetrics = createHealthAndMetricsHandler({
    engine,
    registry: metrics.registry,
    components: async () => ({
      gateway: { status: 'ok', data: { subscriptions: subscriptions.size } },
      ...(options.provider
        ? { [`provider:${options.provider.name}`]: (await options.provider.health?.()) ?? { status: 'ok' } }
        : {}),
    }),
  });
  const server: Server = createServer((request, response) => {
    healthAndMetrics(request, response).then(
      (handled) => {
        if (!handled) void yoga(request, response);
      },
      () => response.writeHead(500).end(),
    );
  });
  let webSocket: { dispose(): void | Promise<void> } | undefined;
  let address: AddressInfo | undefined;
  let closed = false;
  const host = options.host ?? '127.0.0.1';
  const base = (scheme: string) => {
    if (!address) throw new StateError('The gateway is not listening yet: call listen() first.');
    const name = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `${scheme}://${name}:${address.port}/graphql`;
  };

  return {
    metrics,
    get url() {
      return base('http');
    },
    get wsUrl() {
      return base('ws');
    },
    get subscriptionCount() {
      return subscriptions.size;
    },
    async listen(port = 4000) {
      if (closed) throw new StateError('The gateway is closed: create a new one.');
      if (address) return base('http');
      // After a restart the inventory may still describe replicas that no longer run: make it say what the provider reports.
      if (options.provider)
        await reconcileInventory({
          provider: options.provider,
          storage: engine.storage,
          clock: engine.clock,
          logger,
          onChange: (current, previous) => statusBus.publish(current, previous, engine.clock.now()),
        });
      webSocket = attachGraphqlWs({ server, yoga, authenticator, metrics });
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve();
        });
      });
      address = server.address() as AddressInfo;
      return base('http');
    },
    async close() {
      if (closed) return;
      closed = true;
      detachEngine();
      detachProvider?.();
      await subscriptions.closeAll();
      await Promise.resolve(webSocket?.dispose()).catch(() => undefined);
      if (!server.listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
