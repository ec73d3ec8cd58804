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
  z.discriminatedUnion('kind', [
    MetricSampleSchema.extend({ kind: z.literal('metric') }),
    EventRecordSchema,
    LogRecordSchema,
  ]),
);
export type IngestRecordInput = MetricSampleInput | EventRecordInput | LogRecordInput;
export type IngestRecord = MetricSample | EventRecord | LogRecord;

/** A stored point of a series: the series key is {@link seriesKey}`({ resource, metric })`. */
export const SeriesPointSchema = z.object({
  series: z.string().min(1),
  timestamp: z.number().finite(),
  value: z.number().finite(),
});
export type SeriesPoint = z.infer<typeof SeriesPointSchema>;

/** `%` and `/` inside a resource or metric are percent-encoded, so the one `/` of a key separates them. */
function encodeSeriesPart(part: string): string {
  return part.includes('%') || part.includes('/') ? part.replaceAll('%', '%25').replaceAll('/', '%2F') : part;
}

function decodeSeriesPart(part: string): string {
  return part.includes('%') ? part.replace(/%2F|%25/g, (escape) => (escape === '%2F' ? '/' : '%')) : part;
}

/**
 * The key of the series a metric sample belongs to: `resource/metric`, with `%` and `/` inside either part
 * percent-encoded (`%25`, `%2F`), so no two (resource, metric) pairs share a key: `web/1` + `cpu` is
 * `web%2F1/cpu`, `web` + `1/cpu` is `web/1%2Fcpu`. Ids without `/` or `%` keep the plain form `web-1/cpu`.
 * Every package builds keys with this function (stores written before 0.2 are migrated by the adapters).
 */
export function seriesKey(sample: { resource: string; metric: string }): string {
  return `${encodeSeriesPart(sample.resource)}/${encodeSeriesPart(sample.metric)}`;
}

/** The resource and metric of a {@link seriesKey}; `undefined` for a string that is not one. */
export function parseSeriesKey(key: string): { resource: string; metric: string } | undefined {
  const parts = key.split('/');
  if (parts.length !== 2) return undefined;
  return { resource: decodeSeriesPart(parts[0]!), metric: decodeSeriesPart(parts[1]!) };
}

/**
 * Re-encodes a series key written by the old `resource/metric` scheme, reading its last `/` as the separator
 * (metric names rarely hold a `/`; resource ids such as `namespace/pod` often do). Used by the storage
 * migrations; a key that is already unambiguous (one `/`, no `%`) comes back unchanged.
 */
export function migrateLegacySeriesKey(key: string): string {
  const separator = key.lastIndexOf('/');
  if (separator < 0) return key;
  return seriesKey({ resource: key.slice(0, separator), metric: key.slice(separator + 1) });
}
