import { noopLogger, type Logger } from '@iac-dharma/core/kernel';
import { PrometheusApiError } from './errors.js';

/** One series of a range query: its labels and `[epoch ms, value]` points (value may be NaN or ±Infinity). */
export interface RangeSeries {
  labels: Record<string, string>;
  points: Array<[number, number]>;
}

/** Options of {@link PrometheusApi}. */
export interface PrometheusApiOptions {
  /** Base URL of the Prometheus-compatible API, e.g. `http://localhost:9090` or Mimir's `http://mimir/prometheus`. */
  url: string;
  /** Extra request headers (e.g. `Authorization`, Mimir's `X-Scope-OrgID`). */
  headers?: Record<string, string>;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** Retries of a retryable failure (unreachable, timeout, 5xx, 429). */
  retries: number;
  /** First backoff in ms; doubles per retry, with jitter, capped at 30 s. */
  backoffMs: number;
  logger?: Logger;
  /** Called for every retry (for stats). */
  onRetry?: (error: PrometheusApiError) => void;
  /** Injectable fetch. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/** Largest number of points Prometheus returns per series and range query (its limit is 11,000). */
export const MAX_POINTS_PER_QUERY = 10_000;

/**
 * A minimal client of the Prometheus HTTP API's `/api/v1/query_range`: the subset Thanos Query, Grafana
 * Mimir (under `/prometheus`) and VictoriaMetrics serve with the same request and response shapes. Requests
 * are form-encoded POSTs; long ranges are split so no series exceeds {@link MAX_POINTS_PER_QUERY} points.
 */
export class PrometheusApi {
  private readonly base: string;
  private readonly logger: Logger;
  private readonly fetchImpl: typeof fetch;

  constructor(readonly options: PrometheusApiOptions) {
    this.base = options.url.replace(/\/+$/, '');
    this.logger = options.logger ?? noopLogger;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  /** Runs a range query from `start` to `end` (epoch ms, inclusive) at `stepMs`, in chunks when long. */
  async queryRange(
    query: string,
    start: number,
    end: number,
    stepMs: number,
    signal?: AbortSignal,
  ): Promise<RangeSeries[]> {
    const raw = await this.queryRangeRaw(query, start, end, stepMs, signal);
    return raw.map((series) => {
      const points: Array<[number, number]> = [];
      forEachPoint(series.values, (timestamp, value) => points.push([timestamp, value]));
      return { labels: series.labels, points };
    });
  }

  /**
   * Like {@link PrometheusApi.queryRange} but keeps each series' `values` as the API sent them
   * (`[unix seconds, "value"]` pairs): the pull source converts them on the fly, without an array per point. @internal
   */
  async queryRangeRaw(
    query: string,
    start: number,
    end: number,
    stepMs: number,
    signal?: AbortSignal,
  ): Promise<RawRangeSeries[]> {
    const bySeries = new Map<string, RawRangeSeries>();
    const chunkMs = stepMs * (MAX_POINTS_PER_QUERY - 1);
    for (let chunkStart = start; chunkStart <= end; chunkStart += chunkMs + stepMs) {
      const chunkEnd = Math.min(end, chunkStart + chunkMs);
      const body = new URLSearchParams({
        query,
        start: (chunkStart / 1000).toString(),
        end: (chunkEnd / 1000).toString(),
        step: (stepMs / 1000).toString(),
      });
      const data = await this.request('/api/v1/query_range', body, signal);
      const series = parseMatrix(data);
      if (chunkStart === start && chunkEnd === end) return series;
      for (const item of series) {
        const key = JSON.stringify(Object.entries(item.labels).sort());
        const existing = bySeries.get(key);
        if (existing) for (const pair of item.values) existing.values.push(pair);
        else bySeries.set(key, item);
      }
    }
    return [...bySeries.values()];
  }

  /** POSTs a form to an API path and returns `data` of a `success` answer, retrying retryable failures. */
  async request(path: string, body: URLSearchParams, signal?: AbortSignal): Promise<unknown> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.once(path, body, signal);
      } catch (error) {
        const apiError = error as PrometheusApiError;
        if (!apiError.isRetryable || attempt >= this.options.retries || signal?.aborted) throw apiError;
        this.options.onRetry?.(apiError);
        const delay = Math.min(30_000, this.options.backoffMs * 2 ** attempt) * (0.5 + Math.random() / 2);
        this.logger.warn(`prometheus: ${apiError.message}; retrying in ${Math.round(delay)} ms`, {
          attempt: attempt + 1,
        });
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
        });
      }
    }
  }

  private async once(path: string, body: URLSearchParams, signal?: AbortSignal): Promise<unknown> {
    const url = this.base + path;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
          ...this.options.headers,
        },
        body,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (timeout.aborted)
        throw new PrometheusApiError(
          'timeout',
          `${url} did not answer within ${this.options.timeoutMs} ms (option timeout)`,
          { cause: error },
        );
      throw new PrometheusApiError('unreachable', `cannot reach ${url}: ${(error as Error).message}`, { cause: error });
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new PrometheusApiError(
        timeout.aborted ? 'timeout' : 'unreachable',
        `${url}: the answer was cut off: ${(error as Error).message}`,
        { cause: error },
      );
    }
    let json: { status?: unknown; data?: unknown; errorType?: unknown; error?: unknown } | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const errorType = typeof json?.errorType === 'string' ? json.errorType : undefined;
    const detail = typeof json?.error === 'string' ? json.error : text.slice(0, 200);
    if (response.status >= 500 || response.status === 429) {
      throw new PrometheusApiError('server', `${url} answered ${response.status}: ${detail}`, {
        status: response.status,
        ...(errorType ? { errorType } : {}),
      });
    }
    if (json?.status === 'error' || response.status === 400 || response.status === 422) {
      throw new PrometheusApiError(
        'bad-query',
        `the query was refused (${response.status}${errorType ? `, ${errorType}` : ''}): ${detail}. Query: ${body.get('query')}`,
        {
          status: response.status,
          ...(errorType ? { errorType } : {}),
        },
      );
    }
    if (!response.ok || json?.status !== 'success') {
      throw new PrometheusApiError(
        'bad-response',
        `${url} answered ${response.status} without the Prometheus API's JSON shape: ${text.slice(0, 200)}`,
        { status: response.status },
      );
    }
    return json.data;
  }
}

