export { canonicalJson, describeNonJson } from './canonical-json.js';
export { CircuitBreaker, type CircuitState } from './circuit-breaker.js';
export { GuardsConfigSchema, type GuardsConfig, type GuardsConfigInput } from './guards-config.js';
export { HistoryChain, type HistoryEntry } from './history-chain.js';
export {
  generateHistorySigningKeys,
  sha256Hex,
  signHash,
  verifyHashSignature,
  type HistorySigningKeys,
} from './history-crypto.js';
export { PluginRegistry, RemediationPluginShapeSchema, actionKey } from './plugin-registry.js';
export { RemediationGuards, type GuardDecision, type GuardName, type GuardedExecution } from './remediation-guards.js';
export {
  PolicyMatchSchema,
  RemediationPolicySchema,
  VerifyConfigSchema,
  findingMetric,
  incidentSignature,
  policyMatches,
  type RemediationPolicy,
  type RemediationPolicyInput,
  type VerifyConfig,
} from './remediation-policy.js';
export { Remediator, createRemediator } from './remediator.js';
export type {
  ApprovalCallback,
  ApprovalRequest,
  ManualExecuteOptions,
  RemediationEscalation,
  RemediationHistoryQuery,
  RemediatorEvents,
  RemediatorOptions,
  RemediatorStats,
} from './remediator-types.js';
export { runIsolated, type IsolatedResult } from './run-isolated.js';
export {
  LearnerConfigSchema,
  ThompsonSamplingLearner,
  sampleBeta,
  type LearnerConfig,
  type LearnerConfigInput,
  type RankedAction,
} from './thompson-sampling-learner.js';
export { healthPredicate, verifyRemediation, type VerifyRemediationOptions } from './verify-remediation.js';
export {
  hashHistoryRecord,
  verifyHistoryRecords,
  type HistoryVerification,
  type VerifyHistoryRecordsOptions,
} from './verify-history-records.js';
export {
  WebhookEndpointSchema,
  createWebhookPlugin,
  type WebhookEndpointInput,
  type WebhookPluginOptions,
} from './webhook-plugin.js';
