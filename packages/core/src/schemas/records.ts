import { z } from 'zod';
import { AttributesSchema, IdSchema, LabelsSchema, MeasuredValueSchema, TimestampSchema } from './common.js';

/**
 * One measurement of one metric of one resource, e.g. `{ resource: 'web-1', metric: 'cpu', value: 0.93 }`.
 * `kind` may be omitted on input: records without a kind are metric samples.
 */
export const MetricSampleSchema = z.object({
  kind: z.literal('metric').default('metric'),
  /** The resource the metric belongs to (host, pod, service, disk...). */
  resource: IdSchema,
  /** Metric name, e.g. `cpu_utilization`, `disk_used_bytes`. */
  metric: IdSchema,
  /** The measured value: a finite number of magnitude at most 1e18 (NaN, ±Infinity and 1e308-scale values are rejected). */
  value: MeasuredValueSchema,
  /** When the value was measured (epoch ms or ISO string). Defaults to the engine clock's now. */
  timestamp: TimestampSchema.optional(),
  labels: LabelsSchema.optional(),
});
export type MetricSampleInput = z.input<typeof MetricSampleSchema>;
export type MetricSample = z.output<typeof MetricSampleSchema> & { timestamp: number };

/**
 * A discrete event: a network connection, a deploy, an OOM kill, a restart, a security alert...
 * `type` says which; `attributes` carries its fields (e.g. the NSL-KDD connection fields for `connection`).
 */
export const EventRecordSchema = z.object({
  kind: z.literal('event'),
  /** Event type, e.g. `connection`, `deploy`, `oom`, `restart`, `login_failed`. */
  type: IdSchema,
  resource: IdSchema,
  timestamp: TimestampSchema.optional(),
  attributes: AttributesSchema.default({}),
  labels: LabelsSchema.optional(),
});
export type EventRecordInput = z.input<typeof EventRecordSchema>;
export type EventRecord = z.output<typeof EventRecordSchema> & { timestamp: number };

/** Log levels, from least to most severe. */
export const LogLevelSchema = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']);

/** One log line of a resource. */
export const LogRecordSchema = z.object({
  kind: z.literal('log'),
  resource: IdSchema,
  timestamp: TimestampSchema.optional(),
  level: LogLevelSchema.default('info'),
  message: z.string().max(65_536),
  attributes: AttributesSchema.optional(),
  labels: LabelsSchema.optional(),
});
export type LogRecordInput = z.input<typeof LogRecordSchema>;
export type LogRecord = z.output<typeof LogRecordSchema> & { timestamp: number };

/** Anything `engine.ingest()` accepts: a metric sample (the default when `kind` is absent), an event or a log record. */
export const IngestRecordSchema = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && !Array.isArray(value) && !('kind' in value)
      ? { ...value, kind: 'metric' }
      : value,
  z.discriminatedUnion('kind', [MetricSampleSchema.extend({ kind: z.literal('metric') }), EventRecordSchema, LogRecordSchema]),
);
export type IngestRecordInput = MetricSampleInput | EventRecordInput | LogRecordInput;
export type IngestRecord = MetricSample | EventRecord | LogRecord;

/** A stored point of a series: the series key is `resource/metric` (see {@link seriesKey}). */
export const SeriesPointSchema = z.object({
  series: z.string().min(1),
  timestamp: z.number().finite(),
  value: z.number().finite(),
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

/** The key of the series a metric sample belongs to: `resource/metric`. */
export function seriesKey(sample: { resource: string; metric: string }): string {
  return `${sample.resource}/${sample.metric}`;
}
