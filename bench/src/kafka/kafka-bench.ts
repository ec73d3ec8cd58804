/**
 * Kafka end-to-end benchmark (not a test), on the real broker, for one engine instance and for two in one
 * consumer group (each a child process, `engine-instance.ts`):
 *  - backlog drain: samples/s the instances ingest from a pre-filled topic (consumer side only);
 *  - end-to-end: samples/s while a producer publishes as fast as it can at the same time;
 *  - latency: p50/p99 from publish to finding at half the measured end-to-end rate (every 20th sample is a probe);
 *  - transport only (no engine): publish→handler and publish→ack latency, one message per publish at 200/s.
 * One sample per Kafka message, gzip, acks=all, 6 partitions. Env: BENCH_RUNS (3), BENCH_SAMPLES (100000),
 * BENCH_PACED_SECONDS (8), BENCH_PACED_RATE (default: half the end-to-end rate of the first instance count), BENCH_INSTANCES ('1,2,3'), BENCH_CLIENT ('kafkajs' | 'platformatic'), BENCH_PARTITIONS (6), BENCH_DRAIN ('0' skips the backlog drain),
 * BENCH_PUBLISH_FINDINGS ('0': the engines keep findings in-process), BENCH_OUTPUT (default bench/results/kafka.json),
 * BENCH_CPU_PROF_DIR (write a V8 CPU profile of every engine instance there, to see where the time goes).
 *
 *   bash scripts/services/start-kafka.sh
 *   npx tsx --conditions=@iac-dharma/source bench/src/kafka/kafka-bench.ts
 *
 * Writes bench/results/kafka.json (median of the repeated runs, with min/max).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaTransport } from '@iac-dharma/kafka';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MAX_SAMPLES = Number(process.env.BENCH_SAMPLES ?? 100_000);
const PACED_SECONDS = Number(process.env.BENCH_PACED_SECONDS ?? 8);
const PACED_RATE = Number(process.env.BENCH_PACED_RATE ?? 10_000);
const PROBE_EVERY = 20;
const PARTITIONS = Number(process.env.BENCH_PARTITIONS ?? 6);
const CLIENT = (process.env.BENCH_CLIENT ?? 'kafkajs') as 'kafkajs' | 'platformatic';

function brokers(): string {
  if (process.env.DHARMA_KAFKA_BROKERS) return process.env.DHARMA_KAFKA_BROKERS;
  const file = join(process.env.DHARMA_SERVICES_DIR ?? join(repoRoot, '.services'), 'kafka.env');
  const line = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .find((entry) => entry.startsWith('DHARMA_KAFKA_BROKERS='))
    : undefined;
  if (!line) throw new Error('No Kafka broker: run `bash scripts/services/start-kafka.sh` first.');
  return line.slice('DHARMA_KAFKA_BROKERS='.length).trim();
}

function readBrokerJvmOptions(): string | undefined {
  const file = join(process.env.DHARMA_SERVICES_DIR ?? join(repoRoot, '.services'), 'kafka.env');
  const line = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .find((entry) => entry.startsWith('DHARMA_KAFKA_JVM_OPTS='))
    : undefined;
  return line?.slice('DHARMA_KAFKA_JVM_OPTS='.length).replace(/^"|"$/g, '');
}

interface Instance {
  child: ChildProcess;
  ingested: number;
  /** CPU seconds (user + system) the instance process used so far, and its group joins. */
  cpu: number;
  rebalances: number;
  latencies: number[];
  /** Epoch ms of the instance's first and latest ingested sample. */
  firstAt: number;
  lastAt: number;
}

