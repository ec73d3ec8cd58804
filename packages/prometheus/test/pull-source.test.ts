import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestRecordInput, MetricSampleInput } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createPrometheusSource, nodeExporterPack, PrometheusApiError } from '../src/index.js';
import { listen, prometheusEnv } from './prometheus-env.js';

const env = prometheusEnv();

/** A sink that keeps what it gets. */
function collector() {
  const records: MetricSampleInput[] = [];
  return {
    records,
    ingest: async (batch: IngestRecordInput[]) => void records.push(...(batch as MetricSampleInput[])),
  };
}

describe('createPrometheusSource against the real Prometheus + node_exporter', () => {
  const fillFile = env.fillDir ? join(env.fillDir, `fill-${process.pid}.bin`) : '';
  afterAll(() => {
    if (fillFile) rmSync(fillFile, { force: true });
  });

  it('backfills the node_exporter pack, maps labels to resources and steps forward live', async () => {
    const sink = collector();
    const source = createPrometheusSource({
      url: env.prometheus,
      queries: nodeExporterPack({ rateWindow: '5s' }),
      step: '1s',
      lookback: '20s',
      sink,
    });
    await source.backfill();
    const instance = new URL(env.nodeExporter).host;
    const cpu = sink.records.filter((record) => record.metric === 'cpu_busy_ratio' && record.resource === instance);
    expect(cpu.length).toBeGreaterThan(3);
    for (const record of cpu) expect(record.value).toBeGreaterThanOrEqual(0);
    expect(cpu[0]!.labels).toMatchObject({ instance, job: 'node' });
    const memory = sink.records.find((record) => record.metric === 'memory_available_ratio');
    expect(memory!.value).toBeGreaterThan(0);
    expect(memory!.value).toBeLessThan(1);
    // Filesystems are resources of their own (extraLabelsOn: 'resource'), one metric name for all.
    const filesystems = new Set(
      sink.records.filter((record) => record.metric === 'filesystem_free_ratio').map((record) => record.resource),
    );
    expect([...filesystems].some((resource) => resource.startsWith(`${instance}{mountpoint=`))).toBe(true);
    const firstCursor = source.stats().cursor!;
    expect(source.stats().steps).toBe(1);

    await waitFor(
      async () => {
        await source.poll();
        return source.stats().cursor! > firstCursor;
      },
      { timeoutMs: 10_000, intervalMs: 300 },
    );
    const after = sink.records.filter((record) => record.metric === 'cpu_busy_ratio' && record.resource === instance);
    expect(Math.max(...after.map((record) => record.timestamp as number))).toBeGreaterThan(firstCursor);
    expect((await source.health()).status).toBe('ok');
    await source.stop();
  });

  it('sees a file filling a disk in filesystem_free_ratio', async () => {
    expect(env.fillDir, 'start-prometheus.sh mounts a tmpfs for this test (root needed)').not.toBe('');
    const sink = collector();
    const resource = `${new URL(env.nodeExporter).host}{mountpoint=${JSON.stringify(env.fillDir)}}`;
    const source = createPrometheusSource({
      url: env.prometheus,
      queries: nodeExporterPack().filter((query) => query.name === 'filesystem_free_ratio'),
      step: '1s',
      lookback: '5s',
      sink,
    });
    await source.backfill();
    const before = sink.records.filter((record) => record.resource === resource).at(-1)!.value;
    writeFileSync(fillFile, Buffer.alloc(32 * 1024 * 1024, 1));
    const dropped = await waitFor(
      async () => {
        await source.poll();
        const last = sink.records.filter((record) => record.resource === resource).at(-1)!.value;
        return last < before - 0.4 ? last : undefined;
      },
      { timeoutMs: 15_000, intervalMs: 500, message: 'free ratio of the filled tmpfs drops' },
    );
    expect(dropped).toBeLessThan(0.55);
    await source.stop();
  });

  it('counts NaN points, holds the series cap and refuses colliding label sets', async () => {
    const sink = collector();
    const source = createPrometheusSource({
      url: env.prometheus,
      queries: [
        { name: 'not_a_number', promql: 'up * NaN' },
        { name: 'cpu_seconds', promql: 'node_cpu_seconds_total', mapping: { ignoreLabels: ['mode'] } },
      ],
      step: '1s',
      lookback: '3s',
      maxSeries: 4,
      sink,
    });
    await source.backfill();
    const stats = source.stats();
    expect(stats.dropped.invalidValues).toBeGreaterThan(0);
    expect(sink.records.some((record) => record.metric === 'not_a_number')).toBe(false);
    // node_cpu_seconds_total has 8 modes per CPU: ignoring `mode` makes them collide on one series per CPU.
    expect(stats.dropped.collisions + stats.dropped.seriesCap).toBeGreaterThan(0);
    expect(stats.series).toBeLessThanOrEqual(4);
    expect(stats.dropped.collisions).toBeGreaterThan(0);
    await source.stop();
  });

  it('reports PromQL errors as bad-query failures and keeps the other queries going', async () => {
    const sink = collector();
    const source = createPrometheusSource({
      url: env.prometheus,
      queries: { broken: 'rate(up[', up: 'up' },
      step: '1s',
      lookback: '3s',
      sink,
    });
    await source.backfill();
    const stats = source.stats();
    expect(stats.failures.broken).toBe(1);
    expect(stats.lastError).toMatch(/bad_data/);
    expect(sink.records.some((record) => record.metric === 'up')).toBe(true);
    expect((await source.health()).status).toBe('down');
    await source.stop();
  });

  it('retries a failing or slow server with backoff and recovers without losing the range', async () => {
    let calls = 0;
    const flaky = await listen((request, response) => {
      calls++;
      if (calls <= 2) {
        response.writeHead(503, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ status: 'error', errorType: 'unavailable', error: 'overloaded' }));
        return;
      }
      if (calls === 3) return; // never answers: the client's timeout fires
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', async () => {
        const upstream = await fetch(env.prometheus + request.url!, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.concat(chunks),
        });
        response.writeHead(upstream.status, { 'content-type': 'application/json' });
        response.end(await upstream.text());
      });
    });
    const sink = collector();
    const source = createPrometheusSource({
      url: flaky.url,
      queries: { up: 'up' },
      step: '1s',
      lookback: '5s',
      timeout: '300ms',
      backoff: '20ms',
      retries: 4,
      sink,
    });
    await source.backfill();
    const stats = source.stats();
    expect(stats.retries).toBe(3);
    expect(stats.failures).toEqual({});
    expect(sink.records.filter((record) => record.metric === 'up').length).toBeGreaterThanOrEqual(5);
    await source.stop();
    await flaky.close();
  });

  it('a server that is down makes health report down, with typed retryable errors, and never throws', async () => {
    const closed = await listen(() => undefined);
    await closed.close();
    const sink = collector();
    const errors: string[] = [];
    const source = createPrometheusSource({
      url: closed.url,
      queries: { up: 'up' },
      step: '1s',
      lookback: '3s',
      retries: 1,
      backoff: '10ms',
      sink,
      logger: { debug() {}, info() {}, warn: (message) => void errors.push(message), error() {} },
    });
    await source.backfill();
    const health = await source.health();
    expect(health.status).toBe('down');
    expect(health.detail).toMatch(/cannot reach/);
    expect(source.stats().retries).toBe(1);
    expect(sink.records).toHaveLength(0);
    const error = new PrometheusApiError('unreachable', 'x');
    expect(error.isRetryable).toBe(true);
    await source.stop();
  });
});
