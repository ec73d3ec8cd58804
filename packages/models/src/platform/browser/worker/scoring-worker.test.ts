// The scoring-worker protocol end to end over a real MessageChannel (structured clone, transfers), with
// onnxruntime-node sessions standing in for the worker's onnxruntime-web (the Chromium test in
// examples/browser-scoring runs the real Web Worker).
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { DharmaError, ModelIntegrityError, StateError, ValidationError } from '@iac-dharma/core';
import { createOnnxRuntime } from '../../node/onnx-runtime.js';
import { signModelCard } from '../../../integrity/card-signature.js';
import { loadModel } from '../../../loading/load-model.js';
import { createScoringWorker, type ScoringWorker } from './create-scoring-worker.js';
import { serveScoringWorker, type WorkerScopeLike } from './serve-scoring-worker.js';
import type { WorkerLike } from './worker-channel.js';

const THREAT = new URL('../../../../artifacts/threat/', import.meta.url);
const hasThreat = existsSync(new URL('model.onnx', THREAT));
const bytes = () => new Uint8Array(readFileSync(new URL('model.onnx', THREAT)));
const card = () => JSON.parse(readFileSync(new URL('model-card.json', THREAT), 'utf8')) as unknown;

const open: ScoringWorker[] = [];
function connect(modelBaseUrl = 'http://localhost/models/'): {
  scoring: ScoringWorker;
  page: WorkerLike;
  scope: WorkerScopeLike;
} {
  const { port1, port2 } = new MessageChannel();
  const scope = port2 as unknown as WorkerScopeLike;
  serveScoringWorker({ scope, createRuntime: () => createOnnxRuntime() });
  const page: WorkerLike = {
    postMessage: (message, transfer) => port1.postMessage(message, transfer as never),
    addEventListener: (type, listener) => port1.addEventListener(type, listener as never),
    terminate: () => port1.close(),
  };
  port1.start();
  port2.start();
  const scoring = createScoringWorker({ worker: page, modelBaseUrl, wasmPaths: 'http://localhost/ort/' });
  open.push(scoring);
  return { scoring, page, scope };
}

afterEach(() => {
  for (const scoring of open.splice(0)) scoring.terminate();
});

