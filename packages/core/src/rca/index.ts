export {
  RootCauseAnalyzer,
  type RootCauseCandidate,
  type RootCauseInput,
  type RootCauseResult,
} from './root-cause-analyzer.js';
export {
  ROOT_CAUSE_METHODS,
  RootCauseAnalyzerOptionsSchema,
  type RootCauseAnalyzerOptions,
  type RootCauseAnalyzerOptionsInput,
  type RootCauseMethod,
} from './root-cause-options.js';
export type { RootCauseTarget } from './anomaly-context.js';
export {
  defaultDirection,
  metricFamily,
  type MetricChange,
  type MetricDirection,
  type NodeMetrics,
} from './metric-change.js';
export {
  createServiceGraph,
  reachableCallees,
  serviceGraphFromInventory,
  serviceGraphFromSpans,
  type CallEdge,
  type ServiceGraph,
  type SpanLike,
} from './service-graph.js';
export { parsePetshopGraph, parsePetshopMetrics, type PetshopMetrics } from './petshop-format.js';
export { pooledBaseline, type IncidentWindow } from './pooled-baseline.js';
