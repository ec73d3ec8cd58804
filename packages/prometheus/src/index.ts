// Pull: PromQL through the Prometheus HTTP API
export {
  createPrometheusSource,
  PrometheusSourceOptionsSchema,
  type PrometheusSource,
  type PrometheusSourceOptions,
  type PrometheusSourceStats,
} from './prometheus-source.js';
export { PrometheusApi, MAX_POINTS_PER_QUERY, type PrometheusApiOptions, type RangeSeries } from './prometheus-api.js';
export { nodeExporterPack, kubernetesPack, type PrometheusQuery, type QueryPackOptions } from './query-packs.js';

// Push: Prometheus remote-write 1.0
export {
  createRemoteWriteHandler,
  RemoteWriteOptionsSchema,
  type RemoteWriteHandler,
  type RemoteWriteHandlerOptions,
  type RemoteWriteStats,
} from './remote-write-handler.js';
export type { DecodeCounters } from './remote-write.js';
export { encodeWriteRequest, type WriteRequestSeries } from './remote-write-encoder.js';

// Push: OTLP/HTTP metrics
export {
  createOtlpMetricsHandler,
  type OtlpMetricsHandler,
  type OtlpMetricsHandlerOptions,
  type OtlpMetricsStats,
} from './otlp-metrics-handler.js';

// Self-telemetry (optional @opentelemetry/api)
export { createSelfTelemetry, loadSelfTelemetry, type SelfTelemetry } from './self-telemetry.js';

// Shared
export {
  SeriesMappingSchema,
  mapSeries,
  type MappedSeries,
  type SeriesMapping,
  type SeriesMappingInput,
} from './series-mapping.js';
export { SeriesLimiter, type SeriesDropReason } from './series-limiter.js';
export { parseDuration, DurationSchema } from './duration.js';
export type { RecordSink } from './record-sink.js';
export {
  PushRequestError,
  PrometheusApiError,
  NotificationError,
  type PushErrorReason,
  type PrometheusErrorKind,
} from './errors.js';

// Findings back into Prometheus
export { createFindingsMetrics, type FindingsMetrics, type FindingsMetricsOptions } from './findings-metrics.js';
export { alertingRules, type AlertingRulesOptions } from './alerting-rules.js';
export { grafanaDashboard, type GrafanaDashboard, type GrafanaPanel } from './grafana-dashboard.js';

// Alert routing (finding handlers)
export {
  createAlertmanagerHandler,
  type AlertmanagerAlert,
  type AlertmanagerHandler,
  type AlertmanagerHandlerOptions,
} from './alertmanager-handler.js';
export {
  createSlackHandler,
  type NotifierStats,
  type SlackHandler,
  type SlackHandlerOptions,
  type SlackRoute,
} from './slack-handler.js';
export {
  createPagerDutyHandler,
  type PagerDutyHandler,
  type PagerDutyHandlerOptions,
  type PagerDutyRoute,
} from './pagerduty-handler.js';
export type { FindingMatch } from './notification-policy.js';
