import type { AnomalyEvent, Prediction } from './types/findings.js';
import type {
  AnomalyAlertsOptions,
  ByInfrastructureOptions,
  ByResourceOptions,
  CreateInfrastructureInput,
  InfrastructureStatusOptions,
  ListInfrastructuresOptions,
  MetricSampleInput,
  MetricsQuery,
  MetricsStreamOptions,
  PredictionRequestInput,
  ScaleDeploymentInput,
} from './types/inputs.js';
import type { IngestResult, RemediationRecord, ScaleResult } from './types/remediation.js';
import type {
  Compute,
  Deployment,
  Infrastructure,
  InfrastructureDetail,
  Metric,
  StatusChange,
} from './types/resources.js';
import type { SubscriptionIterator } from './subscription-iterator.js';

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

/**
 * The typed gateway client. Queries retry on retryable errors; mutations never do. Every method throws
 * `NetworkError`, `AuthError` or `GraphQLRequestError` (all `DharmaClientError`s with a `code`).
 */
export interface DharmaClient {
  /** One infrastructure with its compute and deployments; `null` when unknown. */
  infrastructure(id: string, call?: CallOptions): Promise<InfrastructureDetail | null>;
  listInfrastructures(query?: ListInfrastructuresOptions, call?: CallOptions): Promise<Infrastructure[]>;
  computeResources(query?: ByInfrastructureOptions, call?: CallOptions): Promise<Compute[]>;
  deployments(query?: ByInfrastructureOptions, call?: CallOptions): Promise<Deployment[]>;
  /** Prediction and forecast findings, newest first. */
  predictions(query?: ByResourceOptions, call?: CallOptions): Promise<Prediction[]>;
  /** Anomaly findings, newest first. */
  anomalies(query?: ByResourceOptions, call?: CallOptions): Promise<AnomalyEvent[]>;
  /** Stored points of one series, oldest first. */
  metrics(query: MetricsQuery, call?: CallOptions): Promise<Metric[]>;
  /** The remediation audit history, in `seq` order. */
  remediationHistory(query?: ByResourceOptions, call?: CallOptions): Promise<RemediationRecord[]>;
  /** Creates an infrastructure with its compute and deployments (deployments' replicas are started). Operator only. */
  createInfrastructure(input: CreateInfrastructureInput, call?: CallOptions): Promise<InfrastructureDetail>;
  /** Deletes an infrastructure and everything in it; `false` when it did not exist. Operator only. */
  deleteInfrastructure(id: string, call?: CallOptions): Promise<boolean>;
  /** Scales a deployment through the remediator (guards, audit history). Operator only. */
  scaleDeployment(input: ScaleDeploymentInput, call?: CallOptions): Promise<ScaleResult>;
  /** Runs a prediction on a resource's history. Operator only. */
  requestPrediction(input: PredictionRequestInput, call?: CallOptions): Promise<Prediction>;
  /** Sends metric samples to the engine. Operator only. */
  ingestMetrics(samples: MetricSampleInput[], call?: CallOptions): Promise<IngestResult>;
  /** Status changes of inventory resources. */
  infrastructureStatus(query?: InfrastructureStatusOptions, call?: CallOptions): SubscriptionIterator<StatusChange>;
  /** Anomalies as the engine finds them. */
  anomalyAlerts(query?: AnomalyAlertsOptions, call?: CallOptions): SubscriptionIterator<AnomalyEvent>;
  /** Metric samples as the engine accepts them. */
  metricsStream(query?: MetricsStreamOptions, call?: CallOptions): SubscriptionIterator<Metric>;
  /** Sends any GraphQL document (escape hatch); resolves the whole `data` object. */
  request<T = Record<string, unknown>>(
    document: string,
    variables?: Record<string, unknown>,
    call?: CallOptions,
  ): Promise<T>;
  /** Closes the subscription socket. */
  close(): Promise<void>;
}
