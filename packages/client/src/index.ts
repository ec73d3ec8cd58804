export { createClient, type ClientOptions } from './create-client.js';
export type { CallOptions, DharmaClient } from './dharma-client.js';
export type { SubscriptionIterator } from './subscription-iterator.js';
export { withRetry, type RetryOptions } from './with-retry.js';
export { DharmaClientError, type ClientErrorOptions } from './errors/client-error.js';
export { AuthError, GraphQLRequestError, NetworkError, type GatewayErrorDetail } from './errors/client-errors.js';
export { operations, type OperationDefinition, type OperationName } from './documents/operations.js';
export { selections } from './documents/selections.js';
export type {
  Compute,
  Deployment,
  Infrastructure,
  InfrastructureDetail,
  Metric,
  ResourceStatus,
  Severity,
  StatusChange,
} from './types/resources.js';
export type { AnomalyEvent, FindingKind, ForecastPoint, Prediction } from './types/findings.js';
export type {
  IngestResult,
  RemediationOutcome,
  RemediationRecord,
  RemediationResult,
  ScaleResult,
} from './types/remediation.js';
export type {
  AnomalyAlertsOptions,
  ByInfrastructureOptions,
  ByResourceOptions,
  ComputeInput,
  CreateInfrastructureInput,
  DeploymentInput,
  InfrastructureStatusOptions,
  ListInfrastructuresOptions,
  ListOptions,
  MetricSampleInput,
  MetricsQuery,
  MetricsStreamOptions,
  PredictionRequestInput,
  ScaleDeploymentInput,
} from './types/inputs.js';
