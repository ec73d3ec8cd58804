// Test/benchmark harness page: exposes `window.harness` so Playwright can score vectors in Chromium through
// the same packages the example page uses, on the main thread (onnxruntime-web) and in the scoring worker.
import { AnomalyDetector, type TensorData } from '@iac-dharma/core';
import {
  createBundledModelSource,
  createOnnxRuntime,
  loadModel,
  parseModelCard,
  verifyModelBytes,
  type Model,
} from '@iac-dharma/models';
import { createScoringWorker, type ScoringWorker } from '@iac-dharma/models/worker';
import type { HarnessApi, Placement } from './harness-api.js';

const models = new Map<string, Model>();
let scoring: ScoringWorker | undefined;
// The harness lives in test/; the build serves the wasm and the models from the site root.
const runtime = createOnnxRuntime({ wasmPaths: '../ort/' });
const source = createBundledModelSource({ baseUrl: '../models/' });

function worker(): ScoringWorker {
  return (scoring ??= createScoringWorker({
    worker: new Worker(new URL('../src/scoring-worker.ts', import.meta.url), { type: 'module' }),
    modelBaseUrl: '../models/',
    wasmPaths: '../ort/',
  }));
}

async function model(id: string, placement: Placement): Promise<Model> {
  const key = `${placement}:${id}`;
  let loaded = models.get(key);
  if (!loaded) {
    loaded = placement === 'main' ? await loadModel({ id, source, runtime }) : await worker().loadModel({ id });
    models.set(key, loaded);
  }
  return loaded;
}

function plain(outputs: Record<string, TensorData>): Record<string, number[]> {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, tensor]) => [
      name,
      Array.from(tensor.data as ArrayLike<number | bigint>, Number),
    ]),
  );
}

const harness: HarnessApi = {
  /** Loads model `id` (wasm + fetch + sha256 + session) and scores one row; returns the elapsed ms of each part. */
  async coldStart(
    id: string,
    placement: Placement,
    row: readonly number[],
  ): Promise<{ loadMs: number; firstScoreMs: number }> {
    const started = performance.now();
    const loaded = await model(id, placement);
    const loadMs = performance.now() - started;
    await loaded.run(Float32Array.from(row), 1);
    return { loadMs, firstScoreMs: performance.now() - started };
  },
  /** Page-thread cold start split into phases (ms): fetch card + model, sha256, session (incl. wasm on first use), first run. */
  async coldPhases(id: string, row: readonly number[]): Promise<Record<string, number>> {
    const times: Record<string, number> = {};
    let mark = performance.now();
    const lap = (name: string) => ((times[name] = performance.now() - mark), (mark = performance.now()));
    const card = parseModelCard(await source.readCard(id));
    const bytes = await source.readFile(id, card.file);
    lap('fetchModel');
    await verifyModelBytes(bytes, card);
    lap('sha256');
    const session = await runtime.createSession({ bytes });
    lap('createSession');
    await session.run({
      [card.inputs[0]!.name]: { type: 'float32', data: Float32Array.from(row), dims: [1, row.length] },
    });
    lap('firstRun');
    await session.release();
    return times;
  },
  /** Runs `rows` encoded rows (flattened) through model `id`; returns every output as numbers. */
  async run(
    id: string,
    placement: Placement,
    input: readonly number[],
    rows: number,
  ): Promise<Record<string, number[]>> {
    return plain(await (await model(id, placement)).run(Float32Array.from(input), rows));
  },
  /** Runs the same batch `iterations` times back to back; returns the total ms (per-call timer resolution is coarse in browsers). */
  async timeLoop(
    id: string,
    placement: Placement,
    input: readonly number[],
    rows: number,
    iterations: number,
  ): Promise<number> {
    const loaded = await model(id, placement);
    const batch = Float32Array.from(input);
    const started = performance.now();
    for (let index = 0; index < iterations; index++) await loaded.run(batch, rows);
    return performance.now() - started;
  },
  /** Scores a metric stream with a fresh default AnomalyDetector: every sample's score plus analyze()'s findings. */
  detect(samples) {
    const scorer = new AnomalyDetector();
    const scores = samples.map((sample) =>
      scorer.score(`${sample.resource}/${sample.metric}`, sample.timestamp, sample.value),
    );
    const analyzer = new AnomalyDetector({ mode: 'both' });
    const findings = analyzer.analyze(samples.map((sample) => ({ kind: 'metric' as const, labels: {}, ...sample })));
    return { scores, findings };
  },
  /** Loads a model that does not exist, to check typed errors cross the worker boundary. */
  async loadMissing(placement: Placement): Promise<{ name: string; code: string; message: string }> {
    try {
      await model('no-such-model', placement);
      return { name: 'none', code: 'none', message: 'loaded' };
    } catch (error) {
      const typed = error as { name: string; code: string; message: string };
      return { name: typed.name, code: typed.code, message: typed.message };
    }
  },
};

window.harness = harness;
document.body.dataset['ready'] = 'true';
