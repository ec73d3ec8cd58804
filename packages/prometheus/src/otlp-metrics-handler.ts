import type { IncomingMessage, ServerResponse } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { noopLogger, type Logger, type MetricSampleInput } from '@iac-dharma/core/kernel';
import { PushRequestError } from './errors.js';
import { answer, mediaType, readBody } from './http-body.js';
import {
  decodeOtlpJson,
  decodeOtlpProtobuf,
  ProtobufDecodeError,
  type OtlpMetric,
  type OtlpPoint,
  type OtlpResourceMetrics,
} from './otlp-decode.js';
import { ProtobufWriter } from './protobuf-reader.js';
import type { RecordSink } from './record-sink.js';
import { SeriesLimiter } from './series-limiter.js';

/** Options of {@link createOtlpMetricsHandler}. */
export interface OtlpMetricsHandlerOptions {
  /** Where records go, e.g. an `Engine`. */
  sink: RecordSink;
  /**
   * The SDK resource of an OTLP resource. @default `service.name`, plus `@<service.instance.id>` (or
   * `@<host.name>`) when present, else `otel`
   */
  resourceOf?: (attributes: Record<string, string>) => string;
  /** Histogram quantiles exported per interval, estimated from the buckets. @default [0.95] */
  quantiles?: number[];
  /** Most distinct series; more are counted and skipped. @default 10000 */
  maxSeries?: number;
  /** Largest body accepted (compressed), bytes. @default 16777216 */
  maxBodyBytes?: number;
  /** Largest decompressed (gzip) body, bytes. @default 67108864 */
  maxDecodedBytes?: number;
  logger?: Logger;
}

/** Counters of an OTLP receiver. */
export interface OtlpMetricsStats {
  requests: number;
  /** Data points received. */
  points: number;
  /** Records delivered. */
  records: number;
  /** Points with NaN/±Infinity values or counts. */
  invalidValues: number;
  /** Points flagged "no recorded value". */
  noValue: number;
  /** Points of metric types not mapped (exponential histograms, summaries, unknown). */
  unsupported: number;
  /** First points of cumulative series and points after a counter reset (no rate yet). */
  baselines: number;
  seriesCapDrops: number;
  collisionDrops: number;
  /** Requests refused, by reason. */
  refused: Record<string, number>;
  series: number;
}

/** An OTLP/HTTP metrics receiver as a Node request handler. */
export interface OtlpMetricsHandler {
  (request: IncomingMessage, response: ServerResponse): void;
  /** Decodes and delivers a request body (protobuf or JSON); resolves the number of rejected points. */
  write(body: Uint8Array, headers: { contentType?: string; contentEncoding?: string }): Promise<number>;
  stats(): OtlpMetricsStats;
}

const defaultResourceOf = (attributes: Record<string, string>) => {
  const service = attributes['service.name'];
  const instance = attributes['service.instance.id'] ?? attributes['host.name'];
  if (!service) return instance ?? 'otel';
  return instance ? `${service}@${instance}` : service;
};

/** Quantile from per-bucket counts, interpolating inside the bucket like PromQL's `histogram_quantile`. @internal */
export function bucketQuantile(quantile: number, bounds: number[], counts: number[]): number {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total <= 0) return Number.NaN;
  const rank = quantile * total;
  let cumulative = 0;
  for (let index = 0; index < counts.length; index++) {
    const previous = cumulative;
    cumulative += counts[index]!;
    if (cumulative >= rank) {
      if (index >= bounds.length) return bounds.at(-1) ?? Number.NaN; // +Inf bucket: its lower bound
      const upper = bounds[index]!;
      const lower = index === 0 ? Math.min(0, upper) : bounds[index - 1]!;
      return counts[index]! === 0 ? upper : lower + (upper - lower) * ((rank - previous) / counts[index]!);
    }
  }
  return bounds.at(-1) ?? Number.NaN;
}

interface Previous {
  time: number;
  start: number;
  value: number;
  count: number;
  sum: number;
  buckets: number[];
  /** Running total of a non-monotonic delta sum. */
  total: number;
}