/** Parses a sample value: Prometheus sends numbers as strings, including "NaN", "+Inf" and "-Inf". */
function parseValue(text: unknown): number {
  if (typeof text === 'number') return text;
  if (typeof text === 'string' && text.charCodeAt(0) >= 48 && text.charCodeAt(0) <= 57) return Number(text); // starts with a digit
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return typeof text === 'string' ? Number(text) : Number.NaN;
}

/** One series as the API sent it. @internal */
export interface RawRangeSeries {
  labels: Record<string, string>;
  values: unknown[];
}

/** Calls `visit(epoch ms, value)` for each well-formed `[unix seconds, "value"]` pair (others are skipped). @internal */
export function forEachPoint(values: readonly unknown[], visit: (timestamp: number, value: number) => void): void {
  for (const pair of values) {
    if (!Array.isArray(pair) || pair.length < 2) continue;
    const seconds = typeof pair[0] === 'number' ? pair[0] : Number(pair[0]);
    if (!Number.isFinite(seconds)) continue;
    visit(Math.round(seconds * 1000), parseValue(pair[1]));
  }
}

/** Checks a `matrix` result (the documented query_range shape). @internal */
export function parseMatrix(data: unknown): RawRangeSeries[] {
  const shape = data as { resultType?: unknown; result?: unknown };
  if (typeof shape !== 'object' || shape === null || !Array.isArray(shape.result)) {
    throw new PrometheusApiError(
      'bad-response',
      'query_range answered without data.result: not a Prometheus-compatible API?',
    );
  }
  if (shape.resultType !== 'matrix') {
    throw new PrometheusApiError(
      'bad-response',
      `query_range answered resultType "${String(shape.resultType)}", expected "matrix"`,
    );
  }
  return shape.result.map((item: { metric?: unknown; values?: unknown }) => ({
    labels: (typeof item.metric === 'object' && item.metric !== null ? item.metric : {}) as Record<string, string>,
    values: Array.isArray(item.values) ? item.values : [],
  }));
}
