/**
 * The contracts of the SDK and the little plumbing every adapter shares, without the engine or any analyzer:
 * typed errors, the domain schemas, the adapter interfaces (`Storage`, `Transport`, `ModelRuntime`,
 * `Analyzer`, `FindingHandler`, `RemediationPlugin`), storage input checks, clock, logger, ids, the retry
 * helper and canonical JSON. Storage, transport, model and plugin packages import from
 * `@iac-dharma/core/kernel`, so installing an adapter never loads the analytics. Every name here is the same
 * object as the one exported by `@iac-dharma/core` (or, for retry and canonical JSON,
 * `@iac-dharma/core/internal`).
 *
 * @module kernel
 */

// Errors
export * from '../errors/index.js';

// Domain schemas and their types
export {
  AttributesSchema,
  IdSchema,
  LabelsSchema,
  MAX_TIMESTAMP,
  MAX_VALUE_MAGNITUDE,
  MIN_TIMESTAMP,
  MeasuredValueSchema,
  ScalarSchema,
  SEVERITY_ORDER,
  SeveritySchema,
  TimestampSchema,
  compareSeverity,
  type Severity,
} from '../schemas/common.js';
export {
  EventRecordSchema,
  IngestRecordSchema,
  LogLevelSchema,
  LogRecordSchema,
  MetricSampleSchema,
  SeriesPointSchema,
  migrateLegacySeriesKey,
  parseSeriesKey,
  seriesKey,
  type EventRecord,
  type EventRecordInput,
  type IngestRecord,
  type IngestRecordInput,
  type LogRecord,
  type LogRecordInput,
  type MetricSample,
  type MetricSampleInput,
  type SeriesPoint,
} from '../schemas/records.js';
export {
  ComputeSchema,
  DeploymentSchema,
  InfrastructureSchema,
  ResourceSchema,
  ResourceStatusSchema,
  type Compute,
  type Deployment,
  type Infrastructure,
  type Resource,
  type ResourceInput,
  type ResourceStatus,
  type ResourceType,
} from '../schemas/resource.js';
export {
  AnomalyFindingSchema,
  FindingSchema,
  ForecastFindingSchema,
  InsightFindingSchema,
  PredictionFindingSchema,
  RootCauseFindingSchema,
  ThreatCategorySchema,
  ThreatFindingSchema,
  type AnomalyFinding,
  type Finding,
  type FindingInput,
  type FindingKind,
  type ForecastFinding,
  type InsightFinding,
  type PredictionFinding,
  type RootCauseFinding,
  type ThreatCategory,
  type ThreatFinding,
} from '../schemas/finding.js';
export {
  ActionRefSchema,
  HistoryRecordSchema,
  RemediationOutcomeSchema,
  RemediationPlanSchema,
  RemediationResultSchema,
  RiskLevelSchema,
  type ActionRef,
  type HistoryRecord,
  type RemediationOutcome,
  type RemediationPlan,
  type RemediationResult,
  type RiskLevel,
} from '../schemas/remediation.js';

// Adapter interfaces (contracts)
export {
  noopLogger,
  systemClock,
  type CallOptions,
  type Clock,
  type ComponentHealth,
  type Logger,
} from '../spec/common.js';
export { adaptLogger, type LoggerCallShape, type LoggerLike } from '../spec/adapt-logger.js';
export type {
  FindingQuery,
  HistoryQuery,
  PointRangeQuery,
  ResourceQuery,
  StatePart,
  StatePartsWrite,
  StatePartsWriteResult,
  Storage,
  StoredStateParts,
} from '../spec/storage.js';
export {
  DEAD_LETTER_TOPIC,
  INPUT_TOPICS,
  TOPICS,
  type IncomingMessage,
  type MessageBatch,
  type MessageBatchHandler,
  type MessageHandler,
  type OutgoingMessage,
  type Subscription,
  type Topic,
  type Transport,
} from '../spec/transport.js';
export type { ModelRuntime, ModelSession, TensorData, TensorType } from '../spec/model-runtime.js';
export type { Analyzer, AnalyzerContext, AnalyzerFinding, AnalyzerStateParts } from '../spec/analyzer.js';
export type { FindingHandler, FindingHandlerContext } from '../spec/finding-handler.js';
export type { LogFindingClassifier } from '../spec/log-finding-classifier.js';
export {
  defineRemediationAction,
  type RemediationActionDefinition,
  type RemediationContext,
  type RemediationPlugin,
  type RollbackReport,
  type VerificationResult,
} from '../spec/remediation-plugin.js';
export { noopMetrics, type EngineMetrics } from '../metrics/engine-metrics.js';

// Plumbing adapters share: storage input checks, ids, retry with backoff, canonical JSON
export { storageInput } from '../storage/storage-input.js';
export { randomId } from '../util/random-id.js';
export {
  BackoffOptionsSchema,
  backoffDelay,
  parseRetryAfter,
  retry,
  type BackoffOptionsInput,
  type ResolvedBackoffOptions,
  type RetryDecision,
  type RetryHelperOptions,
} from '../util/retry.js';
export { canonicalJson } from '../remediation/canonical-json.js';