/**
 * An OTLP/HTTP metrics receiver (`POST /v1/metrics`, `application/x-protobuf` or `application/json`,
 * optionally gzip) turning OpenTelemetry metrics into SDK records. Mapping:
 *
 * - **resource**: `resourceOf(resource attributes)` (default `service.name@service.instance.id`);
 *   **metric**: the instrument name plus the point's attributes in selector form, e.g. `http.server.duration{http.route="/"}`;
 * - **gauge**: the value;
 * - **sum**, monotonic: a per-second rate named `<name>_rate` (cumulative: difference to the previous point,
 *   a counter reset starts over; delta: value / interval);
 * - **sum**, not monotonic (up-down counters): the current value (cumulative), or a running total (delta);
 * - **histogram**: per interval (cumulative points are differenced), `<name>_count_rate` (observations/s),
 *   `<name>_mean` (sum/count) and `<name>_p95` (per `quantiles`, interpolated in the buckets);
 * - exponential histograms, summaries and unknown types: counted as `unsupported`, skipped.
 *
 * NaN/±Infinity and "no recorded value" points are counted and skipped and reported back in the OTLP
 * `partial_success`. Malformed bodies get 400, wrong content types 415, oversized bodies 413; a sink failure
 * gets 503 so the exporter retries.
 */
