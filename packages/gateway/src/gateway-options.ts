import type { Engine, Logger } from '@iac-dharma/core';
import type { Registry } from 'prom-client';
import type { ApiKey } from './auth/api-keys.js';
import type { OverflowPolicy } from './events/bounded-queue.js';
import type { GatewayRemediator } from './gateway-context.js';
import type { PredictionProvider } from './prediction/prediction-provider.js';
import type { InfrastructureProvider } from './providers/infrastructure-provider.js';

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  /** The engine served: its storage holds the inventory, its events feed the subscriptions. */
  engine: Engine;
  /** Runs `scaleDeployment` as a manual remediation (core's `new Remediator()`). Without it `scaleDeployment` is refused. */
  remediator?: GatewayRemediator;
  /** Runs deployments' replicas, e.g. `createProcessPoolProvider()`. Wrapped as the `infrastructure` remediation plugin. */
  provider?: InfrastructureProvider;
  /** Register the provider's `infrastructure` plugin with the remediator. Turn off if you registered it yourself. @default true */
  registerInfrastructurePlugin?: boolean;
  /** Answers `requestPrediction`. @default createDefaultPredictionProvider() (forecast, or a named analyzer) */
  predictionProvider?: PredictionProvider;
  /** Accepted API keys with their roles (`viewer`: queries and subscriptions; `operator`: also mutations). */
  apiKeys: readonly ApiKey[];
  /** With no keys, let anyone in as an operator (local development only). @default false */
  allowAnonymous?: boolean;
  /** prom-client registry exposed on `/metrics`; pass the engine's `createPrometheusMetrics().registry`. @default a new Registry */
  registry?: Registry;
  /** Deepest field nesting accepted. @default 8 */
  maxDepth?: number;
  /** Deepest nesting of an introspection query (`__schema` / `__type`), counted apart from `maxDepth`. @default 20 */
  maxIntrospectionDepth?: number;
  /** Highest estimated cost accepted (each field 1, times the sizes of enclosing lists). @default 20000 */
  maxComplexity?: number;
  /** Size assumed for lists without a `limit` argument, in the complexity estimate. @default 10 */
  defaultListSize?: number;
  /** Largest `limit` accepted by list fields. @default 1000 */
  maxListSize?: number;
  /** Most list items one operation may return, summed over all its list fields and aliases. @default 10000 */
  maxItemsPerRequest?: number;
  /** Most deployments one `createInfrastructure` call may create (each one is a guarded remediation). @default 20 */
  maxDeploymentsPerCall?: number;
  /** Most aliased fields in one operation (each alias re-runs a resolver). @default 100 */
  maxAliases?: number;
  /** Most lexical tokens in one operation document; longer documents are refused before parsing finishes. @default 5000 */
  maxTokens?: number;
  /** Events queued per subscriber before `overflowPolicy` applies. @default 256 */
  subscriptionQueueSize?: number;
  /** What happens to a subscriber whose queue is full. @default 'drop-oldest' */
  overflowPolicy?: OverflowPolicy;
  /** Serve the GraphiQL page on GET /graphql from a browser. @default true */
  graphiql?: boolean;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** @default the engine's logger */
  logger?: Logger;
}
