import type { GraphQLSchema } from 'graphql';
import { createSchema } from 'graphql-yoga';
import type { GatewayContext } from '../gateway-context.js';
import type { Resolvers } from './generated/resolver-types.js';
import { JsonScalar } from './json-scalar.js';
import { mutationResolvers } from './mutation-resolvers.js';
import { queryResolvers } from './query-resolvers.js';
import { subscriptionResolvers } from './subscription-resolvers.js';
import { typeDefs } from './type-defs.js';

/**
 * The gateway's executable schema: {@link typeDefs} with its resolvers. Typed as graphql's `GraphQLSchema`, not
 * graphql-yoga's, so the published declarations do not reach into graphql-yoga's types (and the lru-cache and
 * `@whatwg-node` declarations behind them, which fail to typecheck with `skipLibCheck` off).
 */
export function createExecutableSchema(): GraphQLSchema {
  const resolvers: Resolvers = {
    JSON: JsonScalar,
    // GraphQL enum values cannot contain '-': map them to core's names.
    FindingKind: { root_cause: 'root-cause' },
    RemediationOutcome: { rolled_back: 'rolled-back', dry_run: 'dry-run' },
    ...queryResolvers,
    ...mutationResolvers,
    ...subscriptionResolvers,
  };
  return createSchema<GatewayContext>({ typeDefs, resolvers });
}
