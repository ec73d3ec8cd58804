// The sentence encoder, the incident classifier and the log template miner in a real headless Chromium:
// the models-text and models packages' browser builds (onnxruntime-web, WebAssembly) bundled with esbuild and served on
// localhost must give the parity embeddings, the reference tokenizer's ids and Node's templates.
import { readFileSync, existsSync, createReadStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LogTemplateMiner } from '@iac-dharma/core';

interface EncoderParity {
  tolerance: number;
  rows: Array<{ text: string; ids: number[]; embedding: number[] }>;
}

const packageRoot = fileURLToPath(new URL('../', import.meta.url));
const artifacts = join(packageRoot, 'artifacts');
const ortDist = join(dirname(fileURLToPath(import.meta.resolve('onnxruntime-web'))), '.');
const parity = JSON.parse(readFileSync(join(artifacts, 'minilm', 'encoder-parity.json'), 'utf8')) as EncoderParity;
const MESSAGES = [
  'Invalid user webmaster from 173.234.31.186',
  'Invalid user test9 from 52.80.34.196',
  'Connection closed by 212.47.254.145 [preauth]',
  'Invalid user chen from 202.100.179.208',
  'Invalid user pgadmin from 112.95.230.3',
];

const ENTRY = `
import { SentenceEncoder, IncidentClassifier } from '@iac-dharma/models-text';
import { createBundledModelSource, createOnnxRuntime } from '@iac-dharma/models';
import { LogTemplateMiner } from '@iac-dharma/core';
window.dharmaText = {
  async embed(texts, embedCount) {
    const encoder = await SentenceEncoder.load({ source: createBundledModelSource({ baseUrl: '/models/' }), runtime: createOnnxRuntime({ wasmPaths: '/ort/' }) });
    const ids = texts.map((text) => encoder.tokenizer.encode(text).ids);
    const embeddings = [];
    for (const text of texts.slice(0, embedCount)) embeddings.push(Array.from((await encoder.embed([text]))[0]));
    const classifier = new IncidentClassifier(encoder, { categories: { disk: ['No space left on device', 'I/O error on device sdb'], auth: ['Failed password for invalid user admin', 'authentication failure'] } });
    await classifier.fit();
    const category = (await classifier.classify('write failed: no space left on /var')).category;
    return { ids, embeddings, category };
  },
  templates(messages) {
    const miner = new LogTemplateMiner();
    const ids = messages.map((message) => miner.add(message).id);
    return ids.map((id) => miner.template(id).template);
  },
};
document.body.dataset.ready = 'true';
`;

function chromiumPath(): string {
  if (process.env['DHARMA_CHROMIUM']) return process.env['DHARMA_CHROMIUM'];
  const envFile = join(process.env['DHARMA_SERVICES_DIR'] ?? join(process.cwd(), '.services'), 'chromium.env');
  const match = existsSync(envFile) ? /^DHARMA_CHROMIUM=(.+)$/m.exec(readFileSync(envFile, 'utf8')) : null;
  return match?.[1]?.trim() ?? '/usr/bin/chromium';
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.txt': 'text/plain',
  '.onnx': 'application/octet-stream',
};

let server: Server;
let browser: Browser;
let url: string;

beforeAll(async () => {
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: packageRoot, sourcefile: 'chromium-entry.ts', loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['@iac-dharma/source', 'browser'],
    write: false,
    logLevel: 'silent',
  });
  const app = bundle.outputFiles[0]!.text;
  server = createServer((request, response) => {
    const path = decodeURIComponent(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (path === '/')
      return void response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><body><script type="module" src="/app.js"></script></body>');
    if (path === '/app.js') return void response.writeHead(200, { 'content-type': 'text/javascript' }).end(app);
    const file = path.startsWith('/ort/')
      ? join(ortDist, path.slice(5))
      : path.startsWith('/models/')
        ? join(artifacts, path.slice(8))
        : '';
    if (!file || file.includes('..') || !existsSync(file)) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

describe('text models in headless Chromium (onnxruntime-web)', () => {
  it('gives the reference token ids, the parity embeddings, a classification and Node\u2019s templates', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(url);
    await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
    // Embeddings of the short texts only (the 256-token ones take seconds in WebAssembly on a loaded machine).
    const short = parity.rows.filter((row) => row.ids.length <= 64);
    const ordered = [...short, ...parity.rows.filter((row) => row.ids.length > 64)];
    const result = await page.evaluate(
      ([input, count]) =>
        (
          window as unknown as {
            dharmaText: {
              embed(
                texts: string[],
                count: number,
              ): Promise<{ ids: number[][]; embeddings: number[][]; category: string }>;
            };
          }
        ).dharmaText.embed(input, count),
      [ordered.map((row) => row.text), short.length] as const,
    );
    expect(result.ids).toEqual(ordered.map((row) => row.ids));
    expect(result.embeddings).toHaveLength(short.length);
    let worst = 0;
    short.forEach((row, index) =>
      row.embedding.forEach(
        (value, position) => (worst = Math.max(worst, Math.abs(value - result.embeddings[index]![position]!))),
      ),
    );
    expect(worst).toBeLessThan(parity.tolerance);
    expect(result.category).toBe('disk');
    const node = new LogTemplateMiner();
    const nodeTemplates = MESSAGES.map((message) => node.add(message).id).map((id) => node.template(id)!.template);
    expect(
      await page.evaluate(
        (input) =>
          (window as unknown as { dharmaText: { templates(messages: string[]): string[] } }).dharmaText.templates(
            input,
          ),
        MESSAGES,
      ),
    ).toEqual(nodeTemplates);
    expect(errors).toEqual([]);
    await page.close();
  }, 180_000);
});
