/**
 * Browser scoring benchmark (not a test): builds examples/browser-scoring with Vite, serves it on localhost
 * and drives Debian's headless Chromium. Measures (1) cold start to first score (wasm + model fetch,
 * sha256, session, first run) in a fresh browser context and on a repeat visit, with its phases, (2) per-row and batch scoring time in Chromium
 * (page thread and scoring worker) against onnxruntime-node in this process, (3) the bytes the example
 * page downloads before its first score. Writes bench/results/browser.json.
 *
 * Run: cd /work/main && npx tsx --conditions=@iac-dharma/source bench/src/browser/browser-bench.ts
 */
import type {} from '../../../examples/browser-scoring/test/harness-api.js';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ParityFileSchema, createOnnxRuntime, loadModel } from '@iac-dharma/models';
import { ARTIFACTS_DIRECTORY, buildExample } from '../../../examples/browser-scoring/test/support/build-example.js';
import { launchChromium } from '../../../examples/browser-scoring/test/support/launch-chromium.js';
import { startStaticServer } from '../../../examples/browser-scoring/test/support/static-server.js';
import { downloadTable, spread } from './browser-figures.js';

const MODELS = ['threat', 'failure'] as const;
const COLD_RUNS = 7;
const REPEATS = 15;
const ROW_CALLS = 300;
const BATCH_CALLS = 20;
const flat = (value: unknown): number[] => (Array.isArray(value) ? value.flatMap(flat) : [Number(value)]);

function parityBatch(id: string): { input: number[]; rows: number; width: number } {
  const parity = ParityFileSchema.parse(JSON.parse(readFileSync(join(ARTIFACTS_DIRECTORY, id, 'parity.json'), 'utf8')));
  const input = parity.rows.flatMap((row) => flat(row.input));
  return { input, rows: parity.rows.length, width: input.length / parity.rows.length };
}

/** Loads model `id` on onnxruntime-node and returns a timer of back-to-back loops (total ms of `iterations` runs). */
async function nodeTimer(
  id: string,
): Promise<{ loop(input: number[], rows: number, iterations: number): Promise<number>; release(): Promise<void> }> {
  const card = JSON.parse(readFileSync(join(ARTIFACTS_DIRECTORY, id, 'model-card.json'), 'utf8')) as unknown;
  const model = await loadModel({
    bytes: readFileSync(join(ARTIFACTS_DIRECTORY, id, 'model.onnx')),
    card,
    runtime: createOnnxRuntime(),
  });
  return {
    async loop(input, rows, iterations) {
      const batch = Float32Array.from(input);
      const started = performance.now();
      for (let index = 0; index < iterations; index++) await model.run(batch, rows);
      return performance.now() - started;
    },
    release: () => model.release(),
  };
}

