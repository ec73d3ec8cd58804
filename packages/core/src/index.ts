// Errors
export * from './errors/index.js';

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
} from './schemas/common.js';
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
export {
  noopLogger,
  systemClock,
  type CallOptions,
  type Clock,
  type ComponentHealth,
  type Logger,
} from './spec/common.js';
export { adaptLogger, type LoggerCallShape, type LoggerLike } from './spec/adapt-logger.js';
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
} from './spec/storage.js';
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
} from './spec/transport.js';
export type { ModelRuntime, ModelSession, TensorData, TensorType } from './spec/model-runtime.js';
export type { Analyzer, AnalyzerContext, AnalyzerFinding, AnalyzerStateParts } from './spec/analyzer.js';
export type { FindingHandler, FindingHandlerContext } from './spec/finding-handler.js';
export { noopMetrics, type EngineMetrics } from './metrics/engine-metrics.js';

// Built-in adapters
export {
  MemoryStorage,
  createMemoryStore,
  type MemoryStorageOptions,
  type MemoryStateParts,
  type MemoryStore,
} from './storage/memory-storage.js';
export { InProcessTransport, type InProcessTransportOptions } from './transport/in-process-transport.js';

// Engine
export { Engine, createEngine } from './engine/engine.js';
export type {
  EngineErrorContext,
  EngineEvents,
  EngineHealth,
  EngineStats,
  IngestResult,
} from './engine/engine-types.js';
export { EngineOptionsSchema, type EngineOptions } from './engine/engine-options.js';
export { randomId } from './util/random-id.js';
export type {
  RemediationActionDefinition,
  RemediationContext,
  RemediationPlugin,
  RollbackReport,
  VerificationResult,
} from './spec/remediation-plugin.js';

// Anomaly detection
export {
  AnomalyDetector,
  AnomalyDetectorOptionsSchema,
  anomalySeverity,
  ensembleStrategy,
  robustZScoreStrategy,
  zScoreStrategy,
  type AnomalyDetectorOptions,
  type AnomalyDetectorStats,
  type DetectorStrategy,
  type EnsembleOptions,
  type EnsembleState,
  type MetricContribution,
  type ResolvedAnomalyDetectorOptions,
  type ResourceScore,
  type RobustZScoreOptions,
  type SampleOutcome,
  type SkipReason,
  type ZScoreOptions,
} from './anomaly/index.js';

// Capacity forecasting
export {
  CapacityForecaster,
  CapacityForecasterOptionsSchema,
  ForecastOptionsSchema,
  ForecastTargetSchema,
  MINIMUM_HISTORY,
  builtInMethods,
  defaultMethodNames,
  findExhaustion,
  forecastSeries,
  type AugursModel,
  type AugursRuntime,
  type CandidateScore,
  type CapacityForecasterOptions,
  type CapacityForecasterOptionsInput,
  type Exhaustion,
  type ForecastDependencies,
  type ForecastMethod,
  type ForecastMethodContext,
  type ForecastOptions,
  type ForecastOptionsInput,
  type ForecastResult,
  type ForecastTarget,
  type ForecastTargetInput,
} from './forecast/index.js';

// Remediation: the Remediator, policies, guards, learner, hash-chained history, webhook plugin
export { defineRemediationAction } from './spec/remediation-plugin.js';
export {
  GuardsConfigSchema,
  LearnerConfigSchema,
  PolicyMatchSchema,
  RemediationGuards,
  RemediationPluginShapeSchema,
  RemediationPolicySchema,
  Remediator,
  VerifyConfigSchema,
  WebhookEndpointSchema,
  createRemediator,
  createWebhookPlugin,
  findingMetric,
  generateHistorySigningKeys,
  hashHistoryRecord,
  policyMatches,
  verifyHistoryRecords,
  type ApprovalCallback,
  type ApprovalRequest,
  type GuardDecision,
  type GuardName,
  type GuardsConfig,
  type GuardsConfigInput,
  type HistorySigningKeys,
  type HistoryVerification,
  type LearnerConfig,
  type LearnerConfigInput,
  type ManualExecuteOptions,
  type RemediationEscalation,
  type RemediationHistoryQuery,
  type RemediationPolicy,
  type RemediationPolicyInput,
  type RemediatorEvents,
  type RemediatorOptions,
  type RemediatorStats,
  type VerifyConfig,
  type WebhookEndpointInput,
  type WebhookPluginOptions,
} from './remediation/index.js';

