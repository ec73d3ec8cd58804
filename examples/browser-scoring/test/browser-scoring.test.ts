// Browser-side scoring in a real headless Chromium: builds the example with Vite, serves it, and checks that
// onnxruntime-web (page thread and scoring worker) and core's AnomalyDetector give Node's numbers.
import type {} from './harness-api.js';
import { readFileSync, readdirSync, existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnomalyDetector } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import { ParityFileSchema, createOnnxRuntime, loadModel } from '@iac-dharma/models';
import { metricStreamSamples } from '../src/metric-stream.js';
import { ARTIFACTS_DIRECTORY, buildExample } from './support/build-example.js';
import { launchChromium } from './support/launch-chromium.js';
import { startStaticServer, type StaticServer } from './support/static-server.js';

const TOLERANCE = 1e-5;
const ids = existsSync(ARTIFACTS_DIRECTORY)
  ? readdirSync(ARTIFACTS_DIRECTORY)
      .filter((id) => existsSync(join(ARTIFACTS_DIRECTORY, id, 'parity.json')))
      .sort()
  : [];
const flat = (value: unknown): number[] => (Array.isArray(value) ? value.flatMap(flat) : [Number(value)]);
/** Rounds every number in a JSON-like value to 12 significant digits. */
const rounded = (value: unknown): unknown =>
  typeof value === 'number'
    ? Number(value.toPrecision(12))
    : Array.isArray(value)
      ? value.map(rounded)
      : value && typeof value === 'object'
        ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rounded(item)]))
        : value;
const maxDiff = (a: number[], b: number[]) =>
  a.length !== b.length ? Infinity : a.reduce((max, value, index) => Math.max(max, Math.abs(value - b[index]!)), 0);
/**
 * Largest difference relative to max(1, |node value|): absolute 1e-5 for probabilities, relative for large
 * outputs (the LSTM's RUL ≈ 100, where wasm and native kernels differ by a few float32 ulps, ~6e-5), as in
 * packages/models/test/parity.test.ts.
 */
const maxScaledDiff = (actual: number[], expected: number[]) =>
  actual.length !== expected.length
    ? Infinity
    : actual.reduce(
        (max, value, index) =>
          Math.max(max, Math.abs(value - expected[index]!) / Math.max(1, Math.abs(expected[index]!))),
        0,
      );

/** Every parity row's encoded input, flattened into one batch. */
function parityBatch(id: string): { input: number[]; rows: number } {
  const parity = ParityFileSchema.parse(JSON.parse(readFileSync(join(ARTIFACTS_DIRECTORY, id, 'parity.json'), 'utf8')));
  return { input: parity.rows.flatMap((row) => flat(row.input)), rows: parity.rows.length };
}

/** The same batch through onnxruntime-node (the models package's Node binding). */
async function nodeOutputs(id: string, input: number[], rows: number): Promise<Record<string, number[]>> {
  const model = await loadModel({
    bytes: readFileSync(join(ARTIFACTS_DIRECTORY, id, 'model.onnx')),
    card: JSON.parse(readFileSync(join(ARTIFACTS_DIRECTORY, id, 'model-card.json'), 'utf8')),
    runtime: createOnnxRuntime(),
  });
  const outputs = await model.run(Float32Array.from(input), rows);
  await model.release();
  return Object.fromEntries(
    Object.entries(outputs).map(([name, tensor]) => [
      name,
      Array.from(tensor.data as ArrayLike<number | bigint>, Number),
    ]),
  );
}

let outDir: string;
let server: StaticServer;
let browser: Browser;
let harness: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  outDir = await buildExample();
  server = await startStaticServer(outDir);
  browser = await launchChromium();
  harness = await browser.newPage();
  harness.on('pageerror', (error) => pageErrors.push(error.message));
  // The 404 of the deliberately missing model is expected; any other console error is not.
  harness.on(
    'console',
    (message) =>
      void (
        message.type() === 'error' &&
        !message.location().url.includes('no-such-model') &&
        pageErrors.push(message.text())
      ),
  );
  await harness.goto(`${server.url}test/harness.html`);
  await harness.waitForFunction(() => document.body.dataset['ready'] === 'true');
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

