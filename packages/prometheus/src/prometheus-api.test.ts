// Response shapes of the Prometheus-compatible query_range API as Prometheus, Thanos Query, Grafana Mimir
// and VictoriaMetrics document them, served by a local HTTP server (their binaries are not available here).
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listen } from '../test/prometheus-env.js';
import { PrometheusApi, PrometheusApiError } from './index.js';

const api = (url: string) => new PrometheusApi({ url, timeoutMs: 2000, retries: 0, backoffMs: 1 });

async function serve(
  answer: (request: IncomingMessage, form: URLSearchParams) => { status: number; body: string; type?: string },
) {
  const seen: Array<{ method: string; path: string; form: URLSearchParams; headers: IncomingMessage['headers'] }> = [];
  const server = await listen((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      seen.push({ method: request.method!, path: request.url!, form, headers: request.headers });
      const { status, body, type } = answer(request, form);
      response.writeHead(status, { 'content-type': type ?? 'application/json' });
      response.end(body);
    });
  });
  return { ...server, seen };
}

const matrix = (extra: Record<string, unknown> = {}, dataExtra: Record<string, unknown> = {}) =>
  JSON.stringify({
    status: 'success',
    data: {
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'up', instance: 'a:9100', job: 'node' },
          values: [
            [1700000000, '1'],
            [1700000015, 'NaN'],
            [1700000030.5, '+Inf'],
            [1700000045, '-Inf'],
          ],
        },
      ],
      ...dataExtra,
    },
    ...extra,
  });

describe('PrometheusApi against the documented response shapes', () => {
  it('Prometheus: POSTs a form to <base>/api/v1/query_range and parses string values including NaN and ±Inf', async () => {
    const server = await serve(() => ({ status: 200, body: matrix() }));
    const [series] = await api(server.url).queryRange('up', 1_700_000_000_000, 1_700_000_045_000, 15_000);
    expect(server.seen[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/query_range',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(Object.fromEntries(server.seen[0]!.form)).toEqual({
      query: 'up',
      start: '1700000000',
      end: '1700000045',
      step: '15',
    });
    expect(series!.labels).toEqual({ __name__: 'up', instance: 'a:9100', job: 'node' });
    expect(series!.points).toEqual([
      [1_700_000_000_000, 1],
      [1_700_000_015_000, Number.NaN],
      [1_700_000_030_500, Number.POSITIVE_INFINITY],
      [1_700_000_045_000, Number.NEGATIVE_INFINITY],
    ]);
    await server.close();
  });

  it('Thanos Query (warnings), Mimir (path prefix, tenant header, infos) and VictoriaMetrics (stats, isPartial) shapes parse the same', async () => {
    const thanos = await serve(() => ({
      status: 200,
      body: matrix({ warnings: ['No StoreAPIs matched for this query'] }),
    }));
    expect((await api(thanos.url).queryRange('up', 0, 0, 15_000))[0]!.points[0]).toEqual([1_700_000_000_000, 1]);
    const mimir = await serve(() => ({
      status: 200,
      body: matrix({ infos: ['PromQL info: metric might not be a counter'] }),
    }));
    const mimirApi = new PrometheusApi({
      url: `${mimir.url}/prometheus/`,
      headers: { 'X-Scope-OrgID': 'tenant-1' },
      timeoutMs: 2000,
      retries: 0,
      backoffMs: 1,
    });
    await mimirApi.queryRange('up', 0, 0, 15_000);
    expect(mimir.seen[0]!.path).toBe('/prometheus/api/v1/query_range');
    expect(mimir.seen[0]!.headers['x-scope-orgid']).toBe('tenant-1');
    const victoria = await serve(() => ({
      status: 200,
      body: matrix({ isPartial: false }, { stats: { seriesFetched: '1', executionTimeMsec: 2 } }),
    }));
    expect(await api(`${victoria.url}/select/0/prometheus`).queryRange('up', 0, 0, 15_000)).toHaveLength(1);
    expect(victoria.seen[0]!.path).toBe('/select/0/prometheus/api/v1/query_range');
    await Promise.all([thanos.close(), mimir.close(), victoria.close()]);
  });

  it('maps error answers to typed, correctly retryable errors', async () => {
    const cases: Array<[number, string, string, boolean]> = [
      [
        400,
        JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 8' }),
        'bad-query',
        false,
      ],
      [
        422,
        JSON.stringify({ status: 'error', errorType: 'execution', error: 'many-to-many matching not allowed' }),
        'bad-query',
        false,
      ],
      // VictoriaMetrics puts the HTTP status in errorType.
      [422, JSON.stringify({ status: 'error', errorType: '422', error: 'cannot parse query' }), 'bad-query', false],
      [
        503,
        JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }),
        'server',
        true,
      ],
      [429, 'too many outstanding requests', 'server', true],
      [502, '<html>Bad Gateway</html>', 'server', true],
      [200, '<html>login page</html>', 'bad-response', false],
      [200, JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [] } }), 'bad-response', false],
    ];
    for (const [status, body, kind, retryable] of cases) {
      const server = await serve(() => ({
        status,
        body,
        type: body.startsWith('{') ? 'application/json' : 'text/html',
      }));
      const error = await api(server.url)
        .queryRange('up', 0, 0, 15_000)
        .catch((caught: unknown) => caught);
      expect(error, `${status} ${body}`).toBeInstanceOf(PrometheusApiError);
      expect((error as PrometheusApiError).kind, `${status} ${body}`).toBe(kind);
      expect((error as PrometheusApiError).isRetryable, `${status} ${body}`).toBe(retryable);
      await server.close();
    }
  });

  it('splits long ranges so no request asks for more than 10,000 points per series', async () => {
    const server = await serve((_request, form) => {
      const start = Number(form.get('start'));
      const end = Number(form.get('end'));
      const values = [];
      for (let at = start; at <= end; at += 15) values.push([at, '1']);
      return {
        status: 200,
        body: JSON.stringify({
          status: 'success',
          data: { resultType: 'matrix', result: [{ metric: { job: 'x' }, values }] },
        }),
      };
    });
    const start = 1_700_000_000_000;
    const end = start + 7 * 86_400_000; // a week at 15 s: 40,321 points
    const [series] = await api(server.url).queryRange('x', start, end, 15_000);
    expect(series!.points).toHaveLength(40_321);
    expect(new Set(series!.points.map(([at]) => at)).size).toBe(40_321);
    for (const { form } of server.seen)
      expect((Number(form.get('end')) - Number(form.get('start'))) / 15 + 1).toBeLessThanOrEqual(10_000);
    expect(server.seen.length).toBe(5);
    await server.close();
  });
});
