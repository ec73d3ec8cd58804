import type { IngestRecordInput, MetricSampleInput } from '@iac-dharma/core';
import { OTLPMetricExporter as HttpJsonExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import { describe, expect, it } from 'vitest';
import { createOtlpMetricsHandler } from '../src/index.js';
import { listen } from './prometheus-env.js';

/** Sends a few export rounds with the real OpenTelemetry JS SDK and returns what the receiver delivered. */
async function exportWith(makeExporter: (url: string) => PushMetricExporter, delta: boolean) {
  const records: MetricSampleInput[] = [];
  const handler = createOtlpMetricsHandler({
    sink: { ingest: async (batch: IngestRecordInput[]) => void records.push(...(batch as MetricSampleInput[])) },
  });
  const server = await listen(handler);
  const reader = new PeriodicExportingMetricReader({
    exporter: makeExporter(`${server.url}/v1/metrics`),
    exportIntervalMillis: 60_000,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': 'checkout', 'service.instance.id': 'pod-7' }),
    readers: [reader],
  });
  const meter = provider.getMeter('test');
  const requests = meter.createCounter('http.requests');
  const inflight = meter.createUpDownCounter('http.inflight');
  const latency = meter.createHistogram('http.duration', {
    unit: 'ms',
    advice: { explicitBucketBoundaries: [10, 50, 100, 500] },
  });
  let temperature = 20;
  meter.createObservableGauge('room.temperature').addCallback((result) => result.observe(temperature, { room: 'a' }));
  for (let round = 0; round < 3; round++) {
    requests.add(10, { route: '/cart' });
    inflight.add(round === 1 ? -1 : 2);
    for (const value of [5, 20, 40, 80, 300]) latency.record(value, { route: '/cart' });
    temperature += 1;
    await reader.forceFlush();
    // Cumulative rates need time to pass between exports.
    await new Promise((done) => setTimeout(done, 60));
  }
  await provider.shutdown(); // exports once more
  await server.close();
  void delta;
  return { records, stats: handler.stats() };
}

const byMetric = (records: MetricSampleInput[], metric: string) => records.filter((record) => record.metric === metric);

describe('OTLP/HTTP metrics receiver with the real OpenTelemetry JS SDK', () => {
  for (const [name, make] of [
    ['protobuf (exporter-metrics-otlp-proto)', (url: string) => new ProtobufExporter({ url })],
    ['JSON (exporter-metrics-otlp-http)', (url: string) => new HttpJsonExporter({ url })],
  ] as const) {
    it(`maps gauges, sums and histograms sent as ${name}`, async () => {
      const { records, stats } = await exportWith(make, false);
      expect(stats.refused).toEqual({});
      expect(stats.requests).toBe(4);
      for (const record of records) expect(record.resource).toBe('checkout@pod-7');
      // Gauge: the observed values.
      expect(byMetric(records, 'room.temperature{room="a"}').map((record) => record.value)).toEqual([21, 22, 23, 23]);
      // Monotonic cumulative counter: a per-second rate from the second export on (10 per interval > 0).
      const rates = byMetric(records, 'http.requests_rate{route="/cart"}');
      expect(rates).toHaveLength(3);
      for (const rate of rates.slice(0, 2)) expect(rate.value).toBeGreaterThan(0);
      expect(rates[2]!.value).toBe(0); // nothing added before the shutdown export
      expect(stats.baselines).toBeGreaterThanOrEqual(2);
      // Up-down counter (cumulative): the current value 2, 1, 3.
      expect(byMetric(records, 'http.inflight').map((record) => record.value)).toEqual([2, 1, 3, 3]);
      // Histogram: per-interval mean (5+20+40+80+300)/5 = 89 and an interpolated p95 in the (100, 500] bucket.
      const means = byMetric(records, 'http.duration_mean{route="/cart"}');
      expect(means.map((record) => record.value)).toEqual([89, 89]); // the shutdown export adds no observations
      const p95 = byMetric(records, 'http.duration_p95{route="/cart"}');
      expect(p95[0]!.value).toBeGreaterThan(100);
      expect(p95[0]!.value).toBeLessThanOrEqual(500);
      expect(byMetric(records, 'http.duration_count_rate{route="/cart"}')).toHaveLength(3);
    });
  }

  it('delta temporality: counters become value / interval', async () => {
    const records: MetricSampleInput[] = [];
    const handler = createOtlpMetricsHandler({
      sink: { ingest: async (batch: IngestRecordInput[]) => void records.push(...(batch as MetricSampleInput[])) },
    });
    const server = await listen(handler);
    const reader = new PeriodicExportingMetricReader({
      exporter: new ProtobufExporter({
        url: `${server.url}/v1/metrics`,
        temporalityPreference: AggregationTemporality.DELTA,
      }),
      exportIntervalMillis: 60_000,
    });
    const provider = new MeterProvider({
      resource: resourceFromAttributes({ 'service.name': 'billing' }),
      readers: [reader],
    });
    const counter = provider.getMeter('test').createCounter('jobs');
    counter.add(5);
    await new Promise((done) => setTimeout(done, 50));
    await reader.forceFlush();
    await provider.shutdown();
    await server.close();
    const rates = byMetric(records, 'jobs_rate');
    expect(rates).toHaveLength(1);
    expect(rates[0]!.resource).toBe('billing');
    expect(rates[0]!.value).toBeGreaterThan(0);
  });
});
