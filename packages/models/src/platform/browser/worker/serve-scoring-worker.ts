import {
  StateError,
  ValidationError,
  type ModelRuntime,
  type ModelSession,
  type TensorData,
} from '@iac-dharma/core/kernel';
import { loadModel } from '../../../loading/load-model.js';
import { createBundledModelSource } from '../bundled-model-source.js';
import { createOnnxRuntime, type OnnxRuntimeOptions } from '../onnx-runtime.js';
import {
  ScoringWorkerRequestSchema,
  type ScoringWorkerRequest,
  type ScoringWorkerResponse,
  type WorkerLoadResult,
  type WorkerSessionInfo,
} from './scoring-worker-protocol.js';
import { serializeWorkerError } from './serialize-worker-error.js';

/** The part of a worker's global scope the scoring worker uses (`self` in a dedicated worker). */
export interface WorkerScopeLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Options of {@link serveScoringWorker}. */
export interface ServeScoringWorkerOptions {
  /** The scope to listen on. @default globalThis (the worker's `self`) */
  scope?: WorkerScopeLike;
  /**
   * Builds the runtime from the page's `configure` message. @default onnxruntime-web's wasm backend,
   * single-threaded unless the page asks for more threads
   */
  createRuntime?: (options: OnnxRuntimeOptions) => ModelRuntime;
}

/**
 * Turns the current dedicated worker into a scoring worker: it answers {@link createScoringWorker}'s
 * requests (configure, load a model by id, create a session from bytes, run, release), keeping every ONNX
 * session inside the worker so inference never blocks the page. Call it once from your worker entry file:
 *
 * @example
 * // scoring-worker.ts
 * import { serveScoringWorker } from '@iac-dharma/models/worker';
 * serveScoringWorker();
 */
export function serveScoringWorker(options: ServeScoringWorkerOptions = {}): void {
  const scope = options.scope ?? (globalThis as unknown as WorkerScopeLike);
  const buildRuntime = options.createRuntime ?? createOnnxRuntime;
  const sessions = new Map<number, ModelSession>();
  let nextSessionId = 1;
  let runtime: ModelRuntime | undefined;
  let modelBaseUrl: string | undefined;

  const remember = (session: ModelSession): WorkerSessionInfo => {
    const sessionId = nextSessionId++;
    sessions.set(sessionId, session);
    return { sessionId, inputNames: [...session.inputNames], outputNames: [...session.outputNames] };
  };
  const sessionOf = (sessionId: number): ModelSession => {
    const session = sessions.get(sessionId);
    if (!session)
      throw new StateError(`The scoring worker has no session ${sessionId}: it was released or never created.`);
    return session;
  };

  const handle = async (request: ScoringWorkerRequest): Promise<{ result: unknown; transfer: Transferable[] }> => {
    switch (request.type) {
      case 'configure': {
        if (runtime)
          throw new StateError('The scoring worker is already configured: configure it once, before loading models.');
        runtime = buildRuntime({
          numThreads: request.numThreads ?? 1,
          ...(request.wasmPaths === undefined ? {} : { wasmPaths: request.wasmPaths }),
        });
        modelBaseUrl = request.modelBaseUrl;
        return { result: null, transfer: [] };
      }
      case 'load': {
        runtime ??= buildRuntime({});
        const model = await loadModel({
          id: request.id,
          runtime,
          source: createBundledModelSource(modelBaseUrl ? { baseUrl: modelBaseUrl } : {}),
          ...(request.publicKey === undefined ? {} : { publicKey: request.publicKey }),
        });
        const result: WorkerLoadResult = { ...remember(model.session), card: model.card };
        return { result, transfer: [] };
      }
      case 'create-session': {
        runtime ??= buildRuntime({});
        return { result: remember(await runtime.createSession({ bytes: request.bytes })), transfer: [] };
      }
      case 'run': {
        const outputs = await sessionOf(request.sessionId).run(request.feeds as Record<string, TensorData>);
        return detachOutputs(outputs);
      }
      case 'release': {
        const session = sessions.get(request.sessionId);
        sessions.delete(request.sessionId);
        await session?.release();
        return { result: null, transfer: [] };
      }
    }
  };

  scope.addEventListener('message', (event: MessageEvent) => {
    const requestId = typeof event.data?.requestId === 'number' ? (event.data.requestId as number) : -1;
    const reply = (response: ScoringWorkerResponse, transfer: Transferable[] = []) =>
      scope.postMessage(response, transfer);
    const parsed = ScoringWorkerRequestSchema.safeParse(event.data);
    if (!parsed.success) {
      reply({
        requestId,
        ok: false,
        error: serializeWorkerError(ValidationError.fromZod(parsed.error, 'scoring worker request')),
      });
      return;
    }
    // Never throws into the worker: every failure goes back to the caller as a rejected promise.
    handle(parsed.data).then(
      ({ result, transfer }) => reply({ requestId, ok: true, result }, transfer),
      (error: unknown) => reply({ requestId, ok: false, error: serializeWorkerError(error) }),
    );
  });
}

/** Copies output tensors out of the runtime's memory and lists their buffers for a zero-copy transfer. */
function detachOutputs(outputs: Record<string, TensorData>): {
  result: Record<string, TensorData>;
  transfer: Transferable[];
} {
  const result: Record<string, TensorData> = {};
  const transfer: Transferable[] = [];
  for (const [name, tensor] of Object.entries(outputs)) {
    if (Array.isArray(tensor.data)) {
      result[name] = { type: tensor.type, data: [...tensor.data], dims: [...tensor.dims] };
      continue;
    }
    const data = tensor.data.slice() as Exclude<TensorData['data'], string[]>;
    transfer.push(data.buffer as ArrayBuffer);
    result[name] = { type: tensor.type, data, dims: [...tensor.dims] };
  }
  return { result, transfer };
}