export function createOtlpMetricsHandler(options: OtlpMetricsHandlerOptions): OtlpMetricsHandler {
  const { sink, logger = noopLogger } = options;
  const resourceOf = options.resourceOf ?? defaultResourceOf;
  const quantiles = options.quantiles ?? [0.95];
  const maxBodyBytes = options.maxBodyBytes ?? 16 * 1024 * 1024;
  const maxDecodedBytes = options.maxDecodedBytes ?? 64 * 1024 * 1024;
  const limiter = new SeriesLimiter(options.maxSeries ?? 10_000);
  const previous = new Map<string, Previous>();
  const stats: OtlpMetricsStats = {
    requests: 0,
    points: 0,
    records: 0,
    invalidValues: 0,
    noValue: 0,
    unsupported: 0,
    baselines: 0,
    seriesCapDrops: 0,
    collisionDrops: 0,
    refused: {},
    series: 0,
  };

  const selector = (attributes: Record<string, string>) => {
    const keys = Object.keys(attributes).sort();
    return keys.length === 0 ? '' : `{${keys.map((key) => `${key}=${JSON.stringify(attributes[key])}`).join(',')}}`;
  };

  function mapMetric(resource: string, resourceKey: string, metric: OtlpMetric, out: MetricSampleInput[]): void {
    if (metric.type !== 'gauge' && metric.type !== 'sum' && metric.type !== 'histogram') {
      stats.unsupported += Math.max(1, metric.points.length);
      return;
    }
    for (const point of metric.points) {
      stats.points++;
      if ((point.flags & 1) === 1) {
        stats.noValue++;
        continue;
      }
      const attrs = selector(point.attributes);
      const seriesId = `${resource}/${metric.name}${attrs}`;
      const refusal = limiter.admit(seriesId, `${resourceKey}\u0000${metric.name}\u0000${attrs}`);
      if (refusal !== null) {
        if (refusal === 'collision') stats.collisionDrops++;
        else stats.seriesCapDrops++;
        continue;
      }
      const emit = (suffix: string, value: number) => {
        if (!Number.isFinite(value)) return;
        out.push({
          resource,
          metric: `${metric.name}${suffix}${attrs}`,
          value,
          timestamp: point.time,
          labels: point.attributes,
        });
        stats.records++;
      };
      if (metric.type === 'histogram') mapHistogram(seriesId, metric, point, emit);
      else mapNumber(seriesId, metric, point, emit);
    }
  }

  function mapNumber(
    key: string,
    metric: OtlpMetric,
    point: OtlpPoint,
    emit: (suffix: string, value: number) => void,
  ): void {
    if (!Number.isFinite(point.value) || !Number.isFinite(point.time)) {
      stats.invalidValues++;
      return;
    }
    if (metric.type === 'gauge') return emit('', point.value);
    const delta = metric.temporality === 1;
    if (!metric.monotonic) {
      if (!delta) return emit('', point.value);
      const state = previous.get(key) ?? { time: 0, start: 0, value: 0, count: 0, sum: 0, buckets: [], total: 0 };
      state.total += point.value;
      previous.set(key, state);
      return emit('', state.total);
    }
    if (delta) {
      const seconds = (point.time - point.start) / 1000;
      if (seconds > 0) emit('_rate', point.value / seconds);
      else stats.baselines++;
      return;
    }
    const before = previous.get(key);
    previous.set(key, {
      time: point.time,
      start: point.start,
      value: point.value,
      count: 0,
      sum: 0,
      buckets: [],
      total: 0,
    });
    if (!before || point.value < before.value || point.start !== before.start || point.time <= before.time) {
      stats.baselines++;
      return;
    }
    emit('_rate', (point.value - before.value) / ((point.time - before.time) / 1000));
  }

  function mapHistogram(
    key: string,
    metric: OtlpMetric,
    point: OtlpPoint,
    emit: (suffix: string, value: number) => void,
  ): void {
    const count = point.count ?? Number.NaN;
    const buckets = point.bucketCounts ?? [];
    if (
      !Number.isFinite(count) ||
      !Number.isFinite(point.time) ||
      (point.sum !== undefined && !Number.isFinite(point.sum)) ||
      buckets.some((value) => !Number.isFinite(value))
    ) {
      stats.invalidValues++;
      return;
    }
    let interval = { count, sum: point.sum ?? Number.NaN, buckets, seconds: (point.time - point.start) / 1000 };
    if (metric.temporality !== 1) {
      const before = previous.get(key);
      previous.set(key, {
        time: point.time,
        start: point.start,
        value: 0,
        count,
        sum: point.sum ?? 0,
        buckets,
        total: 0,
      });
      if (!before || count < before.count || point.start !== before.start || point.time <= before.time) {
        stats.baselines++;
        return;
      }
      interval = {
        count: count - before.count,
        sum: (point.sum ?? Number.NaN) - before.sum,
        buckets: buckets.map((value, index) => value - (before.buckets[index] ?? 0)),
        seconds: (point.time - before.time) / 1000,
      };
    }
    if (interval.seconds > 0) emit('_count_rate', interval.count / interval.seconds);
    if (interval.count > 0) {
      emit('_mean', interval.sum / interval.count);
      const bounds = point.explicitBounds ?? [];
      if (bounds.length > 0 && interval.buckets.length === bounds.length + 1) {
        for (const quantile of quantiles)
          emit(
            `_p${Math.round(quantile * 1000) / 10}`.replace('.', '_'),
            bucketQuantile(quantile, bounds, interval.buckets),
          );
      }
    }
  }

  const write = async (
    body: Uint8Array,
    headers: { contentType?: string; contentEncoding?: string },
  ): Promise<number> => {
    const type = mediaType(headers.contentType);
    if (type !== 'application/x-protobuf' && type !== 'application/json') {
      throw new PushRequestError(
        'content-type',
        415,
        `Unsupported content-type "${headers.contentType ?? ''}": OTLP/HTTP sends "application/x-protobuf" or "application/json".`,
      );
    }
    const encoding = (headers.contentEncoding ?? '').trim().toLowerCase();
    if (encoding !== '' && encoding !== 'identity' && encoding !== 'gzip') {
      throw new PushRequestError(
        'content-encoding',
        415,
        `Unsupported content-encoding "${headers.contentEncoding}": use gzip or none.`,
      );
    }
    let raw = body;
    if (encoding === 'gzip') {
      try {
        raw = gunzipSync(body, { maxOutputLength: maxDecodedBytes });
      } catch (error) {
        const tooLarge =
          (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' ||
          /Cannot create a Buffer larger/.test((error as Error).message);
        throw new PushRequestError(
          tooLarge ? 'too-large' : 'content-encoding',
          tooLarge ? 413 : 400,
          `${tooLarge ? 'OTLP body too large once decompressed' : 'Corrupt gzip body'}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    let decoded: OtlpResourceMetrics[];
    try {
      decoded =
        type === 'application/json'
          ? decodeOtlpJson(JSON.parse(new TextDecoder().decode(raw)))
          : decodeOtlpProtobuf(raw);
    } catch (error) {
      if (error instanceof ProtobufDecodeError)
        throw new PushRequestError(
          'protobuf',
          400,
          `Malformed OTLP protobuf body: ${error.message}. Expected an ExportMetricsServiceRequest.`,
          { cause: error },
        );
      if (error instanceof SyntaxError)
        throw new PushRequestError('json', 400, `Malformed OTLP/JSON body: ${error.message}.`, { cause: error });
      throw error;
    }
    const skippedBefore =
      stats.invalidValues + stats.noValue + stats.unsupported + stats.seriesCapDrops + stats.collisionDrops;
    const records: MetricSampleInput[] = [];
    for (const entry of decoded) {
      const resource = resourceOf(entry.resource) || 'otel';
      const resourceKey = JSON.stringify(Object.entries(entry.resource).sort());
      for (const metric of entry.metrics) mapMetric(resource, resourceKey, metric, records);
    }
    if (records.length > 0) await sink.ingest(records);
    stats.requests++;
    stats.series = limiter.size;
    return (
      stats.invalidValues +
      stats.noValue +
      stats.unsupported +
      stats.seriesCapDrops +
      stats.collisionDrops -
      skippedBefore
    );
  };

  const handler = ((request: IncomingMessage, response: ServerResponse) => {
    const refuse = (reason: string, status: number, message: string) => {
      stats.refused[reason] = (stats.refused[reason] ?? 0) + 1;
      answer(response, status, `${message}\n`);
    };
    if (request.method !== 'POST') {
      request.resume();
      response.setHeader('allow', 'POST');
      return refuse('method', 405, 'OTLP/HTTP accepts POST only.');
    }
    const contentType = request.headers['content-type'];
    readBody(request, maxBodyBytes)
      .then((body) => {
        const headers: { contentType?: string; contentEncoding?: string } = {};
        if (contentType !== undefined) headers.contentType = contentType;
        if (typeof request.headers['content-encoding'] === 'string')
          headers.contentEncoding = request.headers['content-encoding'];
        return write(body, headers);
      })
      .then(
        (rejected) => {
          const json = mediaType(contentType) === 'application/json';
          if (json) {
            const body =
              rejected > 0
                ? {
                    partialSuccess: {
                      rejectedDataPoints: String(rejected),
                      errorMessage:
                        'points with NaN/Infinity values, no value, unsupported types or over the series cap were skipped',
                    },
                  }
                : {};
            answer(response, 200, JSON.stringify(body), 'application/json');
            return;
          }
          const payload =
            rejected > 0
              ? new ProtobufWriter()
                  .message(1, (partial) =>
                    partial
                      .tag(1, 0)
                      .varint(rejected)
                      .tag(2, 2)
                      .string(
                        'points with NaN/Infinity values, no value, unsupported types or over the series cap were skipped',
                      ),
                  )
                  .finish()
              : new Uint8Array(0);
          if (response.headersSent) return;
          response.writeHead(200, { 'content-type': 'application/x-protobuf', 'content-length': payload.length });
          response.end(Buffer.from(payload));
        },
        (error: unknown) => {
          if (error instanceof PushRequestError) return refuse(error.reason, error.status, error.message);
          logger.warn('otlp: the sink refused a batch', { error: (error as Error).message });
          refuse('sink', 503, `Could not store the batch: ${(error as Error).message}`);
        },
      );
  }) as OtlpMetricsHandler;
  handler.write = write;
  handler.stats = () => ({ ...stats, refused: { ...stats.refused }, series: limiter.size });
  return handler;
}