describe('createScoringWorker', () => {
  it('needs a workerUrl or a worker', () => {
    expect(() => createScoringWorker({})).toThrow(ValidationError);
  });

  it.skipIf(!hasThreat)('scores in the worker exactly like a session on this thread', async () => {
    const { scoring } = connect();
    const remote = await loadModel({ bytes: bytes(), card: card(), runtime: scoring.runtime });
    const local = await loadModel({ bytes: bytes(), card: card(), runtime: createOnnxRuntime() });
    const input = new Float32Array(3 * remote.rowWidth).map((_, index) => (index % 7) / 7);
    const [remoteOut, localOut] = await Promise.all([remote.run(input, 3), local.run(input, 3)]);
    expect(Object.keys(remoteOut).sort()).toEqual(Object.keys(localOut).sort());
    for (const name of Object.keys(localOut)) {
      expect(remoteOut[name]!.dims).toEqual(localOut[name]!.dims);
      expect(Array.from(remoteOut[name]!.data as ArrayLike<unknown>)).toEqual(
        Array.from(localOut[name]!.data as ArrayLike<unknown>),
      );
    }
    // The caller's input is copied, not transferred: it is still usable.
    expect(input.length).toBe(3 * remote.rowWidth);
    await local.release();
  });

  it.skipIf(!hasThreat)('rejects runs of a released model with StateError', async () => {
    const { scoring } = connect();
    const model = await loadModel({ bytes: bytes(), card: card(), runtime: scoring.runtime });
    const session = model.session;
    await model.release();
    await expect(model.run(new Float32Array(model.rowWidth), 1)).rejects.toBeInstanceOf(StateError);
    await expect(session.run({})).rejects.toBeInstanceOf(StateError);
  });

  it.skipIf(!hasThreat)('turns a run failure in the worker into a typed DharmaError on the page', async () => {
    const { scoring } = connect();
    const model = await loadModel({ bytes: bytes(), card: card(), runtime: scoring.runtime });
    const error = await model.session
      .run({ input: { type: 'float32', data: new Float32Array(5), dims: [1, 5] } })
      .catch((caught: unknown) => caught);
    expect(DharmaError.isInstance(error)).toBe(true);
    expect((error as DharmaError).code).toBe('MODEL_RUN_ERROR');
  });

  it('answers malformed requests with a ValidationError naming the field', async () => {
    const { page } = connect();
    const answer = new Promise<unknown>((resolve) =>
      page.addEventListener('message', (event) => {
        const data = (event as MessageEvent<{ requestId: number }>).data;
        if (data.requestId === 999) resolve(data);
      }),
    );
    page.postMessage({ type: 'run', requestId: 999, sessionId: -1, feeds: {} });
    expect(await answer).toMatchObject({
      requestId: 999,
      ok: false,
      error: { code: 'VALIDATION_ERROR', issues: [expect.objectContaining({ path: 'sessionId' })] },
    });
  });

  it('rejects a call whose signal aborts, and every pending call on terminate', async () => {
    const { scoring } = connect();
    const controller = new AbortController();
    controller.abort(new Error('user left the page'));
    await expect(scoring.loadModel({ id: 'threat', signal: controller.signal })).rejects.toThrow('user left the page');
    const pending = scoring.runtime.createSession({ bytes: new Uint8Array([1, 2, 3]) });
    scoring.terminate();
    await expect(pending).rejects.toBeInstanceOf(StateError);
    await expect(scoring.loadModel({ id: 'threat' })).rejects.toThrow('terminated');
  });

  it.skipIf(!hasThreat)(
    'loads by id in the worker under a pinned Ed25519 key: signed accepted, unsigned and tampered refused',
    async () => {
      const keys = generateKeyPairSync('ed25519');
      const publicKey = keys.publicKey.export({ format: 'pem', type: 'spki' }).toString();
      // A small model of your own (churn's bytes, 88 kB) signed with your key; the bundled threat model is unsigned.
      const churn = new URL('../churn/', THREAT);
      const signed = await signModelCard(
        JSON.parse(readFileSync(new URL('model-card.json', churn), 'utf8')) as Record<string, unknown>,
        keys.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      );
      const churnBytes = readFileSync(new URL('model.onnx', churn));
      const files = new Map<string, Uint8Array | string>([
        ['/models/threat/model-card.json', readFileSync(new URL('model-card.json', THREAT))],
        ['/models/threat/model.onnx', bytes()],
        ['/models/own-churn/model-card.json', JSON.stringify(signed)],
        ['/models/own-churn/model.onnx', churnBytes],
        ['/models/edited-churn/model-card.json', JSON.stringify({ ...signed, description: 'edited' })],
        ['/models/edited-churn/model.onnx', churnBytes],
      ]);
      const server = createServer((request, response) => {
        const body = files.get(new URL(request.url ?? '/', 'http://localhost').pathname);
        if (body === undefined) return void response.writeHead(404).end();
        response.writeHead(200).end(body);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const { scoring } = connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}/models/`);
        const model = await scoring.loadModel({ id: 'own-churn', publicKey });
        expect(model.card.id).toBe('churn');
        await model.release();
        const unsigned = scoring.loadModel({ id: 'threat', publicKey });
        await expect(unsigned).rejects.toBeInstanceOf(ModelIntegrityError);
        await expect(unsigned).rejects.toThrow('its card is not signed, but a public key is pinned');
        await expect(scoring.loadModel({ id: 'edited-churn', publicKey })).rejects.toThrow(
          'does not verify with the pinned public key',
        );
      } finally {
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
    60_000,
  );
});
