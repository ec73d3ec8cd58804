/**
 * One engine instance for the Kafka benchmark, run as a child process by `kafka-bench.ts`
 * (its own event loop, like a real deployment). Consumes `metrics` in the benchmark's group and reports
 * to the parent over IPC: samples ingested, and publish→finding latencies of the probe samples.
 */
import { Engine, type Analyzer, type AnalyzerFinding, type IngestRecord } from '@iac-dharma/core';
import { KafkaTransport } from '@iac-dharma/kafka';

/** Threshold analyzer: probe samples (value > 0.9) become anomaly findings; the rest pass through. */
const threshold: Analyzer = {
  name: 'bench-threshold',
  accepts: ['metric'],
  analyze(records: readonly IngestRecord[]): AnalyzerFinding[] {
    const findings: AnalyzerFinding[] = [];
    for (const record of records) {
      if (record.kind === 'metric' && record.value > 0.9) {
        findings.push({
          kind: 'anomaly',
          resource: record.resource,
          timestamp: record.timestamp,
          severity: 'medium',
          score: 1,
          value: record.value,
          summary: 'probe',
        });
      }
    }
    return findings;
  },
};

const [brokers, topicPrefix, group, name] = process.argv.slice(2) as [string, string, string, string];
const client = (process.env.BENCH_CLIENT ?? 'kafkajs') as 'kafkajs' | 'platformatic';
// The transport's defaults (fetch wait 1 s, heartbeat 1 s, commits every 1 s), as a deployment gets them;
// BENCH_FAST_GROUP=1 uses the tests' fast-group settings instead (fetch wait 100 ms, heartbeat 300 ms).
const fast =
  process.env.BENCH_FAST_GROUP === '1'
    ? { sessionTimeoutMs: 6000, heartbeatIntervalMs: 300, maxWaitTimeMs: 100, commitIntervalMs: 500 }
    : {};
const transport = new KafkaTransport({
  brokers: brokers.split(','),
  client,
  clientId: name,
  topicPrefix,
  partitions: Number(process.env.BENCH_PARTITIONS ?? 6),
  ...fast,
});
// BENCH_PUBLISH_FINDINGS=0 keeps findings in-process (to see what publishing them to Kafka costs).
const engine = new Engine({
  transport,
  analyzers: [threshold],
  publishFindings: process.env.BENCH_PUBLISH_FINDINGS !== '0',
});
let ingested = 0;
let firstAt = 0;
let lastAt = 0;
let latencies: number[] = [];
engine.on('ingested', (records) => {
  ingested += records.length;
  lastAt = performance.timeOrigin + performance.now();
  if (firstAt === 0) firstAt = lastAt;
});
// The probe's timestamp is its publish time (epoch ms with sub-ms fraction, same machine clock).
engine.on('anomaly', (finding) => latencies.push(performance.timeOrigin + performance.now() - finding.timestamp));

await engine.consume({ topics: ['metrics'], group });
process.send!({ type: 'ready' });
// CPU seconds (user + system) of this process so far: the parent sums them over the measured window.
const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const timer = setInterval(() => {
  process.send!({
    type: 'progress',
    ingested,
    latencies,
    firstAt,
    lastAt,
    cpu: cpuSeconds(),
    rebalances: transport.stats().rebalances,
  });
  latencies = [];
}, 200);
process.on('message', async (message: { type: string }) => {
  if (message.type !== 'stop') return;
  clearInterval(timer);
  await engine.close();
  process.send!(
    {
      type: 'progress',
      ingested,
      latencies,
      firstAt,
      lastAt,
      cpu: cpuSeconds(),
      rebalances: transport.stats().rebalances,
    },
    () => process.exit(0),
  );
});
