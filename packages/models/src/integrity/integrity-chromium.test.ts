// Model integrity in a real headless Chromium (WebCrypto sha256 and Ed25519): the browser build's bundled
// source refuses a model swapped on the server (card rewritten to match) against the digests compiled into the
// JavaScript, and a pinned public key accepts a signed card and refuses tampered, foreign-signed and unsigned ones.
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLED_DIGESTS } from './bundled-digests.js';
import { signModelCard } from './card-signature.js';
import { sha256Hex } from './sha256-hex.js';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
const artifacts = join(packageRoot, 'artifacts');
const read = (id: string, file: string) => readFileSync(join(artifacts, id, file));
const card = (id: string) => JSON.parse(read(id, 'model-card.json').toString('utf8')) as Record<string, unknown>;

const ENTRY = `
import { createBundledModelSource, loadModel } from '@iac-dharma/models';
// Verification happens before any session: a runtime that creates empty sessions keeps WebAssembly out of it.
const runtime = { specificationVersion: 'v1', name: 'noop', async createSession() { return { inputNames: [], outputNames: [], run: async () => ({}), release: async () => {} }; } };
window.dharmaIntegrity = {
  async load(baseUrl, id, publicKey) {
    try {
      const model = await loadModel({ id, source: createBundledModelSource({ baseUrl }), runtime, ...(publicKey ? { publicKey } : {}) });
      return { ok: true, id: model.card.id };
    } catch (error) {
      return { ok: false, name: error.name, code: error.code, message: error.message, problem: error.problem, file: error.file, expected: error.expected, actual: error.actual };
    }
  },
};
document.body.dataset.ready = 'true';
`;

interface Outcome {
  ok: boolean;
  id?: string;
  name?: string;
  code?: string;
  message?: string;
  problem?: string;
  file?: string;
  expected?: string;
  actual?: string;
}

function chromiumPath(): string {
  if (process.env['DHARMA_CHROMIUM']) return process.env['DHARMA_CHROMIUM'];
  const envFile = join(process.env['DHARMA_SERVICES_DIR'] ?? join(process.cwd(), '.services'), 'chromium.env');
  const match = existsSync(envFile) ? /^DHARMA_CHROMIUM=(.+)$/m.exec(readFileSync(envFile, 'utf8')) : null;
  return match?.[1]?.trim() ?? '/usr/bin/chromium';
}

function rawPublicKey(key: ReturnType<typeof generateKeyPairSync>['publicKey']): string {
  return Buffer.from(key.export({ format: 'der', type: 'spki' }))
    .subarray(-32)
    .toString('base64');
}

let server: Server;
let browser: Browser;
let page: Page;
const keys = generateKeyPairSync('ed25519');
const stranger = generateKeyPairSync('ed25519');
const swappedBytes = read('threat-rf', 'model.onnx');

beforeAll(async () => {
  const signed = await signModelCard(
    card('churn'),
    keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  );
  /** Files served besides the real artifacts (`/models/`): path → bytes. */
  const files = new Map<string, Buffer>([
    ['/swapped/churn/model.onnx', swappedBytes],
    ['/bytes-swapped/churn/model.onnx', swappedBytes],
    ['/bytes-swapped/churn/model-card.json', read('churn', 'model-card.json')],
    [
      '/swapped/churn/model-card.json',
      Buffer.from(
        JSON.stringify({ ...card('churn'), sha256: await sha256Hex(swappedBytes), bytes: swappedBytes.byteLength }),
      ),
    ],
    ['/signed/own-churn/model-card.json', Buffer.from(JSON.stringify(signed))],
    ['/tampered/own-churn/model-card.json', Buffer.from(JSON.stringify({ ...signed, labels: ['Yes', 'No'] }))],
    ['/unsigned/own-churn/model-card.json', read('churn', 'model-card.json')],
  ]);
  for (const folder of ['signed', 'tampered', 'unsigned'])
    files.set(`/${folder}/own-churn/model.onnx`, read('churn', 'model.onnx'));
  const bundle = await build({
    stdin: { contents: ENTRY, resolveDir: packageRoot, sourcefile: 'integrity-entry.ts', loader: 'ts' },
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
    const served =
      files.get(path) ??
      (path.startsWith('/models/') && !path.includes('..') && existsSync(join(artifacts, path.slice(8)))
        ? readFileSync(join(artifacts, path.slice(8)))
        : undefined);
    if (!served) return void response.writeHead(404).end();
    response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(served);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run'],
  });
  page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await page.waitForFunction(() => document.body.dataset['ready'] === 'true');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

const load = (baseUrl: string, id: string, publicKey?: string) =>
  page.evaluate(
    ([url, model, key]) =>
      (
        window as unknown as { dharmaIntegrity: { load(url: string, id: string, key?: string): Promise<Outcome> } }
      ).dharmaIntegrity.load(url, model, key),
    [baseUrl, id, publicKey] as const,
  );

describe('model integrity in headless Chromium (WebCrypto)', () => {
  it('loads the genuine bundled model and refuses one swapped on the server with a rewritten card', async () => {
    expect(await load('/models/', 'churn')).toEqual({ ok: true, id: 'churn' });
    const swapped = await load('/swapped/', 'churn');
    expect(swapped).toMatchObject({
      ok: false,
      name: 'ModelDigestMismatchError',
      code: 'MODEL_INTEGRITY_ERROR',
      file: 'model-card.json',
      expected: BUNDLED_DIGESTS['churn']!['model-card.json'],
    });
    expect(swapped.message).toContain('Model "churn"');
    const bytesOnly = await load('/bytes-swapped/', 'churn');
    expect(bytesOnly).toMatchObject({
      ok: false,
      name: 'ModelDigestMismatchError',
      file: 'model.onnx',
      expected: BUNDLED_DIGESTS['churn']!['model.onnx'],
      actual: await sha256Hex(swappedBytes),
    });
  }, 60_000);

  it('with a pinned Ed25519 key: accepts the signed card, refuses tampered, foreign-signed and unsigned ones', async () => {
    const key = rawPublicKey(keys.publicKey);
    expect(await load('/signed/', 'own-churn', key)).toEqual({ ok: true, id: 'churn' });
    expect(await load('/tampered/', 'own-churn', key)).toMatchObject({
      ok: false,
      name: 'ModelSignatureError',
      problem: 'invalid',
    });
    expect(await load('/signed/', 'own-churn', rawPublicKey(stranger.publicKey))).toMatchObject({
      ok: false,
      name: 'ModelSignatureError',
      problem: 'invalid',
    });
    expect(await load('/unsigned/', 'own-churn', key)).toMatchObject({
      ok: false,
      name: 'ModelSignatureError',
      problem: 'unsigned',
    });
    expect(await load('/unsigned/', 'own-churn')).toEqual({ ok: true, id: 'churn' });
  }, 60_000);
});
