import { request as httpRequest } from 'node:http';
import type { IngestRecordInput, MetricSampleInput } from '@iac-dharma/core';
import { createEngine } from '@iac-dharma/core';
import { describe, expect, it } from 'vitest';
import { listen } from '../test/prometheus-env.js';
import { createRemoteWriteHandler, encodeWriteRequest, PushRequestError } from './index.js';
import { snappyCompress, snappyDecompress } from './snappy.js';

function collector() {
  const records: MetricSampleInput[] = [];
  return {
    records,
    ingest: async (batch: IngestRecordInput[]) => void records.push(...(batch as MetricSampleInput[])),
  };
}

const headers = { contentType: 'application/x-protobuf', contentEncoding: 'snappy' };
const cpu = (instance: string, value: number, timestamp = 1_700_000_000_000) => ({
  labels: { __name__: 'node_load1', instance, job: 'node' },
  samples: [[timestamp, value]] as Array<[number, number]>,
});

async function post(
  url: string,
  body: Uint8Array,
  extraHeaders: Record<string, string>,
  method = 'POST',
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method, headers: extraHeaders }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode!, text }));
    });
    request.on('error', reject);
    request.end(Buffer.from(body));
  });
}

describe('snappy block codec', () => {
  it('round-trips repetitive and random data', () => {
    const repetitive = new TextEncoder().encode('node_cpu_seconds_total{mode="idle"} '.repeat(500));
    const random = Uint8Array.from({ length: 70_000 }, (_, index) => (index * 2_654_435_761) >>> 24);
    for (const input of [repetitive, random, new Uint8Array(0)]) {
      const compressed = snappyCompress(input);
      expect(Array.from(snappyDecompress(compressed, 1 << 20))).toEqual(Array.from(input));
    }
    expect(snappyCompress(repetitive).length).toBeLessThan(repetitive.length / 5);
  });

  it('rejects a declared length over the limit before allocating, and copies pointing before the start', () => {
    expect(() => snappyDecompress(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x0f]), 1024)).toThrow(/exceeds the limit/);
    // length 8, then a 2-byte-offset copy of 8 bytes at offset 5 with nothing written yet
    expect(() => snappyDecompress(Uint8Array.from([8, (7 << 2) | 2, 5, 0]), 1024)).toThrow(/before the start/);
  });
});

