/**
 * Benchmarks of @iac-dharma/prometheus (issue 18). Writes bench/results/prometheus.json.
 *
 * 1. remote-write ingest: decoding snappy+protobuf WriteRequests (1,000 series × 10 samples each) into
 *    records, in process (`handler.write`) and over loopback HTTP; samples per CPU second of this process.
 * 2. backfill: `createPrometheusSource` reading 1,000 series × 24 h at 15 s (5,760 points each, 5.76 M
 *    points) from a local server answering the Prometheus query_range JSON (10 queries × 100 series,
 *    bodies prepared before timing), into a counting sink; wall seconds.
 * 3. OTLP ingest: protobuf ExportMetricsServiceRequests of 1,000 gauge points each, decoded and mapped;
 *    points per CPU second.
 * 4. `dharma watch` steady state: the built CLI watching 500 series at a 15 s step from a local
 *    Prometheus-compatible server, CPU share of one core from /proc between two live steps after backfill.
 *
 * Usage: npx tsx --conditions=@iac-dharma/source bench/src/prometheus/prometheus-bench.ts [--quick] [--backfill-only]
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IngestRecordInput } from '@iac-dharma/core';
import {
  createOtlpMetricsHandler,
  createPrometheusSource,
  createRemoteWriteHandler,
  encodeWriteRequest,
} from '@iac-dharma/prometheus';
import { ProtobufWriter } from '../../../packages/prometheus/src/protobuf-reader.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const quick = process.argv.includes('--quick');
const repeats = quick ? 2 : 5;

interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number;
}
const spread = (values: number[]): Spread => {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)]!, min: sorted[0]!, max: sorted.at(-1)!, runs: values.length };
};
const cpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};
const counting = () => {
  let count = 0;
  return {
    sink: { ingest: async (records: IngestRecordInput[]) => void (count += records.length) },
    count: () => count,
  };
};

async function listen(handler: Parameters<typeof createServer>[1]) {
  const server = createServer(handler);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

// ---- 1. remote-write ------------------------------------------------------------------------------
async function remoteWrite() {
  const bodies = Array.from({ length: 20 }, (_, batch) =>
    encodeWriteRequest(
      Array.from({ length: 1000 }, (_, series) => ({
        labels: {
          __name__: `node_metric_${series % 50}`,
          instance: `host-${series % 20}:9100`,
          job: 'node',
          device: `d${series}`,
        },
        samples: Array.from(
          { length: 10 },
          (_, index) =>
            [1_700_000_000_000 + (batch * 10 + index) * 15_000, Math.sin(series + index) * 100] as [number, number],
        ),
      })),
    ),
  );
  const samplesPerBody = 10_000;
  const headers = { contentType: 'application/x-protobuf', contentEncoding: 'snappy' };
  const inProcess: number[] = [];
  for (let run = 0; run < repeats; run++) {
    const { sink, count } = counting();
    const handler = createRemoteWriteHandler({ sink, maxSeries: 100_000 });
    const start = cpuSeconds();
    for (const body of bodies) await handler.write(body, headers);
    const seconds = cpuSeconds() - start;
    if (count() !== bodies.length * samplesPerBody || handler.stats().series !== 1000)
      throw new Error(`remote-write delivered ${count()} samples of ${handler.stats().series} series`);
    inProcess.push(count() / seconds);
  }
  const overHttp: number[] = [];
  for (let run = 0; run < repeats; run++) {
    const { sink } = counting();
    const handler = createRemoteWriteHandler({ sink, maxSeries: 100_000 });
    const server = await listen(handler);
    const start = cpuSeconds();
    for (const body of bodies) {
      await new Promise<void>((done, fail) => {
        const request = httpRequest(
          `${server.url}/api/v1/write`,
          { method: 'POST', headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' } },
          (response) => {
            response.resume();
            response.on('end', () =>
              response.statusCode === 204 ? done() : fail(new Error(`status ${response.statusCode}`)),
            );
          },
        );
        request.end(Buffer.from(body));
      });
    }
    // Client and server share this process: the figure counts both, so it understates the receiver.
    overHttp.push((bodies.length * samplesPerBody) / (cpuSeconds() - start));
    await server.close();
  }
  return {
    inProcess: spread(inProcess),
    overHttp: spread(overHttp),
    compressedBytesPerSample: bodies[0]!.length / samplesPerBody,
  };
}

// ---- 2. backfill ---------------------------------------------------------------------------------
async function backfill() {
  const step = 15_000;
  const end = Math.floor(Date.now() / step) * step;
  const start = end - 24 * 3_600_000;
  const points = (end - start) / step + 1;
  const queries = Array.from({ length: 10 }, (_, index) => ({ name: `metric_${index}`, promql: `metric_${index}` }));
  const bodyFor = (query: number, from: number, to: number) => {
    const result = [];
    for (let series = 0; series < 100; series++) {
      const values: Array<[number, string]> = [];
      for (let at = from; at <= to; at += step)
        values.push([at / 1000, String(50 + 10 * Math.sin(at / 3_600_000 + series))]);
      result.push({ metric: { __name__: `metric_${query}`, instance: `host-${series}:9100`, job: 'node' }, values });
    }
    return Buffer.from(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } }));
  };
  // Bodies are prepared before timing: the figure is the source's cost, not the fake server's.
  const bodies = new Map<string, Buffer>();
  for (let query = 0; query < queries.length; query++) bodies.set(`metric_${query}`, bodyFor(query, start, end));
  const server = await listen((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const body = bodies.get(form.get('query') ?? '')!;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      response.end(body);
    });
  });
  const wall: number[] = [];
  const cpu: number[] = [];
  let delivered = 0;
  for (let run = 0; run < repeats; run++) {
    const counter = counting();
    const source = createPrometheusSource({
      url: server.url,
      queries,
      step: '15s',
      lookback: '24h',
      sink: counter.sink,
      clock: { now: () => end, sleep: async () => undefined },
      timeout: '60s',
    });
    const startedWall = performance.now();
    const startedCpu = cpuSeconds();
    await source.backfill();
    wall.push((performance.now() - startedWall) / 1000);
    cpu.push(cpuSeconds() - startedCpu);
    delivered = counter.count();
    await source.stop();
  }
  await server.close();
  return {
    wallSeconds: spread(wall),
    cpuSeconds: spread(cpu),
    series: 1000,
    pointsPerSeries: points,
    delivered,
    responseMegabytes: [...bodies.values()].reduce((sum, body) => sum + body.length, 0) / 1e6,
  };
}

// ---- 3. OTLP ------------------------------------------------------------------------------------
function otlpBody(round: number): Uint8Array {
  const writer = new ProtobufWriter();
  writer.message(1, (resourceMetrics) => {
    resourceMetrics.message(1, (resource) =>
      resource.message(1, (kv) =>
        kv
          .tag(1, 2)
          .string('service.name')
          .message(2, (value) => value.tag(1, 2).string('checkout')),
      ),
    );
    resourceMetrics.message(2, (scope) => {
      for (let metric = 0; metric < 10; metric++) {
        scope.message(2, (m) => {
          m.tag(1, 2).string(`app.metric_${metric}`);
          m.message(5, (gauge) => {
            for (let point = 0; point < 100; point++) {
              gauge.message(1, (dataPoint) => {
                dataPoint.message(7, (kv) =>
                  kv
                    .tag(1, 2)
                    .string('instance')
                    .message(2, (value) => value.tag(1, 2).string(`i-${point}`)),
                );
                dataPoint.tag(3, 1).fixed64((1_700_000_000_000 + round * 15_000) * 1_000_000);
                dataPoint.tag(4, 1).double(Math.cos(point + round));
              });
            }
          });
        });
      }
    });
  });
  return writer.finish();
}

async function otlp() {
  const bodies = Array.from({ length: 30 }, (_, round) => otlpBody(round));
  const rates: number[] = [];
  for (let run = 0; run < repeats; run++) {
    const { sink, count } = counting();
    const handler = createOtlpMetricsHandler({ sink });
    const start = cpuSeconds();
    for (const body of bodies) await handler.write(body, { contentType: 'application/x-protobuf' });
    const seconds = cpuSeconds() - start;
    if (count() !== bodies.length * 1000) throw new Error(`OTLP delivered ${count()} points`);
    rates.push(count() / seconds);
  }
  return { pointsPerCpuSecond: spread(rates), pointsPerRequest: 1000 };
}

// ---- 4. dharma watch ----------------------------------------------------------------------------
async function watchCpu() {
  const seriesCount = 500;
  const step = 15_000;
  const server = await listen((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const form = new URLSearchParams(Buffer.concat(chunks).toString());
      const from = Number(form.get('start')) * 1000;
      const to = Number(form.get('end')) * 1000;
      const result = [];
      for (let series = 0; series < seriesCount; series++) {
        const values: Array<[number, string]> = [];
        for (let at = from; at <= to; at += step)
          values.push([at / 1000, String(0.5 + 0.1 * Math.sin(at / 600_000 + series) + 0.01 * Math.random())]);
        result.push({ metric: { instance: `host-${series}:9100`, job: 'node' }, values });
      }
      const body = JSON.stringify({ status: 'success', data: { resultType: 'matrix', result } });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    });
  });
  // The built CLI when present (what users run), else its sources through tsx — never the bin wrapper,
  // whose process would not be the one doing the work.
  const built = join(root, 'packages/cli/dist/bin.js');
  const entry = existsSync(built)
    ? [built]
    : ['--conditions=@iac-dharma/source', '--import', 'tsx', join(root, 'packages/cli/src/bin.ts')];
  const child = spawn(
    process.execPath,
    [
      ...entry,
      'watch',
      '--prometheus',
      server.url,
      '--query',
      'busy=busy_ratio',
      '--lookback',
      '2h',
      '--step',
      '15s',
      '--for',
      quick ? '50s' : '95s',
      '--json',
      '--out',
      '/dev/null',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const ticks = () => {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15), in clock ticks
  };
  const exited = new Promise<number | null>((done) => child.on('close', done));
  while (!stderr.includes('watching live')) {
    if (child.exitCode !== null) throw new Error(`dharma watch exited: ${stderr}`);
    await new Promise((done) => setTimeout(done, 100));
  }
  const startTicks = ticks();
  const startWall = performance.now();
  await new Promise((done) => setTimeout(done, quick ? 30_000 : 75_000));
  const usedTicks = ticks() - startTicks;
  const wallSeconds = (performance.now() - startWall) / 1000;
  await exited;
  await server.close();
  const clockTicks = 100; // getconf CLK_TCK on Linux
  return {
    cpuShareOfOneCore: usedTicks / clockTicks / wallSeconds,
    series: seriesCount,
    steadyStateSeconds: wallSeconds,
    summary: stdout.trimEnd().split('\n').at(-1),
  };
}

if (process.argv.includes('--backfill-only')) {
  console.log(JSON.stringify(await backfill(), null, 2));
  process.exit(0);
}
const results = {
  remoteWrite: await remoteWrite(),
  backfill: await backfill(),
  otlp: await otlp(),
  watch: await watchCpu(),
};
const figures = [
  {
    scenario: 'remote-write decode → records, in process',
    median: Math.round(results.remoteWrite.inProcess.median),
    min: Math.round(results.remoteWrite.inProcess.min),
    max: Math.round(results.remoteWrite.inProcess.max),
    unit: 'samples per CPU second',
    goal: '≥ 100000',
  },
  {
    scenario: 'remote-write over loopback HTTP (client + server in one process)',
    median: Math.round(results.remoteWrite.overHttp.median),
    min: Math.round(results.remoteWrite.overHttp.min),
    max: Math.round(results.remoteWrite.overHttp.max),
    unit: 'samples per CPU second',
    goal: '—',
  },
  {
    scenario: 'backfill 1,000 series × 24 h at 15 s (5.76 M points)',
    median: Number(results.backfill.wallSeconds.median.toFixed(2)),
    min: Number(results.backfill.wallSeconds.min.toFixed(2)),
    max: Number(results.backfill.wallSeconds.max.toFixed(2)),
    unit: 's wall',
    goal: '< 5',
  },
  {
    scenario: 'OTLP protobuf gauges decode → records',
    median: Math.round(results.otlp.pointsPerCpuSecond.median),
    min: Math.round(results.otlp.pointsPerCpuSecond.min),
    max: Math.round(results.otlp.pointsPerCpuSecond.max),
    unit: 'points per CPU second',
    goal: '≥ 50000',
  },
  {
    scenario: 'dharma watch, 500 series at a 15 s step, steady state',
    median: Number((results.watch.cpuShareOfOneCore * 100).toFixed(2)),
    min: Number((results.watch.cpuShareOfOneCore * 100).toFixed(2)),
    max: Number((results.watch.cpuShareOfOneCore * 100).toFixed(2)),
    unit: '% of one core',
    goal: '< 5',
  },
];
const output = {
  title: 'Prometheus, remote-write, OTLP and dharma watch',
  description:
    'Throughput of the remote-write and OTLP receivers (per CPU second of the process, counting sinks), wall time of a 24 h backfill of 1,000 series through the PromQL pull source from a local server answering prepared query_range JSON, and the steady-state CPU share of the built `dharma watch` (AnomalyDetector on every series) for 500 series at a 15 s step, from /proc between live steps after the backfill.',
  command: 'npx tsx --conditions=@iac-dharma/source bench/src/prometheus/prometheus-bench.ts',
  measuredAt: new Date().toISOString(),
  figures,
  details: results,
};
writeFileSync(join(root, 'bench/results/prometheus.json'), `${JSON.stringify(output, null, 2)}\n`);
console.log(JSON.stringify(figures, null, 2));
