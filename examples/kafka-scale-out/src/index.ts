/**
 * Kafka scale-out: two engine instances in one consumer group split the `metrics` partitions, publish
 * their findings to the `anomalies` topic, and when one instance stops mid-stream the other takes over
 * its partitions — every sample is still processed.
 *
 *   DHARMA_KAFKA_BROKERS=127.0.0.1:9092 npx tsx --conditions=@iac-dharma/source examples/kafka-scale-out/src/index.ts
 *
 * Prints a JSON report as its last line and exits non-zero when a sample was lost.
 */
import { pathToFileURL } from 'node:url';
import { Engine, type Analyzer, type AnalyzerFinding, type IngestRecord } from '@iac-dharma/core';
import { KafkaTransport } from '@iac-dharma/kafka';

/** A deliberately simple analyzer: CPU above a threshold is an anomaly. Real deployments use `AnomalyDetector`. */
class CpuThresholdAnalyzer implements Analyzer {
  readonly name = 'cpu-threshold';
  readonly accepts = ['metric'] as const;
  constructor(private readonly threshold: number) {}
  analyze(records: readonly IngestRecord[]): AnalyzerFinding[] {
    return records
      .filter((record) => record.kind === 'metric' && record.metric === 'cpu' && record.value > this.threshold)
      .map((record) => {
        const sample = record as Extract<IngestRecord, { kind: 'metric' }>;
        return {
          kind: 'anomaly',
          resource: sample.resource,
          series: `${sample.resource}/cpu`,
          timestamp: sample.timestamp,
          severity: 'high',
          score: 1,
          value: sample.value,
          summary: `cpu ${sample.value} above ${this.threshold}`,
        };
      });
  }
}

/** Settings of {@link runScaleOut}. */
export interface ScaleOutOptions {
  /** Kafka bootstrap brokers, `host:port`. */
  brokers: string[];
  /** Samples to publish. @default 6000 */
  samples?: number;
  /** Distinct resources (one partition key each). @default 24 */
  resources?: number;
  /** Prefix of the topics, so runs do not mix. @default a fresh `scale-out-<random>.` */
  topicPrefix?: string;
}

/** What {@link runScaleOut} observed. */
export interface ScaleOutReport {
  published: number;
  /** Samples ingested by each instance (a redelivered sample counts again). */
  processedByA: number;
  processedByB: number;
  /** Distinct samples processed by either instance; equals `published` when nothing was lost. */
  distinctProcessed: number;
  /** Samples A had processed when it stopped; B processed everything after. */
  aStoppedAfter: number;
  expectedAnomalies: number;
  /** Distinct anomaly findings read back from the `anomalies` topic. */
  anomaliesOnTopic: number;
}

/** Runs the scenario against a broker and reports what each instance did. */
export async function runScaleOut(options: ScaleOutOptions): Promise<ScaleOutReport> {
  const total = options.samples ?? 6000;
  const resources = options.resources ?? 24;
  const topicPrefix = options.topicPrefix ?? `scale-out-${Date.now().toString(36)}.`;
  const transport = (clientId: string): KafkaTransport =>
    new KafkaTransport({
      brokers: options.brokers,
      clientId,
      topicPrefix,
      partitions: 6,
      sessionTimeoutMs: 6000,
      heartbeatIntervalMs: 300,
      maxWaitTimeMs: 250,
      commitIntervalMs: 200,
    });

  // Every 100th sample of each resource is a spike above the threshold.
  const sampleAt = (index: number) => ({
    resource: `node-${index % resources}`,
    metric: 'cpu',
    value: index % 100 === 7 ? 0.99 : 0.3 + (index % 10) / 50,
    timestamp: 1764236400000 + index,
  });
  const expectedAnomalies = Array.from({ length: total }, (_, index) => sampleAt(index)).filter(
    (sample) => sample.value > 0.9,
  ).length;

  const seen = [new Set<number>(), new Set<number>()];
  const counts = [0, 0];
  const engines: Engine[] = [];
  for (const index of [0, 1]) {
    const engine = new Engine({
      transport: transport(`instance-${index === 0 ? 'a' : 'b'}`),
      analyzers: [new CpuThresholdAnalyzer(0.9)],
    });
    engine.on('ingested', (records) => {
      for (const record of records) {
        counts[index]!++;
        seen[index]!.add(record.timestamp - 1764236400000);
      }
    });
    await engine.consume({ group: 'scale-out' });
    engines.push(engine);
  }
  const [engineA, engineB] = engines as [Engine, Engine];

  // An observer reads the findings back from Kafka: they are what downstream systems would consume.
  const observer = transport('observer');
  const anomalies = new Set<string>();
  await observer.subscribe({
    topic: 'anomalies',
    handler: async (message) =>
      void anomalies.add(
        `${(message.value as { resource: string; timestamp: number }).resource}@${(message.value as { timestamp: number }).timestamp}`,
      ),
  });

  const producer = transport('producer');
  const distinct = () => new Set([...seen[0]!, ...seen[1]!]).size;
  let aStoppedAfter = -1;
  for (let start = 0; start < total; start += 200) {
    await producer.publish({
      topic: 'metrics',
      messages: Array.from({ length: Math.min(200, total - start) }, (_, offset) => ({
        value: sampleAt(start + offset),
      })),
    });
    if (aStoppedAfter < 0 && start >= total / 2) {
      // Stop instance A mid-stream: it finishes what it holds, commits, and leaves the group; B takes over.
      await waitUntil(() => seen[0]!.size > 0, 30_000);
      await engineA.close();
      aStoppedAfter = counts[0]!;
    }
  }
  await waitUntil(() => distinct() >= total && anomalies.size >= expectedAnomalies, 60_000);
  await engineB.close();
  await observer.close();
  await producer.close();
  return {
    published: total,
    processedByA: counts[0]!,
    processedByB: counts[1]!,
    distinctProcessed: distinct(),
    aStoppedAfter,
    expectedAnomalies,
    anomaliesOnTopic: anomalies.size,
  };
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const brokers = (process.env.DHARMA_KAFKA_BROKERS ?? process.argv[2] ?? '').split(',').filter(Boolean);
  if (brokers.length === 0) {
    console.error(
      'Set DHARMA_KAFKA_BROKERS=host:port (npm test starts a broker with scripts/services/start-kafka.sh).',
    );
    process.exit(2);
  }
  const report = await runScaleOut({
    brokers,
    ...(process.env.SCALE_OUT_SAMPLES ? { samples: Number(process.env.SCALE_OUT_SAMPLES) } : {}),
  });
  console.log(
    `instance A processed ${report.processedByA} samples before stopping, instance B ${report.processedByB}; ${report.distinctProcessed}/${report.published} distinct samples processed; ${report.anomaliesOnTopic}/${report.expectedAnomalies} anomalies on the anomalies topic`,
  );
  console.log(JSON.stringify(report));
  process.exit(
    report.distinctProcessed === report.published && report.anomaliesOnTopic >= report.expectedAnomalies ? 0 : 1,
  );
}
