// Errors
export * from './errors/index.js';

// Domain schemas and their types
export {
  AttributesSchema,
  IdSchema,
  LabelsSchema,
  ScalarSchema,
  SEVERITY_ORDER,
  SeveritySchema,
  TimestampSchema,
  compareSeverity,
  type Severity,
} from './schemas/common.js';
export {
  EventRecordSchema,
  IngestRecordSchema,
  LogLevelSchema,
  LogRecordSchema,
  MetricSampleSchema,
  SeriesPointSchema,
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
} from './schemas/records.js';
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
} from './schemas/resource.js';
export {
  AnomalyFindingSchema,
  FindingSchema,
  ForecastFindingSchema,
  InsightFindingSchema,
  PredictionFindingSchema,
  ThreatCategorySchema,
  ThreatFindingSchema,
  type AnomalyFinding,
  type Finding,
  type FindingInput,
  type FindingKind,
  type ForecastFinding,
  type InsightFinding,
  type PredictionFinding,
  type ThreatCategory,
  type ThreatFinding,
} from './schemas/finding.js';
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
} from './schemas/remediation.js';

// Adapter interfaces
export { noopLogger, systemClock, type CallOptions, type Clock, type ComponentHealth, type Logger } from './spec/common.js';
export type { FindingQuery, HistoryQuery, PointRangeQuery, ResourceQuery, Storage } from './spec/storage.js';
export { TOPICS, type IncomingMessage, type MessageHandler, type OutgoingMessage, type Subscription, type Topic, type Transport } from './spec/transport.js';
export type { ModelRuntime, ModelSession, TensorData, TensorType } from './spec/model-runtime.js';
export type { Analyzer, AnalyzerContext, AnalyzerFinding } from './spec/analyzer.js';
export type { FindingHandler, FindingHandlerContext } from './spec/finding-handler.js';
export { noopMetrics, type EngineMetrics } from './metrics/engine-metrics.js';

// Built-in adapters
export { MemoryStorage, createMemoryStorage, createMemoryStore, type MemoryStorageOptions, type MemoryStore } from './storage/memory-storage.js';
export { InProcessTransport, createInProcessTransport, type InProcessTransportOptions } from './transport/in-process-transport.js';

// Engine
export { Engine, createEngine } from './engine/engine.js';
export type { EngineErrorContext, EngineEvents, EngineHealth, EngineOptions, EngineStats, IngestResult } from './engine/engine-types.js';
export { randomId } from './util/random-id.js';
export type { RemediationActionDefinition, RemediationContext, RemediationPlugin, VerificationResult } from './spec/remediation-plugin.js';
