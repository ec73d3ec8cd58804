import {
  noopLogger,
  parseWith,
  systemClock,
  type Clock,
  type ComponentHealth,
  type Logger,
  type MetricSampleInput,
} from '@iac-dharma/core/kernel';
import { z } from 'zod';
import { DurationSchema } from './duration.js';
import { forEachPoint, PrometheusApi } from './prometheus-api.js';
import type { PrometheusQuery } from './query-packs.js';
import type { RecordSink } from './record-sink.js';
import { SeriesResolver } from './remote-write.js';
import { SeriesLimiter } from './series-limiter.js';
import { SeriesMappingSchema, type SeriesMapping } from './series-mapping.js';

const QuerySchema = z.object({
  name: z.string().min(1, 'a query needs a name (it becomes the metric name)'),
  promql: z.string().min(1, 'a query needs PromQL'),
  mapping: SeriesMappingSchema.partial().optional(),
  capacity: z.object({ threshold: z.number().finite(), direction: z.enum(['above', 'below']) }).optional(),
  help: z.string().optional(),
});

/** Options of {@link createPrometheusSource} (validated; `sink`, `logger`, `clock` and `fetch` aside). */
export const PrometheusSourceOptionsSchema = z.object({
  /** Base URL of the Prometheus-compatible HTTP API (Prometheus, Thanos Query, Mimir's `/prometheus`, VictoriaMetrics). */
  url: z.url({ error: 'expected the base URL of a Prometheus HTTP API, e.g. http://localhost:9090' }),
  /** The queries: a list (e.g. `nodeExporterPack()`) or `{ name: promql }`. */
  queries: z
    .union([
      z.array(QuerySchema),
      z
        .record(z.string(), z.string().min(1))
        .transform((map) => Object.entries(map).map(([name, promql]) => ({ name, promql }))),
    ])
    .refine((list) => list.length > 0, 'give at least one query'),
  /** Resolution of the series: the range-query step and how often the source steps forward. @default '15s' */
  step: DurationSchema.default(15_000),
  /** History read at start, so detectors are warm at once. @default '6h' */
  lookback: DurationSchema.default(6 * 3_600_000),
  /** How far behind now the live edge stays, so the last scrape has landed. @default '0s' (step aligned) */
  delay: z
    .union([z.number().nonnegative(), z.string()])
    .default(0)
    .transform((value) => (value === 0 || value === '0' || value === '0s' ? 0 : DurationSchema.parse(value))),
  /** Default label mapping (a query's `mapping` overrides fields of it). */
  mapping: SeriesMappingSchema.default(SeriesMappingSchema.parse({})),
  /** Most distinct series; more are counted (`dropped.seriesCap`) and skipped. @default 10000 */
  maxSeries: z.number().int().positive().default(10_000),
  /** Per-request timeout. @default '10s' */
  timeout: DurationSchema.default(10_000),
  /** Retries of a failing request before the step is given up (it is retried on the next tick). @default 3 */
  retries: z.number().int().nonnegative().default(3),
  /** First retry backoff; doubles per retry. @default '500ms' */
  backoff: DurationSchema.default(500),
  /** Lag (now minus the last step delivered) above which health is `degraded`. @default three steps */
  maxLag: DurationSchema.optional(),
  /** Extra request headers, e.g. `{ authorization: 'Bearer …', 'X-Scope-OrgID': 'tenant' }` for Mimir. */
  headers: z.record(z.string(), z.string()).default({}),
  /** Samples per `sink.ingest()` call. @default 5000 */
  batchSize: z.number().int().positive().default(5_000),
});

/** Options of {@link createPrometheusSource}. */
export interface PrometheusSourceOptions extends z.input<typeof PrometheusSourceOptionsSchema> {
  /** Where samples go, e.g. an `Engine`. */
  sink: RecordSink;
  logger?: Logger;
  clock?: Clock;
  fetch?: typeof fetch;
}

