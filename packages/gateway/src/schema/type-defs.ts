/**
 * The gateway's GraphQL schema (SDL). Times are epoch milliseconds (`Float`, because they exceed 32-bit
 * `Int`); `JSON` carries free-form objects such as labels and provider specs.
 */
export const typeDefs = /* GraphQL */ `
  "Free-form JSON value (labels, provider specs, action parameters)."
  scalar JSON

  enum ResourceStatus {
    pending
    provisioning
    running
    degraded
    stopped
    failed
    deleted
  }
  enum Severity {
    info
    low
    medium
    high
    critical
  }
  enum FindingKind {
    anomaly
    prediction
    threat
    forecast
    insight
    root_cause
  }
  enum RemediationOutcome {
    succeeded
    failed
    rolled_back
    dry_run
    rejected
    skipped
    escalated
  }

  "A piece of infrastructure managed as code: a VPC, a cluster, a database..."
  type Infrastructure {
    id: ID!
    name: String!
    provider: String!
    region: String
    status: ResourceStatus!
    labels: JSON!
    spec: JSON!
    createdAt: Float
    updatedAt: Float
    compute: [Compute!]!
    deployments: [Deployment!]!
  }

  "A compute unit: a VM, a node, a container host."
  type Compute {
    id: ID!
    name: String!
    infrastructureId: ID
    infrastructure: Infrastructure
    status: ResourceStatus!
    labels: JSON!
    "CPU cores."
    cpu: Float!
    "Memory in MiB."
    memoryMiB: Float!
    "Disk in GiB."
    diskGiB: Float
    createdAt: Float
    updatedAt: Float
  }

  "A workload with a replica count; its replicas are run by the gateway's infrastructure provider."
  type Deployment {
    id: ID!
    name: String!
    infrastructureId: ID
    infrastructure: Infrastructure
    image: String
    status: ResourceStatus!
    labels: JSON!
    "Desired replicas."
    replicas: Int!
    "Replicas currently running."
    readyReplicas: Int!
    "Process ids of the running replicas, as reported by the provider (empty when not known)."
    pids: [Int!]!
    createdAt: Float
    updatedAt: Float
  }

  "One stored point of a metric series."
  type Metric {
    resourceId: ID!
    metric: String!
    timestamp: Float!
    value: Float!
  }

  type Factor {
    feature: String!
    weight: Float!
  }

  "A finding about the future (failure prediction, capacity forecast) or any other finding asked for."
  type Prediction {
    id: ID!
    resourceId: ID!
    kind: FindingKind!
    analyzer: String!
    severity: Severity!
    "Strength in [0, 1]."
    score: Float!
    summary: String!
    timestamp: Float!
    series: String
    probability: Float
    horizon: Float
    timeToFailure: Float
    threshold: Float
    exhaustionAt: Float
    exhaustionUpperAt: Float
    level: Float
    method: String
    model: String
    topFactors: [Factor!]!
    "The forecast path, on the answer to requestPrediction when the provider made one (null when listed)."
    forecast: [ForecastPoint!]
  }

  "One forecast step."
  type ForecastPoint {
    timestamp: Float!
    value: Float!
    lower: Float!
    upper: Float!
  }

  "An anomaly found by the engine."
  type AnomalyEvent {
    id: ID!
    resourceId: ID!
    series: String
    analyzer: String!
    severity: Severity!
    score: Float!
    summary: String!
    timestamp: Float!
    value: Float
    expected: Float
  }

  type ActionRef {
    plugin: String!
    action: String!
    params: JSON!
  }

  "The result of one remediation attempt."
  type RemediationResult {
    id: ID!
    resourceId: ID!
    findingId: String!
    action: ActionRef
    outcome: RemediationOutcome!
    reason: String
    startedAt: Float!
    finishedAt: Float!
  }

  "One append-only record of the remediation history (audit hash chain)."
  type RemediationRecord {
    seq: Int!
    id: ID!
    timestamp: Float!
    type: String!
    remediationId: String!
    resourceId: ID!
    outcome: RemediationOutcome
    data: JSON!
    prevHash: String!
    hash: String!
  }

  type ScaleResult {
    remediation: RemediationResult!
    deployment: Deployment!
  }

  type IngestResult {
    accepted: Int!
    rejected: Int!
    errors: [String!]!
  }

  "A resource changed status (created, deleted, scaled...)."
  type StatusChange {
    resourceId: ID!
    resourceType: String!
    status: ResourceStatus!
    previousStatus: ResourceStatus
    replicas: Int
    readyReplicas: Int
    timestamp: Float!
  }

  input ComputeInput {
    id: ID!
    name: String!
    cpu: Float!
    memoryMiB: Float!
    diskGiB: Float
    labels: JSON
  }

  input DeploymentInput {
    id: ID!
    name: String!
    image: String
    replicas: Int!
    labels: JSON
  }

  input CreateInfrastructureInput {
    id: ID!
    name: String!
    provider: String
    region: String
    labels: JSON
    spec: JSON
    compute: [ComputeInput!]
    "Deployments are created with their replicas started by the infrastructure provider."
    deployments: [DeploymentInput!]
  }

  input ScaleDeploymentInput {
    deploymentId: ID!
    replicas: Int!
    reason: String
  }

  input PredictionRequestInput {
    resourceId: ID!
    "Metric to predict on; the provider picks one when omitted."
    metric: String
    "How far ahead, in steps of the series."
    horizon: Int
    "Name of a registered analyzer to use instead of the provider's choice."
    analyzer: String
    "A limit to forecast against (e.g. disk bytes); the default provider uses the highest value seen when absent."
    threshold: Float
  }

  input MetricSampleInput {
    resourceId: ID!
    metric: String!
    value: Float!
    timestamp: Float
    labels: JSON
  }

  type Query {
    infrastructure(id: ID!): Infrastructure
    listInfrastructures(status: ResourceStatus, limit: Int = 100): [Infrastructure!]!
    computeResources(infrastructureId: ID, limit: Int = 100): [Compute!]!
    deployments(infrastructureId: ID, limit: Int = 100): [Deployment!]!
    predictions(resourceId: ID, limit: Int = 100): [Prediction!]!
    anomalies(resourceId: ID, limit: Int = 100): [AnomalyEvent!]!
    metrics(resourceId: ID!, metric: String!, from: Float, to: Float, limit: Int = 1000): [Metric!]!
    "The newest \`limit\` history records (in seq order); page back with \`beforeSeq\` = the first seq returned."
    remediationHistory(resourceId: ID, limit: Int = 100, beforeSeq: Int): [RemediationRecord!]!
  }

  type Mutation {
    createInfrastructure(input: CreateInfrastructureInput!): Infrastructure!
    "Deletes an infrastructure with its compute and deployments (their replicas are stopped first)."
    deleteInfrastructure(id: ID!): Boolean!
    "Scales a deployment through the remediator (same guards and audit history as automatic actions)."
    scaleDeployment(input: ScaleDeploymentInput!): ScaleResult!
    requestPrediction(input: PredictionRequestInput!): Prediction!
    ingestMetrics(samples: [MetricSampleInput!]!): IngestResult!
  }

  type Subscription {
    infrastructureStatus(resourceId: ID): StatusChange!
    anomalyAlerts(resourceId: ID, minSeverity: Severity): AnomalyEvent!
    metricsStream(resourceId: ID, metric: String): Metric!
  }
`;
