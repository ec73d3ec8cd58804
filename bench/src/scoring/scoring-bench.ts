/**
 * Scoring benchmark: single-row p50/p99 latency and batch throughput of every bundled model, through the
 * SDK (extraction + `Model.run` + post-processing via FailurePredictor / ThreatDetector / ChurnPredictor)
 * and through `Model.run` alone, against a bare onnxruntime-node `session.run` on the same bytes, same
 * session options and the same pre-encoded rows. Writes bench/results/scoring.json.
 *
 * Run: npx tsx --conditions=@iac-dharma/source bench/src/scoring/scoring-bench.ts
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import {
  ChurnPredictor,
  FailurePredictor,
  TabularExtractor,
  ThreatDetector,
  WindowExtractor,
  createBundledModelSource,
  loadModel,
  type Model,
} from '@iac-dharma/models';
import { latency, repeated, throughput } from './measure.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const artifacts = process.env['BENCH_ARTIFACTS'] ?? join(root, 'packages/models/artifacts');
const SINGLE_CALLS = Number(process.env['BENCH_SINGLE_CALLS'] ?? 3000);
const BATCH_ROWS = 1024;
const BATCH_CALLS = Number(process.env['BENCH_BATCH_CALLS'] ?? 20);
const REPETITIONS = Number(process.env['BENCH_REPETITIONS'] ?? 5);

interface Subject {
  /** Encoded rows (row-major) and the raw inputs they came from. */
  encoded: Float32Array;
  raws: unknown[];
  /** Full SDK call for a list of raw inputs. */
  sdk(raws: unknown[]): Promise<unknown>;
}

function subject(model: Model, parity: { rows: Array<{ raw: unknown }> }): Subject {
  const raws = parity.rows.map((row) => row.raw);
  if (model.card.window) {
    const extractor = new WindowExtractor(model.card);
    const windows = raws.map((raw) => (raw as { sensors: number[][] }).sensors);
    const encoded = new Float32Array(windows.length * model.rowWidth);
    windows.forEach((window, index) => extractor.encodeInto(window, encoded, index * model.rowWidth));
    const predictor = new FailurePredictor({ model });
    return {
      encoded,
      raws: windows,
      sdk: (items) => predictor.predictBatch(items as number[][][], { explain: false }),
    };
  }
  const extractor = TabularExtractor.fromCard(model.card);
  const rows = raws as Record<string, unknown>[];
  const encoded = extractor.encodeBatch(rows);
  if (model.card.labels?.includes('normal')) {
    const detector = new ThreatDetector({ model });
    return { encoded, raws: rows, sdk: (items) => detector.classify(items as Record<string, unknown>[]) };
  }
  const predictor = new ChurnPredictor({ model });
  return { encoded, raws: rows, sdk: (items) => predictor.predict(items as Record<string, unknown>[]) };
}

/** `count` rows cycling through the parity rows. */
function tile<T>(items: readonly T[], count: number): T[] {
  return Array.from({ length: count }, (_, index) => items[index % items.length]!);
}