/** Counters of a {@link PrometheusSource}. */
export interface PrometheusSourceStats {
  /** Distinct series admitted. */
  series: number;
  /** Samples delivered to the sink. */
  samples: number;
  /** Range queries answered. */
  queries: number;
  /** Steps (backfill or live) fully delivered. */
  steps: number;
  /** Request retries. */
  retries: number;
  /** Failed steps (all retries used, a PromQL error, or the sink failed), by query name. */
  failures: Record<string, number>;
  /** Skipped samples, by reason. */
  dropped: { invalidValues: number; seriesCap: number; collisions: number };
  /** The last error, if any. */
  lastError: string | undefined;
  /** Epoch ms of the newest sample time delivered for every query (the live edge). */
  cursor: number | undefined;
  /** Now minus `cursor`, in ms. */
  lagMs: number | undefined;
}

/** A pull source that feeds the engine from PromQL. */
export interface PrometheusSource {
  /** The resolved queries. */
  readonly queries: readonly PrometheusQuery[];
  /** Backfills `lookback` (awaited), then steps forward every `step` until `stop()`. */
  start(): Promise<void>;
  /** Reads `lookback` up to now once. Called by `start()`. */
  backfill(): Promise<void>;
  /** Reads everything since the cursor up to now once (what each live tick does). */
  poll(): Promise<void>;
  stop(): Promise<void>;
  stats(): PrometheusSourceStats;
  /** `down` while no step succeeded after failures, `degraded` when lagging more than `maxLag`. */
  health(): Promise<ComponentHealth & { lagMs?: number }>;
}

/**
 * Reads PromQL through the Prometheus HTTP API into the engine: `query_range` over `lookback` at start
 * (so detectors are warm at once), then steps forward live. Each result series becomes an SDK series
 * (see `SeriesMappingSchema`); NaN and ±Inf points are counted and skipped, absent points (gaps, stale
 * series) simply have no sample; failures retry with backoff, and a failed step is re-read on the next
 * tick, so a server that is down, slow or answers errors delays data but never loses or crashes it.
 *
 * ```ts
 * const source = createPrometheusSource({ url: 'http://localhost:9090', queries: nodeExporterPack(), sink: engine });
 * await source.start();
 * ```
 */
