/**
 * Gateway benchmark (not a test): query latency at a fixed offered rate, saturation throughput with
 * concurrent clients, and concurrent subscriptions under steady fan-out, all on loopback against a
 * gateway in its own process. Writes bench/results/gateway.json.
 *
 * Usage: npx tsx --conditions=@iac-dharma/source bench/src/gateway/gateway-bench.ts [runs=3]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, type DharmaClient } from '@iac-dharma/client';
import WebSocket from 'ws';
import { BENCH_KEY } from './bench-key.js';
import { percentile, spread, startServer } from './load-tools.js';

const runs = Number(process.argv[2] ?? 3);
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const query = (client: DharmaClient, index: number) => client.infrastructure(`infra-${index % 20}`);

/** Open loop: starts one query every 1000/rate ms for `seconds`; latency counted from the scheduled start. */
async function openLoop(clients: DharmaClient[], rate: number, seconds: number) {
  const latencies: number[] = [];
  let errors = 0;
  let firstError = '';
  const total = rate * seconds;
  const begin = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let index = 0; index < total; index++) {
    const due = begin + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      query(clients[index % clients.length]!, index).then(
        () => void latencies.push(performance.now() - due),
        (error: unknown) => {
          errors++;
          firstError ||=
            error instanceof Error
              ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`
              : String(error);
        },
      ),
    );
  }
  await Promise.all(inFlight);
  const elapsed = (performance.now() - begin) / 1000;
  return {
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    p99: percentile(latencies, 0.99),
    achieved: latencies.length / elapsed,
    errors,
    firstError,
  };
}

/** Closed loop: `concurrency` clients each send the next query when the previous answers. */
async function closedLoop(clients: DharmaClient[], concurrency: number, seconds: number) {
  const latencies: number[] = [];
  const end = performance.now() + seconds * 1000;
  let counter = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (performance.now() < end) {
        const started = performance.now();
        await query(clients[worker % clients.length]!, counter++);
        latencies.push(performance.now() - started);
      }
    }),
  );
  return {
    requestsPerSecond: latencies.length / seconds,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
  };
}

/** `subscribers` metricsStream subscriptions over `sockets` connections; `eventsPerSecond` samples ingested for `seconds`. */
async function fanOut(url: string, subscribers: number, sockets: number, eventsPerSecond: number, seconds: number) {
  const publisher = createClient({ url, apiKey: BENCH_KEY, webSocketImpl: WebSocket });
  const socketClients = Array.from({ length: sockets }, () =>
    createClient({ url, apiKey: BENCH_KEY, webSocketImpl: WebSocket }),
  );
  const delays: number[] = [];
  let received = 0;
  const iterators = Array.from({ length: subscribers }, (_, index) =>
    socketClients[index % sockets]!.metricsStream({ resourceId: 'fanout' }),
  );
  const consumers = iterators.map(async (iterator) => {
    try {
      for await (const metric of iterator) {
        received++;
        delays.push(Date.now() - metric.timestamp);
      }
    } catch {
      // counted as missing deliveries
    }
  });
  // Wait until every subscription is live: a probe sample must reach all subscribers.
  const probeDeadline = Date.now() + 60_000;
  while (received < subscribers && Date.now() < probeDeadline) {
    received = 0;
    await publisher.ingestMetrics([{ resourceId: 'fanout', metric: 'probe', value: 0, timestamp: Date.now() }]);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const ready = received >= subscribers;
  received = 0;
  delays.length = 0;
  const events = eventsPerSecond * seconds;
  const begin = performance.now();
  for (let index = 0; index < events; index++) {
    const wait = begin + (index * 1000) / eventsPerSecond - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    await publisher.ingestMetrics([{ resourceId: 'fanout', metric: 'load', value: index, timestamp: Date.now() }]);
  }
  const expected = events * subscribers;
  const settleDeadline = Date.now() + 10_000;
  while (received < expected && Date.now() < settleDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
  const result = {
    ready,
    delivered: received / expected,
    p50DelayMs: percentile(delays, 0.5),
    p95DelayMs: percentile(delays, 0.95),
  };
  await Promise.all(iterators.map((iterator) => iterator.return()));
  await Promise.all(consumers);
  await Promise.all([publisher, ...socketClients].map((client) => client.close()));
  return result;
}

/** Baseline of the machine: a bare node:http server answering fixed JSON, queried with fetch, closed loop. */
async function baseline(concurrency: number, seconds: number): Promise<number> {
  const server = createServer(
    (_request, response) => void response.writeHead(200, { 'content-type': 'application/json' }).end('{"data":{}}'),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  let count = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await (await fetch(url, { method: 'POST', body: '{}' })).json();
        count++;
      }
    }),
  );
  server.close();
  return count / seconds;
}

async function main(): Promise<void> {
  const figures: Record<string, unknown>[] = [];
  const details: Record<string, unknown> = { loadAverageAtStart: loadavg() };
  const baselineSamples = [];
  for (let run = 0; run < runs; run++) baselineSamples.push(await baseline(8, 3));
  figures.push({
    test: 'machine baseline: bare node:http server + fetch (same process), 8 concurrent, 3 s',
    requestsPerSecond: spread(baselineSamples),
  });
  console.log(JSON.stringify(figures[0]));
  const server = await startServer();
  try {
    const clients = Array.from({ length: 8 }, () =>
      createClient({ url: server.url, apiKey: BENCH_KEY, retry: { retries: 0 } }),
    );
    await closedLoop(clients, 8, 2); // warm-up (JIT, connection pools)

    for (const rate of [100, 500]) {
      const samples = [];
      for (let run = 0; run < runs; run++) samples.push(await openLoop(clients, rate, 5));
      const row = {
        test: `infrastructure(id) query, open loop ${rate} req/s, 8 clients, 5 s`,
        p50Ms: spread(samples.map((sample) => sample.p50)),
        p95Ms: spread(samples.map((sample) => sample.p95)),
        p99Ms: spread(samples.map((sample) => sample.p99)),
        achievedRps: spread(samples.map((sample) => sample.achieved)),
        errors: samples.reduce((sum, sample) => sum + sample.errors, 0),
        firstError: samples.find((sample) => sample.firstError)?.firstError ?? null,
      };
      figures.push(row);
      console.log(JSON.stringify(row));
    }
    for (const concurrency of [1, 8, 32]) {
      const samples = [];
      for (let run = 0; run < runs; run++) samples.push(await closedLoop(clients, concurrency, 5));
      const row = {
        test: `infrastructure(id) query, closed loop, ${concurrency} concurrent, 5 s`,
        requestsPerSecond: spread(samples.map((sample) => sample.requestsPerSecond)),
        p50Ms: spread(samples.map((sample) => sample.p50)),
        p95Ms: spread(samples.map((sample) => sample.p95)),
      };
      figures.push(row);
      console.log(JSON.stringify(row));
    }
    await Promise.all(clients.map((client) => client.close()));
  } finally {
    await server.stop();
  }

  // Subscriptions: a fresh server per step so steps do not disturb each other.
  const steps: Record<string, unknown>[] = [];
  for (const subscribers of [100, 500, 1000, 2000, 4000]) {
    const stepServer = await startServer();
    try {
      const sockets = Math.min(subscribers, 100);
      const result = await fanOut(stepServer.url, subscribers, sockets, 10, 5);
      const row = {
        test: `metricsStream fan-out: ${subscribers} subscriptions over ${sockets} sockets, 10 events/s for 5 s`,
        ...result,
      };
      steps.push(row);
      figures.push(row);
      console.log(JSON.stringify(row));
      if (!result.ready || result.delivered < 1 || result.p95DelayMs > 1000) break;
    } finally {
      await stepServer.stop();
    }
  }
  const held = steps.filter((step) => step.ready && step.delivered === 1 && (step.p95DelayMs as number) <= 1000);
  details.maxSubscriptionsHeld = held.length > 0 ? (held.at(-1)!.test as string) : 'none';

  const output = {
    title: 'GraphQL gateway',
    description:
      'Gateway (memory storage, anomaly detector, 20 infrastructures with 2 compute + 2 deployments each) in its own Node process; load from a second process over loopback with @iac-dharma/client (graphql-request over fetch; graphql-ws over ws). Open-loop latency is measured from each request\'s scheduled start. "Held" subscriptions: every event delivered to every subscriber with p95 delivery delay <= 1 s. Medians of repeated runs with min/max.',
    command: `npx tsx --conditions=@iac-dharma/source bench/src/gateway/gateway-bench.ts ${runs}`,
    measuredAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version, loadAverageAtEnd: loadavg() },
    figures,
    ...details,
  };
  const file = join(root, 'bench/results/gateway.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  console.log(`wrote ${file}`);
}

await main();