// Optimization: ResourceOptimizer (right-sizing), PerformanceOptimizer (online knob tuning)
export {
  ALLOCATION_LABELS,
  KnobSchema,
  PerformanceOptimizer,
  PerformanceOptimizerOptionsSchema,
  ResourceAllocationSchema,
  ResourceOptimizer,
  ResourceOptimizerOptionsSchema,
  allocationFromResource,
  createSimulatedService,
  type Knob,
  type KnobConfiguration,
  type KnobInput,
  type TuningObservation,
  type PerformanceOptimizerOptions,
  type PerformanceOptimizerOptionsInput,
  type Recommendation,
  type RecommendedAmount,
  type ResourceAllocation,
  type ResourceAllocationInput,
  type ResourceOptimizerOptions,
  type ResourceOptimizerOptionsInput,
  type ResourceOptimizerStats,
  type SimulatedService,
  type SimulatedServiceOptions,
  type TuningSuggestion,
  type TuningSuggestionReason,
} from './optimization/index.js';

// Cost: CostPredictor (spend forecasts, budgets, cost anomalies, right-sizing savings)
export {
  BudgetSchema,
  CostPredictor,
  CostPredictorOptionsSchema,
  CostScopeSchema,
  CostSeries,
  HOURS_PER_MONTH,
  UnitPricesSchema,
  budgetStatus,
  estimateSavings,
  type Budget,
  type BudgetInput,
  type BudgetStatus,
  type CostForecast,
  type CostPredictorDependencies,
  type CostPredictorOptions,
  type CostPredictorOptionsInput,
  type CostScope,
  type SavingsEstimate,
  type UnitPrices,
  type WorkloadSavings,
} from './cost/index.js';
export { storageInput } from './storage/storage-input.js';

// Logs: header formats, streaming template mining, log anomalies
export {
  LOGHUB_LOG_FORMATS,
  LOG_FINDING_TOPIC,
  LogAnomalyDetector,
  LogAnomalyDetectorOptionsSchema,
  LogFormat,
  LogTemplateMiner,
  LogTemplateMinerOptionsSchema,
  WILDCARD,
  loghubSystem,
  maskWord,
  splitWords,
  type LogAnomalyDetectorDependencies,
  type LogAnomalyDetectorOptions,
  type LogAnomalyDetectorOptionsInput,
  type LogFindingClassifier,
  type LogFindingType,
  type LogTemplate,
  type LogTemplateMatch,
  type LogTemplateMinerOptions,
  type LogTemplateMinerSnapshot,
  type LoghubSystem,
  type ParsedLogLine,
} from './logs/index.js';

// Root-cause analysis: RootCauseAnalyzer over a service graph, graph builders, PetShop format
export {
  RootCauseAnalyzer,
  RootCauseAnalyzerOptionsSchema,
  ROOT_CAUSE_METHODS,
  createServiceGraph,
  defaultDirection,
  metricFamily,
  parsePetshopGraph,
  parsePetshopMetrics,
  pooledBaseline,
  reachableCallees,
  serviceGraphFromInventory,
  serviceGraphFromSpans,
  type CallEdge,
  type IncidentWindow,
  type MetricChange,
  type MetricDirection,
  type NodeMetrics,
  type PetshopMetrics,
  type RootCauseAnalyzerOptions,
  type RootCauseAnalyzerOptionsInput,
  type RootCauseCandidate,
  type RootCauseInput,
  type RootCauseMethod,
  type RootCauseResult,
  type RootCauseTarget,
  type ServiceGraph,
  type SpanLike,
} from './rca/index.js';
export { linkRootCause, type RootCauseLinkOptions } from './engine/root-cause-link.js';
