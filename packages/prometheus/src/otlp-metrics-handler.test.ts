import { gzipSync } from 'node:zlib';
import type { IngestRecordInput, MetricSampleInput } from '@iac-dharma/core';
import { describe, expect, it } from 'vitest';
import { listen } from '../test/prometheus-env.js';
import { createOtlpMetricsHandler, PushRequestError } from './index.js';
import { bucketQuantile } from './otlp-metrics-handler.js';

const json = { contentType: 'application/json' };
const point = (value: unknown, time = '1700000000000000000', attributes: unknown[] = []) => ({
  attributes,
  timeUnixNano: time,
  asDouble: value,
});
const request = (metrics: unknown[], resource = [{ key: 'service.name', value: { stringValue: 'api' } }]) =>
  new TextEncoder().encode(
    JSON.stringify({
      resourceMetrics: [{ resource: { attributes: resource }, scopeMetrics: [{ scope: { name: 't' }, metrics }] }],
    }),
  );

function collector() {
  const records: MetricSampleInput[] = [];
  return {
    records,
    ingest: async (batch: IngestRecordInput[]) => void records.push(...(batch as MetricSampleInput[])),
  };
}

describe('createOtlpMetricsHandler: bad input', () => {
  it('counts NaN/Infinity points, no-value points and unknown metric types, and reports them as rejected', async () => {
    const sink = collector();
    const handler = createOtlpMetricsHandler({ sink });
    const rejected = await handler.write(
      request([
        { name: 'g', gauge: { dataPoints: [point(1), point('NaN'), point('Infinity'), { ...point(2), flags: 1 }] } },
        { name: 'e', exponentialHistogram: { dataPoints: [{}] } },
        { name: 'mystery', somethingNew: {} },
      ]),
      json,
    );
    expect(sink.records.map((record) => record.value)).toEqual([1]);
    expect(rejected).toBe(5);
    expect(handler.stats()).toMatchObject({ invalidValues: 2, noValue: 1, unsupported: 2 });
  });

  it('answers 415, 400, 413 with typed errors and partialSuccess for skipped points', async () => {
    const sink = collector();
    const handler = createOtlpMetricsHandler({ sink, maxBodyBytes: 2048, maxDecodedBytes: 4096 });
    const server = await listen(handler);
    const post = async (body: Uint8Array, headers: Record<string, string>) => {
      const response = await fetch(`${server.url}/v1/metrics`, { method: 'POST', headers, body: Buffer.from(body) });
      return { status: response.status, text: await response.text() };
    };
    const ok = await post(request([{ name: 'g', gauge: { dataPoints: [point(1), point('NaN')] } }]), {
      'content-type': 'application/json',
    });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.text)).toEqual({
      partialSuccess: { rejectedDataPoints: '1', errorMessage: expect.any(String) },
    });
    expect((await post(request([]), { 'content-type': 'text/plain' })).status).toBe(415);
    expect(
      (await post(new TextEncoder().encode('{"resourceMetrics": ['), { 'content-type': 'application/json' })).status,
    ).toBe(400);
    expect((await post(Uint8Array.from([0x0a, 0x50, 1, 2]), { 'content-type': 'application/x-protobuf' })).status).toBe(
      400,
    );
    expect((await post(new Uint8Array(3000), { 'content-type': 'application/x-protobuf' })).status).toBe(413);
    expect(
      (
        await post(gzipSync(new Uint8Array(100_000)), {
          'content-type': 'application/x-protobuf',
          'content-encoding': 'gzip',
        })
      ).status,
    ).toBe(413);
    const gzipped = await post(gzipSync(request([{ name: 'g', gauge: { dataPoints: [point(7)] } }])), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(gzipped.status).toBe(200);
    expect(sink.records.map((record) => record.value)).toEqual([1, 7]);
    expect(handler.stats().refused).toEqual({ 'content-type': 1, json: 1, protobuf: 1, 'too-large': 2 });
    await expect(
      handler.write(Uint8Array.from([0x0a, 0x50]), { contentType: 'application/x-protobuf' }),
    ).rejects.toSatisfy((error: unknown) => error instanceof PushRequestError && error.status === 400);
    await server.close();
  });

  it('holds the series cap under a cardinality flood and refuses colliding resources', async () => {
    const sink = collector();
    const handler = createOtlpMetricsHandler({ sink, maxSeries: 50, resourceOf: () => 'same' });
    const points = Array.from({ length: 1000 }, (_, index) =>
      point(index, '1700000000000000000', [{ key: 'user', value: { stringValue: `u${index}` } }]),
    );
    await handler.write(request([{ name: 'logins', gauge: { dataPoints: points } }]), json);
    expect(handler.stats()).toMatchObject({ series: 50, seriesCapDrops: 950 });
    // Two OTLP resources mapped onto one SDK resource: the second's identical series collide.
    const small = createOtlpMetricsHandler({ sink: collector(), resourceOf: () => 'same' });
    await small.write(
      request(
        [{ name: 'g', gauge: { dataPoints: [point(1)] } }],
        [{ key: 'service.name', value: { stringValue: 'a' } }],
      ),
      json,
    );
    await small.write(
      request(
        [{ name: 'g', gauge: { dataPoints: [point(2)] } }],
        [{ key: 'service.name', value: { stringValue: 'b' } }],
      ),
      json,
    );
    expect(small.stats().collisionDrops).toBe(1);
  });

  it('estimates quantiles from buckets like histogram_quantile', () => {
    // bounds 10, 50, 100; counts: 2 in (0,10], 2 in (10,50], 0 in (50,100], 1 in (100,+Inf)
    expect(bucketQuantile(0.5, [10, 50, 100], [2, 2, 0, 1])).toBeCloseTo(10 + 40 * (0.5 / 2));
    expect(bucketQuantile(0.99, [10, 50, 100], [2, 2, 0, 1])).toBe(100);
    expect(bucketQuantile(0.5, [10], [0, 0])).toBeNaN();
  });
});
