import type { IncomingMessage, ServerResponse } from 'node:http';
import { DharmaError, noopLogger, parseWith, type Logger } from '@iac-dharma/core/kernel';
import { z } from 'zod';
import { PushRequestError } from './errors.js';
import { answer, mediaType, readBody } from './http-body.js';
import type { RecordSink } from './record-sink.js';
import {
  decodeWriteRequest,
  decompressBody,
  emptyDecodeCounters,
  SeriesResolver,
  type DecodeCounters,
} from './remote-write.js';
import { SeriesLimiter } from './series-limiter.js';
import { SeriesMappingSchema } from './series-mapping.js';

/** Options of {@link createRemoteWriteHandler} (validated; `sink` and `logger` aside). */
export const RemoteWriteOptionsSchema = z.object({
  /** Label-to-series mapping; see `SeriesMappingSchema`. @default instance/job → resource, `__name__` + other labels → metric */
  mapping: SeriesMappingSchema.default(SeriesMappingSchema.parse({})),
  /** Most distinct series accepted; samples of further series are counted (`seriesCapDrops`) and skipped. @default 10000 */
  maxSeries: z.number().int().positive().default(10_000),
  /** Largest compressed body accepted, in bytes; larger ones get 413. @default 16777216 (16 MiB) */
  maxBodyBytes: z
    .number()
    .int()
    .positive()
    .default(16 * 1024 * 1024),
  /** Largest decompressed body accepted, in bytes (checked from the snappy preamble before decoding). @default 67108864 */
  maxDecodedBytes: z
    .number()
    .int()
    .positive()
    .default(64 * 1024 * 1024),
});

/** Options of {@link createRemoteWriteHandler}. */
export interface RemoteWriteHandlerOptions extends z.input<typeof RemoteWriteOptionsSchema> {
  /** Where decoded samples go, e.g. an `Engine`. */
  sink: RecordSink;
  /** @default noopLogger */
  logger?: Logger;
}

/** Counters of a remote-write handler since it was created. */
export interface RemoteWriteStats extends DecodeCounters {
  /** Requests answered 204. */
  requests: number;
  /** Requests refused, by reason (`content-type`, `too-large`, `snappy`, `protobuf`, `sink`, ...). */
  refused: Record<string, number>;
  /** Distinct series admitted. */
  series: number;
}

/** A Node HTTP handler for Prometheus remote-write 1.0, with its counters. */
export interface RemoteWriteHandler {
  (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void;
  /** Decodes a snappy-compressed body and delivers it (for frameworks that hand you the raw body). */
  write(body: Uint8Array, headers: { contentType?: string; contentEncoding?: string }): Promise<DecodeCounters>;
  stats(): RemoteWriteStats;
}

/**
 * A Prometheus remote-write 1.0 receiver (snappy-compressed protobuf `WriteRequest`) as a plain Node
 * request handler: `http.createServer(handler)`, or mount it on a route (`app.post('/api/v1/write', handler)`
 * in Express or Connect; with Fastify/Hono read the raw body and call `handler.write(body, headers)`).
 * Point Prometheus at it with `remote_write: [{ url: http://host:port/api/v1/write }]`.
 *
 * Answers 204 when the batch was delivered, 400 for a malformed body (not retried by Prometheus), 413 when
 * too large, 415 for a wrong content type or encoding, 405 for a method other than POST, and 500 when the
 * sink failed (Prometheus retries, so nothing accepted is lost). NaN/Infinity samples, stale markers,
 * native histograms and samples over the series cap are counted in `stats()` and skipped.
 */
export function createRemoteWriteHandler(options: RemoteWriteHandlerOptions): RemoteWriteHandler {
  const { sink, logger = noopLogger, ...rest } = options;
  const resolved = parseWith(RemoteWriteOptionsSchema, rest, 'remote-write options');
  const resolver = new SeriesResolver(resolved.mapping, new SeriesLimiter(resolved.maxSeries));
  const totals = emptyDecodeCounters();
  const refused: Record<string, number> = {};
  let requests = 0;

  const write = async (
    body: Uint8Array,
    headers: { contentType?: string; contentEncoding?: string },
  ): Promise<DecodeCounters> => {
    const type = mediaType(headers.contentType);
    if (type !== 'application/x-protobuf') {
      throw new PushRequestError(
        'content-type',
        415,
        `Unsupported content-type "${headers.contentType ?? ''}": remote-write 1.0 sends "application/x-protobuf".`,
      );
    }
    const encoding = (headers.contentEncoding ?? '').trim().toLowerCase();
    if (encoding !== 'snappy') {
      throw new PushRequestError(
        'content-encoding',
        415,
        `Unsupported content-encoding "${headers.contentEncoding ?? ''}": remote-write 1.0 bodies are "snappy" compressed.`,
      );
    }
    const decoded = decompressBody(body, resolved.maxDecodedBytes);
    const counters = emptyDecodeCounters();
    const records = decodeWriteRequest(decoded, resolver, counters);
    if (records.length > 0) await sink.ingest(records);
    for (const key of Object.keys(counters) as Array<keyof DecodeCounters>) totals[key] += counters[key];
    requests++;
    return counters;
  };

  const handler = ((request: IncomingMessage, response: ServerResponse) => {
    if (request.method !== 'POST') {
      refused.method = (refused.method ?? 0) + 1;
      response.setHeader('allow', 'POST');
      answer(response, 405, 'Remote-write accepts POST only.\n');
      request.resume();
      return;
    }
    readBody(request, resolved.maxBodyBytes)
      .then((body) => {
        const headers: { contentType?: string; contentEncoding?: string } = {};
        if (request.headers['content-type'] !== undefined) headers.contentType = request.headers['content-type'];
        if (typeof request.headers['content-encoding'] === 'string')
          headers.contentEncoding = request.headers['content-encoding'];
        return write(body, headers);
      })
      .then(
        () => answer(response, 204),
        (error: unknown) => {
          if (error instanceof PushRequestError) {
            refused[error.reason] = (refused[error.reason] ?? 0) + 1;
            answer(response, error.status, `${error.message}\n`);
            return;
          }
          // The sink failed: 500 makes Prometheus retry the batch.
          refused.sink = (refused.sink ?? 0) + 1;
          const message = DharmaError.isInstance(error) || error instanceof Error ? error.message : String(error);
          logger.warn('remote-write: the sink refused a batch', { error: message });
          answer(response, 500, `Could not store the batch: ${message}\n`);
        },
      );
  }) as RemoteWriteHandler;
  handler.write = write;
  handler.stats = () => ({ ...totals, requests, refused: { ...refused }, series: resolver.limiter.size });
  return handler;
}