describe('the example build', () => {
  it('ships the wasm and the model artifacts at URLs the app controls, with the right MIME types', async () => {
    const wasm = await fetch(`${server.url}ort/ort-wasm-simd-threaded.wasm`);
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect((await wasm.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000);
    for (const id of ['failure', 'threat'])
      expect((await fetch(`${server.url}models/${id}/model-card.json`)).ok).toBe(true);
    expect((await fetch(`${server.url}models/threat/parity.json`)).status).toBe(404);
  });
});

describe('ONNX scoring in Chromium equals Node (onnxruntime-node) within 1e-5 (relative above 1)', () => {
  it('has the failure and threat models to test', () => {
    expect(ids).toEqual(expect.arrayContaining(['failure', 'threat']));
  });

  it.each(ids)('model %s: every parity vector, on the page thread and in the scoring worker', async (id) => {
    const { input, rows } = parityBatch(id);
    const expected = await nodeOutputs(id, input, rows);
    for (const placement of ['main', 'worker'] as const) {
      const actual = await harness.evaluate(
        ([id, placement, input, rows]) => window.harness.run(id, placement, input, rows),
        [id, placement, input, rows] as const,
      );
      expect(Object.keys(actual).sort(), `${placement} outputs`).toEqual(Object.keys(expected).sort());
      for (const name of Object.keys(expected)) {
        expect(actual[name]!.length, `${placement} ${name} length`).toBe(expected[name]!.length);
        expect(maxScaledDiff(actual[name]!, expected[name]!), `${placement} output ${name}`).toBeLessThanOrEqual(
          TOLERANCE,
        );
      }
    }
  });

  it('typed errors cross the worker boundary (a missing model is a NotFoundError in both places)', async () => {
    for (const placement of ['main', 'worker'] as const) {
      const error = await harness.evaluate((placement) => window.harness.loadMissing(placement), placement);
      expect(error, placement).toMatchObject({ name: 'NotFoundError', code: 'NOT_FOUND' });
      expect(error.message).toContain('no-such-model');
    }
  });
});

describe('core in Chromium', () => {
  it('AnomalyDetector gives the same scores and findings as in Node on a fixed stream', async () => {
    const samples = metricStreamSamples(900);
    const browserResult = await harness.evaluate((samples) => window.harness.detect(samples), samples);
    const scorer = new AnomalyDetector();
    const scores = samples.map((sample) =>
      scorer.score(`${sample.resource}/${sample.metric}`, sample.timestamp, sample.value),
    );
    const findings = new AnomalyDetector({ mode: 'both' }).analyze(
      samples.map((sample) => ({ kind: 'metric' as const, labels: {}, ...sample })),
    );
    // Node 20's V8 and Chromium's V8 may differ in the last bit of Math.exp/log/pow, so compare to 12 digits.
    expect(browserResult.scores).toHaveLength(scores.length);
    expect(maxDiff(browserResult.scores, scores)).toBeLessThanOrEqual(1e-12);
    expect(rounded(browserResult.findings)).toEqual(rounded(JSON.parse(JSON.stringify(findings))));
    // The stream's injected spike and level shift are found, so the comparison is not between two empty lists.
    expect(findings.length).toBeGreaterThan(0);
    expect(Math.max(...scores)).toBeGreaterThanOrEqual(scorer.threshold);
  });

  it('logged no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('cold start', () => {
  it.each(['main', 'worker'] as const)(
    '%s: onnxruntime-web fetches its WebAssembly while the model download is still pending',
    async (placement) => {
      // The server answers model.onnx only after the page asked for the .wasm: a page that fetches the model
      // first and starts onnxruntime after it never asks, and its model request fails at the deadline.
      let wasmRequested!: () => void;
      const requested = new Promise<void>((resolve) => (wasmRequested = resolve));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('the .wasm was not requested while the model was pending')), 30_000);
      });
      deadline.catch(() => undefined);
      const holding = await startStaticServer(outDir, {
        hold(path) {
          if (path.endsWith('.wasm')) wasmRequested();
          return path === '/models/failure/model.onnx' ? Promise.race([requested, deadline]) : undefined;
        },
      });
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        await page.goto(`${holding.url}test/harness.html`);
        await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
        const { input } = parityBatch('failure');
        const width = input.length / parityBatch('failure').rows;
        const result = await page.evaluate(
          ([placement, row]) =>
            window.harness.coldStart('failure', placement, row).then(
              (times) => ({ ok: true as const, firstScoreMs: times.firstScoreMs }),
              (error: unknown) => ({ ok: false as const, message: String(error) }),
            ),
          [placement, input.slice(0, width)] as const,
        );
        expect(result).toMatchObject({ ok: true });
      } finally {
        clearTimeout(timer);
        await context.close();
        await holding.close();
      }
    },
  );
});

describe('the example page', () => {
  it('downloads the 14 MB .wasm once on a first visit (no preload that the worker cannot reuse)', async () => {
    // A `<link rel="preload">` of the .wasm in the page is not handed to the scoring worker's fetch in Chromium:
    // the file came down twice (the plugin's preloadWasm is therefore opt-in).
    const counting = await startStaticServer(outDir);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${counting.url}index.html?interval=20`);
      await waitFor(
        async () =>
          /first model score \d+ ms/.test((await page.textContent('#status')) ?? '') ||
          Boolean(await page.evaluate(() => document.querySelector('#status')?.hasAttribute('data-error'))),
        { timeoutMs: 30_000, message: 'first score on the example page' },
      );
      const wasm = [...counting.sent].filter(([path]) => path.endsWith('.wasm'));
      expect(wasm).toHaveLength(1);
      const [path, bytes] = wasm[0]!;
      expect(bytes).toBe(statSync(join(outDir, path)).size);
    } finally {
      await context.close();
      await counting.close();
    }
  });

  it('loads both models in the worker and shows anomaly, failure and threat scores as they arrive', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())));
    await page.goto(`${server.url}index.html?interval=20`);
    await waitFor(
      async () =>
        Number(await page.evaluate(() => document.body.dataset['ticks'] ?? 0)) >= 25 ||
        (await page.evaluate(() => document.querySelector('#status')?.hasAttribute('data-error'))),
      { timeoutMs: 30_000, message: 'page ticks' },
    );
    const status = await page.textContent('#status');
    expect(status).toMatch(/first model score \d+ ms/);
    expect(await page.locator('#anomaly-log li').count()).toBeGreaterThan(0);
    expect(await page.locator('#failure-log li').count()).toBeGreaterThanOrEqual(20);
    const threats = await page.locator('#threat-log li').allTextContents();
    expect(threats.some((line) => line.startsWith('SYN flood') && line.includes('→ dos'))).toBe(true);
    expect(threats.some((line) => line.startsWith('normal') && line.includes('→ normal'))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