const outDir = await buildExample();
const server = await startStaticServer(outDir);
const browser = await launchChromium();
const figures: Array<Record<string, unknown>> = [];
try {
  const openHarness = async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${server.url}test/harness.html`);
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
    return { context, page };
  };

  // 1. Cold start: a fresh context (empty HTTP cache, no compiled wasm) per run ("first visit"), then a second
  //    page in the same context ("repeat visit": HTTP cache revalidated with 304, Chromium's wasm code cache).
  for (const id of MODELS) {
    const row = parityBatch(id).input.slice(0, parityBatch(id).width);
    for (const placement of ['main', 'worker'] as const) {
      const first: number[] = [];
      const repeat: number[] = [];
      for (let run = 0; run < COLD_RUNS; run++) {
        const { context, page } = await openHarness();
        first.push(
          (
            await page.evaluate(([id, placement, row]) => window.harness.coldStart(id, placement, row), [
              id,
              placement,
              row,
            ] as const)
          ).firstScoreMs,
        );
        const again = await context.newPage();
        await again.goto(`${server.url}test/harness.html`);
        await again.waitForFunction(() => document.body.dataset['ready'] === 'true');
        repeat.push(
          (
            await again.evaluate(([id, placement, row]) => window.harness.coldStart(id, placement, row), [
              id,
              placement,
              row,
            ] as const)
          ).firstScoreMs,
        );
        await context.close();
      }
      figures.push({
        measure: 'first visit: load → first score (wasm + model + session + 1 row)',
        model: id,
        where: `chromium ${placement}`,
        ms: spread(first),
      });
      figures.push({
        measure: 'repeat visit: load → first score (cached wasm + model)',
        model: id,
        where: `chromium ${placement}`,
        ms: spread(repeat),
      });
    }
  }
  // Where the first-visit time goes (page thread, threat first, then failure with the wasm already up).
  const phases: Record<string, Record<string, number[]>> = {};
  for (let run = 0; run < COLD_RUNS; run++) {
    const { context, page } = await openHarness();
    for (const id of MODELS) {
      const row = parityBatch(id).input.slice(0, parityBatch(id).width);
      const times = await page.evaluate(([id, row]) => window.harness.coldPhases(id, row), [id, row] as const);
      for (const [phase, ms] of Object.entries(times)) ((phases[id] ??= {})[phase] ??= []).push(ms);
    }
    await context.close();
  }
  const coldPhases = Object.fromEntries(
    Object.entries(phases).map(([id, byPhase]) => [
      id,
      Object.fromEntries(Object.entries(byPhase).map(([phase, values]) => [phase, spread(values)])),
    ]),
  );

  // 2. Scoring time: per row (1-row batches) and per batch (every parity row in one run). Node, the page thread
  //    and the worker take turns in every repeat, so they share the machine's load alike.
  const { context, page } = await openHarness();
  for (const id of MODELS) {
    const { input, rows, width } = parityBatch(id);
    const node = await nodeTimer(id);
    for (const [label, batchInput, batchRows, calls] of [
      ['per row (1-row run)', input.slice(0, width), 1, ROW_CALLS],
      [`batch of ${rows} rows`, input, rows, BATCH_CALLS],
    ] as const) {
      const samples: Record<string, number[]> = { node: [], main: [], worker: [] };
      const browserLoop = (placement: 'main' | 'worker', iterations: number) =>
        page.evaluate(
          ([id, placement, input, rows, iterations]) => window.harness.timeLoop(id, placement, input, rows, iterations),
          [id, placement, [...batchInput], batchRows, iterations] as const,
        );
      await node.loop([...batchInput], batchRows, 20);
      for (const placement of ['main', 'worker'] as const) await browserLoop(placement, 20);
      for (let repeat = 0; repeat < REPEATS; repeat++) {
        samples['node']!.push((await node.loop([...batchInput], batchRows, calls)) / calls);
        for (const placement of ['main', 'worker'] as const)
          samples[placement]!.push((await browserLoop(placement, calls)) / calls);
      }
      const nodeMs = spread(samples['node']!);
      figures.push({ measure: label, model: id, where: 'node (onnxruntime-node)', ms: nodeMs });
      for (const placement of ['main', 'worker'] as const) {
        const ms = spread(samples[placement]!);
        figures.push({
          measure: label,
          model: id,
          where: `chromium ${placement}`,
          ms,
          vsNode: Math.round((ms.median / nodeMs.median) * 100) / 100,
        });
      }
    }
    await node.release();
  }
  await context.close();

  // 3. The example page: time to its first score and the bytes it downloads for it (fresh context each run).
  const pageFirstScore: number[] = [];
  const pageRepeat: number[] = [];
  const pageFirstNavigation: number[] = [];
  const pageRepeatNavigation: number[] = [];
  const afterNavigation = (status: string) => Number(/, (\d+) ms after navigation/.exec(status)?.[1] ?? NaN);
  let download: ReturnType<typeof downloadTable> = [];
  for (let run = 0; run < COLD_RUNS; run++) {
    const fresh = await browser.newContext();
    const examplePage = await fresh.newPage();
    server.resetCounts();
    await examplePage.goto(`${server.url}index.html?interval=3600000`);
    await examplePage.waitForFunction(() => Number(document.body.dataset['ticks'] ?? 0) >= 1, undefined, {
      timeout: 30_000,
    });
    const status = (await examplePage.textContent('#status')) ?? '';
    pageFirstScore.push(Number(/first model score (\d+) ms/.exec(status)?.[1] ?? NaN));
    pageFirstNavigation.push(afterNavigation(status));
    download = downloadTable(server.sent, outDir);
    // Repeat visit of the example page in the same context.
    const again = await fresh.newPage();
    await again.goto(`${server.url}index.html?interval=3600000`);
    await again.waitForFunction(() => Number(document.body.dataset['ticks'] ?? 0) >= 1, undefined, { timeout: 30_000 });
    const repeatStatus = (await again.textContent('#status')) ?? '';
    pageRepeat.push(Number(/first model score (\d+) ms/.exec(repeatStatus)?.[1] ?? NaN));
    pageRepeatNavigation.push(afterNavigation(repeatStatus));
    await fresh.close();
  }
  figures.push({
    measure: 'example page, first visit: script start → first failure + threat scores',
    model: 'failure + threat',
    where: 'chromium worker',
    ms: spread(pageFirstScore),
  });
  figures.push({
    measure: 'example page, repeat visit: script start → first failure + threat scores',
    model: 'failure + threat',
    where: 'chromium worker',
    ms: spread(pageRepeat),
  });
  figures.push({
    measure: 'example page, first visit: navigation → first failure + threat scores',
    model: 'failure + threat',
    where: 'chromium worker',
    ms: spread(pageFirstNavigation),
  });
  figures.push({
    measure: 'example page, repeat visit: navigation → first failure + threat scores',
    model: 'failure + threat',
    where: 'chromium worker',
    ms: spread(pageRepeatNavigation),
  });

  const result = {
    title: 'Browser scoring (onnxruntime-web in headless Chromium)',
    description:
      "Cold start is measured in a fresh browser context (no HTTP cache) from the call to the first score; scoring times are the median over repeats of a loop of back-to-back runs (per-call mean), against onnxruntime-node in the bench process on the same vectors (the models' parity inputs). vsNode = Chromium median / Node median. Served from localhost by node:http without compression; gzipBytes is what a gzip-enabled server would send.",
    command: 'cd /work/main && npx tsx --conditions=@iac-dharma/source bench/src/browser/browser-bench.ts',
    measuredAt: new Date().toISOString(),
    figures,
    coldPhasesMs: coldPhases,
    download,
    environment: {
      chromium: browser.version(),
      node: process.version,
      onnxruntimeWeb: '1.30.0 (wasm build, single-threaded)',
      rowsPerBatch: Object.fromEntries(MODELS.map((id) => [id, parityBatch(id).rows])),
    },
  };
  const resultsDir = fileURLToPath(new URL('../../results/', import.meta.url));
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'browser.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  await browser.close();
  await server.close();
  rmSync(outDir, { recursive: true, force: true });
}
