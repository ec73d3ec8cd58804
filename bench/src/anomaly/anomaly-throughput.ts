// Benchmark of the default AnomalyDetector: samples/s per core over the whole NAB corpus (58 files,
// each streamed through a fresh detector as the CLI does) and bytes of state per tracked series.
//   npx tsx --expose-gc --conditions=@iac-dharma/source bench/src/anomaly/anomaly-throughput.ts
// Writes bench/results/anomaly.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { AnomalyDetector } from '@iac-dharma/core';
import { loadNab } from '../nab/nab-data.js';

const RUNS = 7;
const SERIES = 100_000;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const corpus = loadNab();
const rows = corpus.reduce((sum, series) => sum + series.values.length, 0);
let checksum = 0;
const cpuSeconds: number[] = [];
const wallSeconds: number[] = [];
for (let run = 0; run < RUNS; run += 1) {
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  for (const series of corpus) {
    const detector = new AnomalyDetector();
    for (let row = 0; row < series.values.length; row += 1)
      checksum += detector.score(series.name, series.timestamps[row]!, series.values[row]!);
  }
  const cpu = process.cpuUsage(cpuStart);
  cpuSeconds.push((cpu.user + cpu.system) / 1e6);
  wallSeconds.push((performance.now() - wallStart) / 1000);
}

// Serialised state of one series after learning a real file.
const trained = new AnomalyDetector();
const sample = corpus.find((series) => series.name.includes('nyc_taxi'))!;
for (let row = 0; row < sample.values.length; row += 1)
  trained.score('taxi', sample.timestamps[row]!, sample.values[row]!);
const snapshotBytes =
  JSON.stringify((trained.snapshot() as { series: Record<string, unknown> }).series.taxi).length + '"taxi":'.length;

// Memory per series (JS heap + array buffers): 100k series, 50 samples each.
const gc = (globalThis as { gc?: () => void }).gc;
let heapBytesPerSeries: number | null = null;
if (gc) {
  gc();
  // Typed-array backing stores live outside the JS heap: count them too.
  const used = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const before = used();
  const many = new AnomalyDetector({ maxSeries: SERIES });
  for (let step = 0; step < 50; step += 1)
    for (let index = 0; index < SERIES; index += 1)
      many.score(`host-${index}/cpu`, step * 60_000, Math.sin(index + step));
  gc();
  heapBytesPerSeries = (used() - before) / SERIES;
  if (many.stats().series !== SERIES) throw new Error('series were evicted');
}

const result = {
  corpus: 'NAB v1.1, all 58 files',
  rows,
  runs: RUNS,
  cpuSecondsMedian: median(cpuSeconds),
  cpuSecondsMin: Math.min(...cpuSeconds),
  cpuSecondsMax: Math.max(...cpuSeconds),
  wallSecondsMedian: median(wallSeconds),
  samplesPerSecondPerCore: rows / median(cpuSeconds),
  snapshotBytesPerSeries: snapshotBytes,
  heapBytesPerSeries,
  heapSeries: SERIES,
  node: process.version,
  checksum,
};
console.log(JSON.stringify(result, null, 2));
mkdirSync(new URL('../../results/', import.meta.url), { recursive: true });
writeFileSync(new URL('../../results/anomaly.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
