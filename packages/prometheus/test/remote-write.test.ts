import type { IngestRecordInput, MetricSampleInput } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import { describe, expect, it } from 'vitest';
import { createRemoteWriteHandler } from '../src/index.js';
import { listen, prometheusEnv, startPrivatePrometheus } from './prometheus-env.js';

const env = prometheusEnv();

describe('remote-write from a real Prometheus', () => {
  it('receives node_exporter samples that Prometheus scraped and pushed (snappy + protobuf, remote-write 1.0)', async () => {
    const records: MetricSampleInput[] = [];
    const handler = createRemoteWriteHandler({
      sink: { ingest: async (batch: IngestRecordInput[]) => void records.push(...(batch as MetricSampleInput[])) },
    });
    const receiver = await listen(handler);
    const nodeTarget = new URL(env.nodeExporter).host;
    const prometheus = await startPrivatePrometheus(`
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['${nodeTarget}']
remote_write:
  - url: ${receiver.url}/api/v1/write
    queue_config:
      batch_send_deadline: 1s
      max_samples_per_send: 2000
`);
    try {
      await waitFor(
        () =>
          records.some(
            (record) => record.metric.startsWith('node_filesystem_avail_bytes{') && record.resource === nodeTarget,
          ),
        {
          timeoutMs: 30_000,
          intervalMs: 200,
          message: 'node_exporter samples arrive through remote-write',
        },
      );
      const load = records.find((record) => record.metric === 'node_load1')!;
      expect(load.resource).toBe(nodeTarget);
      expect(load.labels).toMatchObject({ job: 'node', instance: nodeTarget });
      expect(Math.abs((load.timestamp as number) - Date.now())).toBeLessThan(120_000);
      const stats = handler.stats();
      expect(stats.requests).toBeGreaterThan(0);
      expect(stats.refused).toEqual({});
      expect(stats.series).toBeGreaterThan(50);
    } finally {
      await prometheus.stop();
      await receiver.close();
    }
  });
});
