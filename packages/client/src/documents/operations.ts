import { selections as s } from './selections.js';

/** One operation of the gateway: its document, kind and the root field holding the result. */
export interface OperationDefinition {
  kind: 'query' | 'mutation' | 'subscription';
  field: string;
  document: string;
}

const op = (kind: OperationDefinition['kind'], field: string, document: string): OperationDefinition => ({
  kind,
  field,
  document,
});

/** Every operation the client sends, by method name (exported so a test can validate them against the SDL). */
export const operations = {
  infrastructure: op(
    'query',
    'infrastructure',
    `query Infrastructure($id: ID!) { infrastructure(id: $id) ${s.infrastructureDetail} }`,
  ),
  listInfrastructures: op(
    'query',
    'listInfrastructures',
    `query ListInfrastructures($status: ResourceStatus, $limit: Int) { listInfrastructures(status: $status, limit: $limit) ${s.infrastructure} }`,
  ),
  computeResources: op(
    'query',
    'computeResources',
    `query ComputeResources($infrastructureId: ID, $limit: Int) { computeResources(infrastructureId: $infrastructureId, limit: $limit) ${s.compute} }`,
  ),
  deployments: op(
    'query',
    'deployments',
    `query Deployments($infrastructureId: ID, $limit: Int) { deployments(infrastructureId: $infrastructureId, limit: $limit) ${s.deployment} }`,
  ),
  predictions: op(
    'query',
    'predictions',
    `query Predictions($resourceId: ID, $limit: Int) { predictions(resourceId: $resourceId, limit: $limit) ${s.prediction} }`,
  ),
  anomalies: op(
    'query',
    'anomalies',
    `query Anomalies($resourceId: ID, $limit: Int) { anomalies(resourceId: $resourceId, limit: $limit) ${s.anomalyEvent} }`,
  ),
  metrics: op(
    'query',
    'metrics',
    `query Metrics($resourceId: ID!, $metric: String!, $from: Float, $to: Float, $limit: Int) { metrics(resourceId: $resourceId, metric: $metric, from: $from, to: $to, limit: $limit) ${s.metric} }`,
  ),
  remediationHistory: op(
    'query',
    'remediationHistory',
    `query RemediationHistory($resourceId: ID, $limit: Int) { remediationHistory(resourceId: $resourceId, limit: $limit) ${s.remediationRecord} }`,
  ),
  createInfrastructure: op(
    'mutation',
    'createInfrastructure',
    `mutation CreateInfrastructure($input: CreateInfrastructureInput!) { createInfrastructure(input: $input) ${s.infrastructureDetail} }`,
  ),
  deleteInfrastructure: op(
    'mutation',
    'deleteInfrastructure',
    `mutation DeleteInfrastructure($id: ID!) { deleteInfrastructure(id: $id) }`,
  ),
  scaleDeployment: op(
    'mutation',
    'scaleDeployment',
    `mutation ScaleDeployment($input: ScaleDeploymentInput!) { scaleDeployment(input: $input) ${s.scaleResult} }`,
  ),
  requestPrediction: op(
    'mutation',
    'requestPrediction',
    `mutation RequestPrediction($input: PredictionRequestInput!) { requestPrediction(input: $input) ${s.prediction} }`,
  ),
  ingestMetrics: op(
    'mutation',
    'ingestMetrics',
    `mutation IngestMetrics($samples: [MetricSampleInput!]!) { ingestMetrics(samples: $samples) ${s.ingestResult} }`,
  ),
  infrastructureStatus: op(
    'subscription',
    'infrastructureStatus',
    `subscription InfrastructureStatus($resourceId: ID) { infrastructureStatus(resourceId: $resourceId) ${s.statusChange} }`,
  ),
  anomalyAlerts: op(
    'subscription',
    'anomalyAlerts',
    `subscription AnomalyAlerts($resourceId: ID, $minSeverity: Severity) { anomalyAlerts(resourceId: $resourceId, minSeverity: $minSeverity) ${s.anomalyEvent} }`,
  ),
  metricsStream: op(
    'subscription',
    'metricsStream',
    `subscription MetricsStream($resourceId: ID, $metric: String) { metricsStream(resourceId: $resourceId, metric: $metric) ${s.metric} }`,
  ),
} as const satisfies Record<string, OperationDefinition>;

/** Name of a client operation. */
export type OperationName = keyof typeof operations;
