import type {
  Engine,
  HistoryQuery,
  HistoryRecord,
  ManualExecuteOptions,
  RemediationPlugin,
  RemediationResult,
  Storage,
} from '@iac-dharma/core';
import type { Principal } from './auth/api-keys.js';
import type { StatusBus } from './events/status-bus.js';
import type { SubscriptionFactory } from './events/subscription-factory.js';
import type { PredictionProvider } from './prediction/prediction-provider.js';
import type { InfrastructureProvider } from './providers/infrastructure-provider.js';

/** A manual remediation request: core's `ManualExecuteOptions` (the remediator's `execute` entry point), declared once. */
export type ManualRemediationRequest = ManualExecuteOptions;

/**
 * The part of core's `Remediator` the gateway uses: manual actions (`scaleDeployment` goes through the
 * same guards and audit history as automatic remediations), plugin registration and the history.
 */
export interface GatewayRemediator {
  execute(request: ManualRemediationRequest): Promise<RemediationResult>;
  registerPlugin(plugin: RemediationPlugin): unknown;
  history?(query: HistoryQuery): Promise<HistoryRecord[]>;
}

/** Everything resolvers reach, shared by every request. */
export interface GatewayServices {
  engine: Engine;
  storage: Storage;
  remediator: GatewayRemediator | undefined;
  provider: InfrastructureProvider | undefined;
  predictionProvider: PredictionProvider;
  statusBus: StatusBus;
  subscriptions: SubscriptionFactory;
  /** Metric names seen per resource (from ingestion), so `requestPrediction` can pick metrics. */
  metricsSeen: Map<string, Set<string>>;
  /** Largest `limit` a list field accepts. */
  maxListSize: number;
  /** Most list items one operation may return, summed over all its list fields. */
  maxItemsPerRequest: number;
  /** Most deployments one `createInfrastructure` call may create. */
  maxDeploymentsPerCall: number;
}

/** The GraphQL context of one operation. */
export interface GatewayContext {
  principal: Principal;
  services: GatewayServices;
  /** List items returned so far by this operation, and the most it may return (`maxItemsPerRequest`). */
  budget?: { used: number; max: number };
}

/**
 * What the server adapters put in an operation's initial context besides yoga's own fields: the graphql-ws
 * server passes the principal it authenticated when the socket connected (HTTP requests carry none).
 */
export interface GatewayServerContext {
  principal?: Principal;
}
