import type { Server } from 'node:http';
import { GraphQLError } from 'graphql/index.js';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { apiKeyFromConnectionParams, type ApiKeyAuthenticator, type Principal } from '../auth/api-keys.js';
import type { GatewayContext, GatewayServerContext } from '../gateway-context.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';

/** Yoga's enveloped `execute` and `subscribe` of one operation, handed to graphql-ws as the root value. */
type Envelope = Pick<
  ReturnType<YogaServerInstance<GatewayServerContext, GatewayContext>['getEnveloped']>,
  'execute' | 'subscribe'
>;

/**
 * Serves graphql-ws (the `graphql-transport-ws` protocol) on the yoga endpoint of `server`. The API key
 * is checked once per connection, from the connection params (`apiKey`, `x-api-key` or
 * `Authorization: Bearer`); an unknown key closes the socket with 4403 Forbidden. Operations run
 * through yoga's envelop, so masking, limits, roles and metrics apply exactly as over HTTP.
 */
export function attachGraphqlWs(options: {
  server: Server;
  yoga: YogaServerInstance<GatewayServerContext, GatewayContext>;
  authenticator: ApiKeyAuthenticator;
  metrics: GatewayMetrics;
}): { dispose(): void | Promise<void> } {
  const { yoga, authenticator, metrics } = options;
  const webSocketServer = new WebSocketServer({ server: options.server, path: yoga.graphqlEndpoint });
  const principals = new WeakMap<object, Principal>();
  return useServer(
    {
      execute: (args) => (args.rootValue as Envelope).execute(args),
      subscribe: (args) => (args.rootValue as Envelope).subscribe(args),
      onConnect(context) {
        const key = apiKeyFromConnectionParams(context.connectionParams);
        const principal = authenticator.anonymous
          ? { name: 'anonymous', role: 'operator' as const }
          : key
            ? authenticator.authenticate(key)
            : undefined;
        if (!principal) {
          metrics.refused('unauthenticated');
          context.extra.socket.close(
            CloseCode.Forbidden,
            key ? 'Forbidden: unknown API key' : 'Forbidden: missing API key (send connectionParams.apiKey)',
          );
          return false;
        }
        principals.set(context.extra, principal);
        return true;
      },
      async onSubscribe(context, _id, payload) {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          req: context.extra.request,
          socket: context.extra.socket,
          params: payload,
          principal: principals.get(context.extra),
        });
        let document;
        try {
          document = parse(payload.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Could not parse the query.')];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          operationName: payload.operationName ?? null,
          document,
          variableValues: payload.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    webSocketServer,
  );
}