describe('createRemoteWriteHandler', () => {
  it('decodes series into records: instance → resource, __name__ + labels → metric, labels kept', async () => {
    const sink = collector();
    const handler = createRemoteWriteHandler({ sink });
    const body = encodeWriteRequest([
      cpu('web-1:9100', 0.5),
      {
        labels: { __name__: 'node_filesystem_avail_bytes', instance: 'web-1:9100', job: 'node', mountpoint: '/' },
        samples: [
          [1_700_000_000_000, 1e9],
          [1_700_000_015_000, 9e8],
        ],
      },
    ]);
    const counters = await handler.write(body, headers);
    expect(counters.samples).toBe(3);
    expect(sink.records).toEqual([
      {
        resource: 'web-1:9100',
        metric: 'node_load1',
        value: 0.5,
        timestamp: 1_700_000_000_000,
        labels: { __name__: 'node_load1', instance: 'web-1:9100', job: 'node' },
      },
      expect.objectContaining({
        resource: 'web-1:9100',
        metric: 'node_filesystem_avail_bytes{mountpoint="/"}',
        value: 1e9,
      }),
      expect.objectContaining({ value: 9e8, timestamp: 1_700_000_015_000 }),
    ]);
  });

  it('counts and skips NaN, Infinity and stale markers; keeps the finite samples', async () => {
    const sink = collector();
    const handler = createRemoteWriteHandler({ sink });
    const body = encodeWriteRequest([
      {
        labels: { __name__: 'm', instance: 'a' },
        samples: [
          [1, Number.NaN],
          [2, Number.POSITIVE_INFINITY],
          [3, 'stale'],
          [4, 7],
        ],
      },
    ]);
    const counters = await handler.write(body, headers);
    expect(counters).toMatchObject({ samples: 1, invalidValues: 2, staleMarkers: 1 });
    expect(sink.records.map((record) => record.value)).toEqual([7]);
  });

  it('answers typed 4xx errors for wrong method, content type, encoding, oversized, corrupt and truncated bodies', async () => {
    const sink = collector();
    const handler = createRemoteWriteHandler({ sink, maxBodyBytes: 4096, maxDecodedBytes: 8192 });
    const server = await listen(handler);
    const url = `${server.url}/api/v1/write`;
    const good = encodeWriteRequest([cpu('a', 1)]);
    const ok = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' };
    expect((await post(url, good, ok)).status).toBe(204);
    expect((await post(url, good, ok, 'PUT')).status).toBe(405);
    expect((await post(url, good, { ...ok, 'content-type': 'application/json' })).status).toBe(415);
    expect((await post(url, good, { 'content-type': 'application/x-protobuf' })).status).toBe(415);
    expect((await post(url, new Uint8Array(5000), ok)).status).toBe(413);
    // A small body that declares a huge decoded size: refused from the preamble.
    expect((await post(url, Uint8Array.from([0xff, 0xff, 0x7f, 0]), ok)).status).toBe(413);
    expect((await post(url, Uint8Array.from([1, 2, 3, 4, 5, 6]), ok)).status).toBe(400);
    const raw = encodeWriteRequest([cpu('a', 1), cpu('b', 2)], { compress: false });
    const truncated = snappyCompress(raw.subarray(0, raw.length - 5));
    const answer = await post(url, truncated, ok);
    expect(answer.status).toBe(400);
    expect(answer.text).toMatch(/Malformed remote-write body/);
    expect(handler.stats().refused).toEqual({
      method: 1,
      'content-type': 1,
      'content-encoding': 1,
      'too-large': 2,
      snappy: 1,
      protobuf: 1,
    });
    expect(sink.records).toHaveLength(1);
    await expect(handler.write(truncated, headers)).rejects.toSatisfy(
      (error: unknown) => error instanceof PushRequestError && error.reason === 'protobuf' && error.status === 400,
    );
    await server.close();
  });

  it('answers 500 when the sink fails, so Prometheus retries the batch', async () => {
    let failing = true;
    const records: unknown[] = [];
    const handler = createRemoteWriteHandler({
      sink: {
        ingest: async (batch) => {
          if (failing) throw new Error('disk full');
          records.push(...batch);
        },
      },
    });
    const server = await listen(handler);
    const body = encodeWriteRequest([cpu('a', 1)]);
    const ok = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' };
    expect((await post(server.url, body, ok)).status).toBe(500);
    failing = false;
    expect((await post(server.url, body, ok)).status).toBe(204);
    expect(records).toHaveLength(1);
    await server.close();
  });

  it('holds the series cap under a cardinality flood and counts every dropped sample', async () => {
    const sink = collector();
    const handler = createRemoteWriteHandler({ sink, maxSeries: 100 });
    for (let batch = 0; batch < 20; batch++) {
      const series = Array.from({ length: 1000 }, (_, index) => ({
        labels: { __name__: 'requests', instance: 'api', request_id: `${batch}-${index}` },
        samples: [[1000, 1]] as Array<[number, number]>,
      }));
      await handler.write(encodeWriteRequest(series), headers);
    }
    const stats = handler.stats();
    expect(stats.series).toBe(100);
    expect(stats.samples).toBe(100);
    expect(stats.seriesCapDrops).toBe(19_900);
    expect(sink.records).toHaveLength(100);
  });

  it('refuses a second label set that maps onto the same series (collision) and counts it', async () => {
    const sink = collector();
    const handler = createRemoteWriteHandler({ sink, mapping: { ignoreLabels: ['pod'] } });
    const counters = await handler.write(
      encodeWriteRequest([
        { labels: { __name__: 'm', instance: 'a', pod: 'x' }, samples: [[1, 1]] },
        {
          labels: { __name__: 'm', instance: 'a', pod: 'y' },
          samples: [
            [1, 2],
            [2, 3],
          ],
        },
      ]),
      headers,
    );
    expect(counters).toMatchObject({ samples: 1, collisionDrops: 2 });
  });

  it('feeds a real Engine', async () => {
    const engine = createEngine();
    const handler = createRemoteWriteHandler({ sink: engine });
    await handler.write(encodeWriteRequest([cpu('web-1', 0.25), cpu('web-2', 0.75)]), headers);
    expect(engine.stats().ingested).toBe(2);
    const points = await engine.storage.rangePoints({ series: 'web-2/node_load1' });
    expect(points.map((point) => point.value)).toEqual([0.75]);
    await engine.close();
  });
});