async function startInstances(count: number, prefix: string): Promise<Instance[]> {
  const instances = Array.from({ length: count }, (_, index) => {
    const child = fork(join(here, 'engine-instance.ts'), [brokers(), prefix, 'bench', `bench-${index}`], {
      env: { ...process.env, BENCH_CLIENT: CLIENT, BENCH_PARTITIONS: String(PARTITIONS) },
      execArgv: [
        '--import',
        'tsx',
        '--conditions=@iac-dharma/source',
        ...(process.env.BENCH_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF_DIR}`] : []),
      ],
      cwd: repoRoot,
    });
    const instance: Instance = { child, ingested: 0, cpu: 0, rebalances: 0, latencies: [], firstAt: 0, lastAt: 0 };
    child.on(
      'message',
      (message: {
        type: string;
        ingested?: number;
        latencies?: number[];
        firstAt?: number;
        lastAt?: number;
        cpu?: number;
        rebalances?: number;
      }) => {
        if (message.type === 'progress') {
          instance.ingested = message.ingested!;
          instance.cpu = message.cpu!;
          instance.rebalances = message.rebalances!;
          instance.firstAt = message.firstAt!;
          instance.lastAt = message.lastAt!;
          instance.latencies.push(...message.latencies!);
        }
      },
    );
    return instance;
  });
  // Each instance joins the group; the later joins rebalance the earlier ones.
  await Promise.all(
    instances.map(
      (instance) =>
        new Promise<void>((resolvePromise) =>
          instance.child.on('message', (message: { type: string }) => message.type === 'ready' && resolvePromise()),
        ),
    ),
  );
  // The measurement starts once the group is settled: no new partition assignment for 3 s (heartbeats
  // every second at most), so the figures are about steady-state consumption, not the joins of the instances.
  let last = -1;
  let stableSince = Date.now();
  for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
    const joins = instances.reduce((sum, instance) => sum + instance.rebalances, 0);
    if (joins !== last) {
      last = joins;
      stableSince = Date.now();
    } else if (Date.now() - stableSince >= 3000 && instances.every((instance) => instance.rebalances > 0)) break;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 50));
  }
  return instances;
}

const cpuOf = (instances: Instance[]) => instances.reduce((sum, instance) => sum + instance.cpu, 0);
const joinsOf = (instances: Instance[]) => instances.reduce((sum, instance) => sum + instance.rebalances, 0);
/** Waits for one more progress report of every instance (they report every 200 ms). */
const nextReport = () => new Promise((resolvePromise) => setTimeout(resolvePromise, 450));

async function stopInstances(instances: Instance[]): Promise<void> {
  await Promise.all(
    instances.map(
      (instance) =>
        new Promise<void>((resolvePromise) => {
          instance.child.once('exit', () => resolvePromise());
          instance.child.send({ type: 'stop' });
        }),
    ),
  );
}

const sample = (index: number, now: number) => ({
  resource: `node-${index % 64}`,
  metric: 'cpu',
  value: index % PROBE_EVERY === 0 ? 0.99 : 0.5,
  timestamp: now,
});

async function waitIngested(instances: Instance[], total: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (instances.reduce((sum, instance) => sum + instance.ingested, 0) < total) {
    if (Date.now() > deadline) return false;
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 5));
  }
  return true;
}

/** Publishes a backlog first, then starts the instances and measures how fast they drain it (consumer side only). */
async function drainThroughput(
  count: number,
): Promise<{ samplesPerSecond: number; perInstance: number[]; cpuSeconds: number; load: number }> {
  const prefix = `bench-drain-${Date.now().toString(36)}.`;
  const producer = new KafkaTransport({
    brokers: brokers().split(','),
    client: CLIENT,
    clientId: 'bench-producer',
    topicPrefix: prefix,
    partitions: PARTITIONS,
  });
  const inFlight: Promise<void>[] = [];
  for (let start = 0; start < MAX_SAMPLES; start += 500) {
    const now = Date.now();
    inFlight.push(
      producer.publish({
        topic: 'metrics',
        messages: Array.from({ length: Math.min(500, MAX_SAMPLES - start) }, (_, offset) => ({
          value: { ...sample(start + offset, now), value: 0.5 },
        })),
      }),
    );
    if (inFlight.length >= 8) await inFlight.shift();
  }
  await Promise.all(inFlight);
  await producer.close();
  // The instances join with the topic already full: this includes their joins (the backlog is there at once).
  const instances = await startInstances(count, prefix);
  const complete = await waitIngested(instances, MAX_SAMPLES, 180_000);
  await nextReport();
  const first = Math.min(...instances.map((instance) => instance.firstAt));
  const last = Math.max(...instances.map((instance) => instance.lastAt));
  const perInstance = instances.map((instance) => instance.ingested);
  const cpuSeconds = cpuOf(instances);
  const load = loadavg()[0]!;
  await stopInstances(instances);
  if (!complete) throw new Error(`only ${perInstance.reduce((a, b) => a + b, 0)} of ${MAX_SAMPLES} samples drained`);
  return { samplesPerSecond: MAX_SAMPLES / ((last - first) / 1000), perInstance, cpuSeconds, load };
}

/** Publishes as fast as the producer can and measures how fast the instances ingest everything. */
async function maxThroughput(count: number): Promise<{
  samplesPerSecond: number;
  perInstance: number[];
  producerPerSecond: number;
  cpuSeconds: number;
  samplesPerCpuSecond: number;
  idleCpuPerSecond: number;
  samplesPerBusyCpuSecond: number;
  load: number;
  joinsDuringRun: number;
}> {
  const prefix = `bench-max-${Date.now().toString(36)}.`;
  const instances = await startInstances(count, prefix);
  const producer = new KafkaTransport({
    brokers: brokers().split(','),
    client: CLIENT,
    clientId: 'bench-producer',
    topicPrefix: prefix,
    partitions: PARTITIONS,
  });
  // Warm-up (not measured): connects the producer and lets every process compile its hot paths.
  const warmup = Number(process.env.BENCH_WARMUP ?? 20_000);
  for (let start = 0; start < warmup; start += 500) {
    await producer.publish({
      topic: 'metrics',
      messages: Array.from({ length: 500 }, (_, offset) => ({
        value: { ...sample(start + offset, Date.now()), value: 0.5 },
      })),
    });
  }
  await waitIngested(instances, warmup, 60_000);
  // Idle cost: CPU the instances use with nothing to consume (fetch polls, heartbeats, timers, the bench's IPC).
  await nextReport();
  const idleFrom = { cpu: cpuOf(instances), at: performance.now() };
  await new Promise((resolvePromise) => setTimeout(resolvePromise, 2000));
  await nextReport();
  const idleCpuPerSecond = (cpuOf(instances) - idleFrom.cpu) / ((performance.now() - idleFrom.at) / 1000);
  const ingestedAtStart = instances.map((instance) => instance.ingested);
  await nextReport();
  const cpuAtStart = cpuOf(instances);
  const joinsAtStart = joinsOf(instances);
  const loadAtStart = loadavg()[0]!;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let start = 0; start < MAX_SAMPLES; start += 500) {
    const now = Date.now();
    inFlight.push(
      producer.publish({
        topic: 'metrics',
        messages: Array.from({ length: Math.min(500, MAX_SAMPLES - start) }, (_, offset) => ({
          value: { ...sample(start + offset, now), value: 0.5 },
        })),
      }),
    );
    if (inFlight.length >= 8) await inFlight.shift();
  }
  await Promise.all(inFlight);
  const produced = performance.now();
  const complete = await waitIngested(instances, MAX_SAMPLES + warmup, 180_000);
  const elapsed = (performance.now() - started) / 1000;
  await nextReport();
  const cpuSeconds = cpuOf(instances) - cpuAtStart;
  const perInstance = instances.map((instance, index) => instance.ingested - ingestedAtStart[index]!);
  const load = (loadAtStart + loadavg()[0]!) / 2;
  const joinsDuringRun = joinsOf(instances) - joinsAtStart;
  await producer.close();
  await stopInstances(instances);
  if (!complete) throw new Error(`only ${perInstance.reduce((a, b) => a + b, 0)} of ${MAX_SAMPLES} samples ingested`);
  const busyCpuSeconds = Math.max(1e-3, cpuSeconds - idleCpuPerSecond * elapsed);
  return {
    samplesPerSecond: MAX_SAMPLES / elapsed,
    perInstance,
    producerPerSecond: MAX_SAMPLES / ((produced - started) / 1000),
    cpuSeconds,
    samplesPerCpuSecond: MAX_SAMPLES / cpuSeconds,
    idleCpuPerSecond,
    samplesPerBusyCpuSecond: MAX_SAMPLES / busyCpuSeconds,
    load,
    joinsDuringRun,
  };
}

/** Publishes at a fixed rate; every 20th sample is a probe that becomes a finding; returns publish→finding latencies. */
async function pacedLatency(
  count: number,
  rate: number,
): Promise<{ p50: number; p99: number; max: number; probes: number; achievedRate: number; load: number }> {
  const prefix = `bench-paced-${Date.now().toString(36)}.`;
  const instances = await startInstances(count, prefix);
  const producer = new KafkaTransport({
    brokers: brokers().split(','),
    client: CLIENT,
    clientId: 'bench-producer',
    topicPrefix: prefix,
    partitions: PARTITIONS,
  });
  await producer.publish({ topic: 'metrics', messages: [{ value: sample(1, Date.now()) }] }); // warm the producer connection
  const total = Math.round(rate * PACED_SECONDS);
  const tickMs = 10;
  const perTick = Math.max(1, Math.round((rate * tickMs) / 1000));
  const started = performance.now();
  const pending: Promise<void>[] = [];
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
    if (due > sent) {
      const now = performance.timeOrigin + performance.now();
      const messages = Array.from({ length: Math.min(due - sent, perTick * 5) }, (_, offset) => ({
        value: sample(sent + offset, now),
      }));
      sent += messages.length;
      pending.push(producer.publish({ topic: 'metrics', messages }));
    }
    await new Promise((resolvePromise) => setTimeout(resolvePromise, tickMs / 2));
  }
  await Promise.all(pending);
  const achievedRate = total / ((performance.now() - started) / 1000);
  const load = loadavg()[0]!;
  await waitIngested(instances, total + 1, 120_000);
  await producer.close();
  await stopInstances(instances);
  const latencies = instances.flatMap((instance) => instance.latencies).sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { p50: at(0.5), p99: at(0.99), max: latencies.at(-1)!, probes: latencies.length, achievedRate, load };
}

/** Transport alone (no engine): one message per publish at a low rate; publish→handler and publish→ack latency. */
async function transportLatency(
  rate: number,
  seconds: number,
): Promise<{ p50: number; p99: number; ackP50: number; ackP99: number }> {
  const prefix = `bench-transport-${Date.now().toString(36)}.`;
  const consumer = new KafkaTransport({
    brokers: brokers().split(','),
    client: CLIENT,
    clientId: 'bench-consumer',
    topicPrefix: prefix,
    partitions: PARTITIONS,
    maxWaitTimeMs: 100,
  });
  const latencies: number[] = [];
  await consumer.subscribe({
    topic: 'metrics',
    group: 'bench',
    handler: async (message) =>
      void latencies.push(performance.timeOrigin + performance.now() - (message.value as { sentAt: number }).sentAt),
  });
  const producer = new KafkaTransport({
    brokers: brokers().split(','),
    client: CLIENT,
    clientId: 'bench-producer',
    topicPrefix: prefix,
    partitions: PARTITIONS,
  });
  const acks: number[] = [];
  for (let index = 0; index < rate * seconds; index++) {
    const sentAt = performance.timeOrigin + performance.now();
    await producer.publish({ topic: 'metrics', messages: [{ key: `node-${index % 64}`, value: { sentAt } }] });
    acks.push(performance.timeOrigin + performance.now() - sentAt);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 1000 / rate));
  }
  const deadline = Date.now() + 30_000;
  while (latencies.length < rate * seconds && Date.now() < deadline)
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 10));
  await producer.close();
  await consumer.close();
  const quantile = (values: number[], q: number) =>
    [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
  return {
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    ackP50: quantile(acks, 0.5),
    ackP99: quantile(acks, 0.99),
  };
}

function summarize(values: number[]): { median: number; min: number; max: number; runs: number[] } {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    median: round(sorted[Math.floor(sorted.length / 2)]!),
    min: round(sorted[0]!),
    max: round(sorted.at(-1)!),
    runs: values.map(round),
  };
}

const figures: Record<string, unknown>[] = [];
const figure = (
  scenario: string,
  instances: number | '—',
  unit: string,
  summary: { median: number; min: number; max: number },
  goal?: string,
) =>
  figures.push({
    scenario,
    instances,
    median: summary.median,
    min: summary.min,
    max: summary.max,
    unit,
    goal: goal ?? '—',
  });
const results: Record<string, unknown> = {
  title: 'Kafka: engine instances on a real broker',
  description:
    `End to end through a real Apache Kafka broker (single KRaft node on this machine): producer → broker → engine.consume() (batch path: one storage write and one analyzer pass per partition fetch) → analyzer → finding. One sample per Kafka message, gzip, acks=all, idempotent producer, client ${process.env.BENCH_CLIENT ?? 'kafkajs'}, ${process.env.BENCH_PARTITIONS ?? 6} partitions for every instance count; each engine instance is its own process with the transport's default settings${process.env.BENCH_FAST_GROUP === '1' ? ' except fast-group ones (fetch wait 100 ms, heartbeat 300 ms)' : ''}. ` +
    'Measurements start once the group is settled (no new assignment for 3 s) and after a 20,000-sample warm-up. End-to-end = samples/s of all instances while a producer publishes as fast as it can; efficiency = samples per CPU-second of the engine processes, summed (process.cpuUsage of each), also shown net of the idle cost measured on the same instances for 2 s right before; latency = publish → finding at half of one instance’s end-to-end rate, the same rate for every instance count (every 20th sample is a probe that becomes a finding; the time includes waiting in the producer). The broker, the producer and the instances share the same 2 cores with everything else running on the machine: the 1-minute load average is given beside each figure.',
  command:
    'bash scripts/services/start-kafka.sh && npx tsx --conditions=@iac-dharma/source bench/src/kafka/kafka-bench.ts',
  measuredAt: new Date().toISOString(),
  figures,
  brokerJvmOptions: process.env.DHARMA_KAFKA_JVM_OPTS ?? readBrokerJvmOptions(),
  machine: {
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadavg().map((value) => Math.round(value * 100) / 100),
  },
  settings: {
    publishFindings: process.env.BENCH_PUBLISH_FINDINGS !== '0',
    runs: RUNS,
    maxSamples: MAX_SAMPLES,
    pacedSeconds: PACED_SECONDS,
    probeEvery: PROBE_EVERY,
    partitions: PARTITIONS,
    client: CLIENT,
    compression: 'gzip',
    acks: -1,
    idempotent: true,
    oneSamplePerMessage: true,
  },
};
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const spread = (values: number[]) => {
  const summary = summarize(values);
  return `${summary.median} (${summary.min}–${summary.max})`;
};
let efficiencyOfOne: number | undefined;
let pacedRateOfOne: number | undefined;
for (const count of (process.env.BENCH_INSTANCES ?? '1,2,3')
  .split(',')
  .map(Number)
  .filter((count) => count > 0)) {
  const drain = [];
  const max = [];
  const paced = [];
  if (process.env.BENCH_DRAIN !== '0') {
    for (let run = 0; run < RUNS; run++) {
      drain.push(await drainThroughput(count));
      const last = drain.at(-1)!;
      console.error(
        `[kafka bench] ${count} instance(s) backlog drain run ${run + 1}: ${Math.round(last.samplesPerSecond)} samples/s (per instance ${last.perInstance.join('/')}), load ${round(last.load)}`,
      );
    }
  }
  for (let run = 0; run < RUNS; run++) {
    max.push(await maxThroughput(count));
    const last = max.at(-1)!;
    console.error(
      `[kafka bench] ${count} instance(s) end-to-end run ${run + 1}: ${Math.round(last.samplesPerSecond)} samples/s (per instance ${last.perInstance.join('/')}), ${Math.round(last.samplesPerCpuSecond)} samples per engine CPU-second (${round(last.cpuSeconds)} CPU s; idle ${round(last.idleCpuPerSecond, 3)} CPU s/s; ${Math.round(last.samplesPerBusyCpuSecond)} per CPU-second net of idle), joins during the run ${last.joinsDuringRun}, load ${round(last.load)}`,
    );
  }
  // Latency at half the measured end-to-end rate (or BENCH_PACED_RATE per instance when set).
  const endToEnd = summarize(max.map((entry) => entry.samplesPerSecond));
  // Every instance count is paced at the same rate, half of one instance's end-to-end median (the goal's
  // rate): the producer is one process on the same 2 cores, and more instances leave it less CPU.
  pacedRateOfOne ??= Math.round(endToEnd.median / 2);
  const rate = process.env.BENCH_PACED_RATE ? PACED_RATE : pacedRateOfOne;
  for (let run = 0; run < RUNS; run++) {
    paced.push(await pacedLatency(count, rate));
    const last = paced.at(-1)!;
    console.error(
      `[kafka bench] ${count} instance(s) paced ${rate}/s run ${run + 1}: p50 ${last.p50.toFixed(1)} ms, p99 ${last.p99.toFixed(1)} ms (${last.probes} probes, achieved ${Math.round(last.achievedRate)}/s), load ${round(last.load)}`,
    );
  }
  const efficiency = summarize(max.map((entry) => entry.samplesPerCpuSecond));
  efficiencyOfOne ??= count === 1 ? efficiency.median : undefined;
  const loads = {
    endToEnd: spread(max.map((entry) => entry.load)),
    paced: spread(paced.map((entry) => entry.load)),
    drain: drain.length > 0 ? spread(drain.map((entry) => entry.load)) : '—',
  };
  figure(
    'end-to-end (producer running), all instances',
    count,
    `samples/s (load ${loads.endToEnd})`,
    endToEnd,
    count === 1 ? '≥ 50000' : undefined,
  );
  figure(
    'engine efficiency, end-to-end',
    count,
    `samples per engine CPU-second, summed (load ${loads.endToEnd})`,
    efficiency,
    count === 1 || efficiencyOfOne === undefined ? undefined : `≥ ${Math.round(efficiencyOfOne * 0.9)}`,
  );
  figure(
    'engine efficiency net of idle polling',
    count,
    'samples per engine CPU-second minus idle CPU',
    summarize(max.map((entry) => entry.samplesPerBusyCpuSecond)),
  );
  figure(
    'idle engine CPU (all instances)',
    count,
    'CPU-seconds per second',
    summarize(max.map((entry) => entry.idleCpuPerSecond)),
  );
  figure(
    `publish → finding p50 at ${rate}/s`,
    count,
    `ms (load ${loads.paced})`,
    summarize(paced.map((entry) => entry.p50)),
  );
  figure(
    `publish → finding p99 at ${rate}/s`,
    count,
    `ms (load ${loads.paced})`,
    summarize(paced.map((entry) => entry.p99)),
    count === 1 ? '< 50' : undefined,
  );
  if (drain.length > 0)
    figure(
      'backlog drain, all instances (joins included)',
      count,
      `samples/s (load ${loads.drain})`,
      summarize(drain.map((entry) => entry.samplesPerSecond)),
    );
  results[`instances_${count}`] = {
    backlogDrainSamplesPerSecond:
      drain.length > 0 ? summarize(drain.map((entry) => entry.samplesPerSecond)) : undefined,
    backlogDrainSamplesPerCpuSecond:
      drain.length > 0 ? summarize(drain.map((entry) => MAX_SAMPLES / entry.cpuSeconds)) : undefined,
    endToEndSamplesPerSecond: endToEnd,
    endToEndPerInstance: summarize(max.map((entry) => entry.samplesPerSecond / count)),
    endToEndSamplesPerEngineCpuSecond: efficiency,
    efficiencyVsOneInstance: efficiencyOfOne ? round(efficiency.median / efficiencyOfOne, 3) : undefined,
    engineCpuSeconds: summarize(max.map((entry) => entry.cpuSeconds)),
    idleEngineCpuSecondsPerSecond: summarize(max.map((entry) => entry.idleCpuPerSecond)),
    samplesPerBusyEngineCpuSecond: summarize(max.map((entry) => entry.samplesPerBusyCpuSecond)),
    perInstanceSamples: max.map((entry) => entry.perInstance),
    joinsDuringRun: max.map((entry) => entry.joinsDuringRun),
    producerSamplesPerSecond: summarize(max.map((entry) => entry.producerPerSecond)),
    pacedRate: rate,
    latencyP50Ms: summarize(paced.map((entry) => entry.p50)),
    latencyP99Ms: summarize(paced.map((entry) => entry.p99)),
    latencyMaxMs: summarize(paced.map((entry) => entry.max)),
    achievedPacedRate: summarize(paced.map((entry) => entry.achievedRate)),
    loadAverage1m: {
      endToEnd: summarize(max.map((entry) => entry.load)),
      paced: summarize(paced.map((entry) => entry.load)),
      drain: drain.length > 0 ? summarize(drain.map((entry) => entry.load)) : undefined,
    },
  };
}
const transport = [];
for (let run = 0; run < RUNS; run++) {
  transport.push(await transportLatency(200, 3));
  const last = transport.at(-1)!;
  console.error(
    `[kafka bench] transport only, 200 msg/s: publish→handler p50 ${last.p50.toFixed(1)} ms, p99 ${last.p99.toFixed(1)} ms; publish→ack p50 ${last.ackP50.toFixed(1)} ms, p99 ${last.ackP99.toFixed(1)} ms`,
  );
}
figure('transport only: publish → handler p50 at 200/s', '—', 'ms', summarize(transport.map((entry) => entry.p50)));
figure('transport only: publish → handler p99 at 200/s', '—', 'ms', summarize(transport.map((entry) => entry.p99)));
figure('transport only: publish → broker ack p50', '—', 'ms', summarize(transport.map((entry) => entry.ackP50)));
results.transportOnly_200_per_second = {
  publishToHandlerP50Ms: summarize(transport.map((entry) => entry.p50)),
  publishToHandlerP99Ms: summarize(transport.map((entry) => entry.p99)),
  publishToAckP50Ms: summarize(transport.map((entry) => entry.ackP50)),
  publishToAckP99Ms: summarize(transport.map((entry) => entry.ackP99)),
};
results.loadAverageAtEnd = loadavg().map((value) => Math.round(value * 100) / 100);
// What the run says about scale-out, in words (computed from the figures above).
const scaling = Object.entries(results)
  .filter(([key]) => key.startsWith('instances_'))
  .map(([key, value]) => {
    const entry = value as {
      efficiencyVsOneInstance?: number;
      samplesPerBusyEngineCpuSecond: { median: number };
      idleEngineCpuSecondsPerSecond: { median: number };
      endToEndSamplesPerEngineCpuSecond: { median: number };
    };
    return {
      instances: Number(key.slice('instances_'.length)),
      raw: entry.endToEndSamplesPerEngineCpuSecond.median,
      busy: entry.samplesPerBusyEngineCpuSecond.median,
      idle: entry.idleEngineCpuSecondsPerSecond.median,
    };
  });
const one = scaling.find((entry) => entry.instances === 1);
if (one) {
  results.scalingSummary = scaling
    .filter((entry) => entry.instances > 1)
    .map(
      (entry) =>
        `${entry.instances} instances: ${Math.round((100 * entry.raw) / one.raw)}% of one instance's samples per engine CPU-second (${Math.round((100 * entry.busy) / one.busy)}% net of idle polling; idle cost ${round(entry.idle, 3)} CPU-s/s for all instances vs ${round(one.idle, 3)} for one)`,
    )
    .join('; ');
  results.description += ` Scale-out in this run: ${String(results.scalingSummary)}.`;
}
mkdirSync(join(repoRoot, 'bench/results'), { recursive: true });
const output = process.env.BENCH_OUTPUT ?? join(repoRoot, 'bench/results/kafka.json');
writeFileSync(output, JSON.stringify(results, null, 2) + '\n');
console.log(JSON.stringify(results, null, 2));