export function createPrometheusSource(options: PrometheusSourceOptions): PrometheusSource {
  const { sink, logger = noopLogger, clock = systemClock, fetch: fetchImpl, ...rest } = options;
  const resolved = parseWith(PrometheusSourceOptionsSchema, rest, 'Prometheus source options');
  const limiter = new SeriesLimiter(resolved.maxSeries);
  const queries = resolved.queries as PrometheusQuery[];
  const resolvers = new Map<string, SeriesResolver>();
  for (const query of queries) {
    const mapping: SeriesMapping = { ...resolved.mapping, ...(query.mapping ?? {}) } as SeriesMapping;
    resolvers.set(query.name, new SeriesResolver(mapping, limiter));
  }
  const stats: PrometheusSourceStats = {
    series: 0,
    samples: 0,
    queries: 0,
    steps: 0,
    retries: 0,
    failures: {},
    dropped: { invalidValues: 0, seriesCap: 0, collisions: 0 },
    lastError: undefined,
    cursor: undefined,
    lagMs: undefined,
  };
  const api = new PrometheusApi({
    url: resolved.url,
    headers: resolved.headers,
    timeoutMs: resolved.timeout,
    retries: resolved.retries,
    backoffMs: resolved.backoff,
    logger,
    onRetry: () => stats.retries++,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
  });
  const step = resolved.step;
  /** Per query: the newest step time delivered. */
  const cursors = new Map<string, number>();
  const controller = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let consecutiveFailures = 0;

  const liveEdge = () => Math.floor((clock.now() - resolved.delay) / step) * step;

  async function readQuery(query: PrometheusQuery, start: number, end: number): Promise<void> {
    if (end < start) return;
    const resolver = resolvers.get(query.name)!;
    let result;
    try {
      result = await api.queryRangeRaw(query.promql, start, end, step, controller.signal);
      stats.queries++;
    } catch (error) {
      stats.failures[query.name] = (stats.failures[query.name] ?? 0) + 1;
      stats.lastError = `${query.name}: ${(error as Error).message}`;
      throw error;
    }
    let batch: MetricSampleInput[] = [];
    for (const series of result) {
      const mapped = resolver.resolve(series.labels, query.name);
      if (typeof mapped === 'string') {
        if (mapped === 'collision') stats.dropped.collisions += series.values.length;
        else stats.dropped.seriesCap += series.values.length;
        continue;
      }
      const { resource, metric, labels } = mapped;
      forEachPoint(series.values, (timestamp, value) => {
        if (!Number.isFinite(value)) {
          stats.dropped.invalidValues++;
          return;
        }
        batch.push(
          labels === undefined
            ? { resource, metric, value, timestamp }
            : { resource, metric, value, timestamp, labels },
        );
      });
    }
    // Each series' points come oldest first from the API and stay in that order in the batch and its
    // slices, which is all the engine needs (it keeps arrival order per series); no global sort.
    for (let index = 0; index < batch.length; index += resolved.batchSize) {
      const slice = batch.slice(index, index + resolved.batchSize);
      try {
        await sink.ingest(slice);
      } catch (error) {
        stats.failures[query.name] = (stats.failures[query.name] ?? 0) + 1;
        stats.lastError = `${query.name}: the sink failed: ${(error as Error).message}`;
        throw error;
      }
      stats.samples += slice.length;
    }
    batch = [];
    stats.series = limiter.size;
    cursors.set(query.name, end);
  }

  async function readAll(range: (query: PrometheusQuery) => [number, number]): Promise<void> {
    let failed: unknown;
    for (const query of queries) {
      if (stopped) return;
      const [start, end] = range(query);
      try {
        await readQuery(query, start, end);
      } catch (error) {
        failed ??= error;
        // A PromQL error is the query's fault, not the server's: log it and keep the other queries going.
        logger.warn(`prometheus source: query "${query.name}" failed`, { error: (error as Error).message });
      }
    }
    const values = [...cursors.values()];
    stats.cursor = values.length === queries.length ? Math.min(...values) : undefined;
    stats.lagMs = stats.cursor === undefined ? undefined : clock.now() - stats.cursor;
    if (failed === undefined) {
      stats.steps++;
      consecutiveFailures = 0;
    } else consecutiveFailures++;
  }

  const backfill = () => {
    const end = liveEdge();
    const start = end - Math.floor(resolved.lookback / step) * step;
    return readAll(() => [start, end]);
  };

  const poll = () => {
    const end = liveEdge();
    return readAll((query) => {
      const cursor = cursors.get(query.name);
      // A query that has never succeeded (PromQL error, server down at start) backfills from scratch.
      return [cursor === undefined ? end - Math.floor(resolved.lookback / step) * step : cursor + step, end];
    });
  };

  const serial = (work: () => Promise<void>) => {
    running = running.then(work, work);
    return running;
  };

  const schedule = () => {
    if (stopped) return;
    const now = clock.now();
    const next = (Math.floor((now - resolved.delay) / step) + 1) * step + resolved.delay;
    timer = setTimeout(
      () => {
        void serial(poll).finally(schedule);
      },
      Math.max(10, next - now + 5),
    );
  };

  return {
    queries,
    async start() {
      await serial(backfill);
      schedule();
    },
    backfill: () => serial(backfill),
    poll: () => serial(poll),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      controller.abort();
      await running.catch(() => undefined);
    },
    stats: () => ({
      ...stats,
      failures: { ...stats.failures },
      dropped: { ...stats.dropped },
      lagMs: stats.cursor === undefined ? undefined : clock.now() - stats.cursor,
    }),
    async health() {
      const lagMs = stats.cursor === undefined ? undefined : clock.now() - stats.cursor;
      const maxLag = resolved.maxLag ?? step * 3;
      if (consecutiveFailures > 0 && stats.steps === 0)
        return {
          status: 'down',
          detail: stats.lastError ?? 'no step succeeded yet',
          ...(lagMs === undefined ? {} : { lagMs }),
        };
      if (consecutiveFailures > 0 || lagMs === undefined || lagMs > maxLag) {
        return {
          status: 'degraded',
          detail: consecutiveFailures > 0 ? (stats.lastError ?? 'failing') : `lagging ${lagMs ?? '?'} ms behind now`,
          ...(lagMs === undefined ? {} : { lagMs }),
        };
      }
      return { status: 'ok', lagMs };
    },
  };
}
