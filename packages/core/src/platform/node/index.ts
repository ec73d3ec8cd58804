export { createPrometheusMetrics, type PrometheusMetrics, type PrometheusMetricsOptions } from './prometheus-metrics.js';
