import {
  StateError,
  ValidationError,
  type CallOptions,
  type ModelRuntime,
  type ModelSession,
  type TensorData,
} from '@iac-dharma/core/kernel';
import { parseModelCard } from '../../../card/parse-model-card.js';
import { Model } from '../../../loading/model.js';
import type { WorkerLoadResult, WorkerSessionInfo } from './scoring-worker-protocol.js';
import { WorkerChannel, type WorkerLike } from './worker-channel.js';

/** Options of {@link createScoringWorker}: give `workerUrl` or `worker`. */
export interface ScoringWorkerOptions {
  /** URL of your worker entry (a module that calls `serveScoringWorker()`); started as a module worker. */
  workerUrl?: string | URL;
  /** An already started worker running `serveScoringWorker()` (e.g. from a bundler's `?worker` import). */
  worker?: WorkerLike;
  /** Folder serving `<id>/model-card.json` and `<id>/model.onnx`, resolved against the page. @default 'models/' */
  modelBaseUrl?: string | URL;
  /** URL prefix (resolved against the page) or per-file map of onnxruntime-web's `.wasm` files. @default onnxruntime-web's default */
  wasmPaths?: string | URL | Record<string, string>;
  /** WebAssembly threads in the worker; more than 1 needs cross-origin isolation (COOP/COEP). @default 1 */
  numThreads?: number;
}

/** Scores models in a Web Worker; every method returns a promise, so the page's main thread never blocks. */
export interface ScoringWorker {
  /**
   * Loads, verifies (sha256) and opens model `id` inside the worker (fetched from `modelBaseUrl`). The returned
   * {@link Model} runs in the worker, so it plugs into `FailurePredictor`/`ThreatDetector` via their `model` option.
   * `publicKey` (PEM or base64 of the 32 raw bytes) pins an Ed25519 key: the card must be signed by it.
   */
  loadModel(options: { id: string; publicKey?: string } & CallOptions): Promise<Model>;
  /** A `ModelRuntime` whose sessions live in the worker (pass it to `loadModel({ bytes, card, runtime })`). */
  readonly runtime: ModelRuntime;
  /** Stops the worker; pending and later calls reject with a `StateError`. */
  terminate(): void;
}

/**
 * Starts (or adopts) a scoring worker and configures it. Relative URLs are resolved against the page here,
 * because inside the worker they would resolve against the worker script.
 */
export function createScoringWorker(options: ScoringWorkerOptions): ScoringWorker {
  if (!options.worker && options.workerUrl === undefined) {
    throw new ValidationError(
      'createScoringWorker: give `workerUrl` (your worker entry) or `worker` (a started Worker).',
      [{ path: 'workerUrl', message: 'required when `worker` is not given', code: 'custom' }],
    );
  }
  const page = globalThis.document?.baseURI ?? globalThis.location?.href;
  const absolute = (url: string | URL) => new URL(String(url), page).href;
  const worker = options.worker ?? (new Worker(absolute(options.workerUrl!), { type: 'module' }) as WorkerLike);
  const channel = new WorkerChannel(worker);
  const wasmPaths =
    options.wasmPaths === undefined
      ? undefined
      : typeof options.wasmPaths === 'object' && !(options.wasmPaths instanceof URL)
        ? options.wasmPaths
        : absolute(options.wasmPaths);
  const configured = channel.request<null>({
    type: 'configure',
    modelBaseUrl: absolute(options.modelBaseUrl ?? 'models/'),
    ...(wasmPaths === undefined ? {} : { wasmPaths }),
    ...(options.numThreads === undefined ? {} : { numThreads: options.numThreads }),
  });
  configured.catch(() => undefined); // surfaced by the first call that awaits it

  const proxySession = (info: WorkerSessionInfo): ModelSession => {
    let released = false;
    return {
      inputNames: info.inputNames,
      outputNames: info.outputNames,
      run(feeds: Record<string, TensorData>, call: CallOptions = {}) {
        if (released) return Promise.reject(new StateError('This model session was released: load the model again.'));
        return channel.request<Record<string, TensorData>>({ type: 'run', sessionId: info.sessionId, feeds }, [], call);
      },
      async release() {
        if (released) return;
        released = true;
        await channel.request({ type: 'release', sessionId: info.sessionId });
      },
    };
  };

  const runtime: ModelRuntime = {
    specificationVersion: 'v1',
    name: 'onnxruntime-web (worker)',
    async createSession({ bytes, signal }) {
      await configured;
      // Copy, so the caller keeps its bytes (a transfer would detach them).
      return proxySession(
        await channel.request<WorkerSessionInfo>(
          { type: 'create-session', bytes: bytes.slice() },
          [],
          signal ? { signal } : {},
        ),
      );
    },
  };

  return {
    runtime,
    async loadModel({ id, publicKey, ...call }) {
      await configured;
      const loaded = await channel.request<WorkerLoadResult>(
        { type: 'load', id, ...(publicKey === undefined ? {} : { publicKey }) },
        [],
        call,
      );
      return new Model(parseModelCard(loaded.card, `model card "${id}"`), proxySession(loaded));
    },
    terminate() {
      channel.fail(new StateError('The scoring worker was terminated.'));
      worker.terminate();
    },
  };
}