async function benchModel(id: string) {
  const source = createBundledModelSource({ directory: artifacts });
  const model = await loadModel({ id, source });
  const parity = JSON.parse(readFileSync(join(artifacts, id, 'parity.json'), 'utf8')) as {
    rows: Array<{ raw: unknown }>;
  };
  const item = subject(model, parity);
  const width = model.rowWidth;
  const rowsAvailable = item.raws.length;
  const bare = await ort.InferenceSession.create(readFileSync(join(artifacts, id, model.card.file)), {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  const inputName = model.inputName;
  const dims = (rows: number) => model.inputDims(rows);
  const batchEncoded = new Float32Array(BATCH_ROWS * width);
  for (let row = 0; row < BATCH_ROWS; row++)
    batchEncoded.set(
      item.encoded.subarray((row % rowsAvailable) * width, ((row % rowsAvailable) + 1) * width),
      row * width,
    );
  const batchRaws = tile(item.raws, BATCH_ROWS);
  let cursor = 0;
  const nextRow = () => (cursor = (cursor + 1) % rowsAvailable);
  const one = (index: number) => item.encoded.slice(index * width, (index + 1) * width);

  // Warm-up.
  for (let index = 0; index < 200; index++) {
    await bare.run({ [inputName]: new ort.Tensor('float32', one(nextRow()), dims(1)) });
    await model.run(one(nextRow()), 1);
    await item.sdk([item.raws[nextRow()]]);
  }
  const figures = await repeated(REPETITIONS, async () => {
    const bareSingle = await latency(
      () => bare.run({ [inputName]: new ort.Tensor('float32', one(nextRow()), dims(1)) }),
      SINGLE_CALLS,
    );
    const runSingle = await latency(() => model.run(one(nextRow()), 1), SINGLE_CALLS);
    const sdkSingle = await latency(() => item.sdk([item.raws[nextRow()]]), SINGLE_CALLS);
    const bareBatch = await throughput(
      () => bare.run({ [inputName]: new ort.Tensor('float32', batchEncoded, dims(BATCH_ROWS)) }),
      BATCH_ROWS,
      BATCH_CALLS,
    );
    const runBatch = await throughput(() => model.run(batchEncoded, BATCH_ROWS), BATCH_ROWS, BATCH_CALLS);
    const sdkBatch = await throughput(() => item.sdk(batchRaws), BATCH_ROWS, BATCH_CALLS);
    return {
      bareP50: bareSingle.p50,
      bareP99: bareSingle.p99,
      runP50: runSingle.p50,
      runP99: runSingle.p99,
      sdkP50: sdkSingle.p50,
      sdkP99: sdkSingle.p99,
      bareRowsPerSecond: bareBatch,
      runRowsPerSecond: runBatch,
      sdkRowsPerSecond: sdkBatch,
    };
  });
  await bare.release();
  await model.release();
  const m = (key: keyof typeof figures) => figures[key].median;
  return {
    table: {
      model: id,
      algorithm: model.card.algorithm,
      'bare p50 ms': round(m('bareP50')),
      'bare p99 ms': round(m('bareP99')),
      'Model.run p50 ms': round(m('runP50')),
      'Model.run p99 ms': round(m('runP99')),
      'SDK p50 ms': round(m('sdkP50')),
      'SDK p99 ms': round(m('sdkP99')),
      'Model.run overhead p50': ratio(m('runP50'), m('bareP50')),
      'SDK overhead p50': ratio(m('sdkP50'), m('bareP50')),
      'bare rows/s (batch 1024)': Math.round(m('bareRowsPerSecond')),
      'SDK rows/s (batch 1024)': Math.round(m('sdkRowsPerSecond')),
      'SDK batch overhead': ratio(m('bareRowsPerSecond'), m('sdkRowsPerSecond')),
    },
    detail: figures,
  };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

/** `a / b − 1` as a signed percentage string. */
function ratio(a: number, b: number): string {
  const percent = (a / b - 1) * 100;
  return `${percent >= 0 ? '+' : ''}${percent.toFixed(1)}%`;
}

async function main() {
  const ids = (await createBundledModelSource({ directory: artifacts }).list!()).filter(
    (id) => !process.env['BENCH_MODELS'] || process.env['BENCH_MODELS'].split(',').includes(id),
  );
  const results = [];
  for (const id of ids) {
    process.stderr.write(`scoring bench: ${id}…\n`);
    results.push(await benchModel(id));
  }
  const output = {
    title: 'Model scoring (SDK vs bare onnxruntime-node)',
    description:
      `Single-row latency (p50/p99 over ${SINGLE_CALLS} sequential calls) and batch throughput (${BATCH_CALLS} batches of ${BATCH_ROWS} rows) per bundled model; ` +
      `each figure is the median of ${REPETITIONS} repetitions (spread in the details). "bare" = onnxruntime-node session.run on pre-encoded rows; ` +
      '"Model.run" = the SDK runtime wrapper on the same rows; "SDK" = raw input → feature extraction → Model.run → post-processing ' +
      '(FailurePredictor.predictBatch without explanations, ThreatDetector.classify, ChurnPredictor.predict). Overhead = SDK / bare − 1 (latency) or bare / SDK − 1 (throughput). ' +
      'Sessions: CPU, 1 intra-op and 1 inter-op thread, graph optimisation "all".',
    command: 'npx tsx --conditions=@iac-dharma/source bench/src/scoring/scoring-bench.ts',
    measuredAt: new Date().toISOString(),
    figures: results.map((result) => result.table),
    spread: Object.fromEntries(results.map((result) => [result.table.model, result.detail])),
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/scoring.json'), `${JSON.stringify(output, null, 2)}\n`);
  process.stderr.write(`wrote bench/results/scoring.json\n`);
  console.table(output.figures);
}

await main();
