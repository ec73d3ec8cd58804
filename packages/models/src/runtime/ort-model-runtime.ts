import {
  DharmaError,
  StateError,
  type CallOptions,
  type ModelRuntime,
  type ModelSession,
  type TensorData,
} from '@iac-dharma/core/kernel';

/** The part of an onnxruntime tensor the SDK uses (onnxruntime-node and -web share it). */
export interface OrtTensorLike {
  readonly type: string;
  readonly data: unknown;
  readonly dims: readonly number[];
  dispose?(): void;
}

/** The part of an onnxruntime inference session the SDK uses. */
export interface OrtSessionLike {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  run(feeds: Record<string, OrtTensorLike>): Promise<Record<string, OrtTensorLike>>;
  release(): Promise<void>;
}

/** The part of the `onnxruntime-node` / `onnxruntime-web` module the SDK uses. */
export interface OrtModuleLike {
  InferenceSession: { create(bytes: Uint8Array, options?: Record<string, unknown>): Promise<OrtSessionLike> };
  Tensor: new (type: never, data: never, dims: readonly number[]) => OrtTensorLike;
}

/** Options shared by the Node and browser runtimes. */
export interface OrtRuntimeOptions {
  /** Extra onnxruntime session options, merged over the defaults. @default { graphOptimizationLevel: 'all' } plus the platform's thread settings */
  sessionOptions?: Record<string, unknown>;
}

/** A `ModelRuntime` that can start its backend before it has a model (see {@link prepareModelRuntime}). */
export interface PreparableModelRuntime extends ModelRuntime {
  /**
   * Starts the runtime without a model: loads onnxruntime, instantiates its WebAssembly (onnxruntime-web) and
   * initialises the execution provider, so this can run while the model bytes download. Resolves when the
   * runtime is ready; calling it again returns the same promise. `loadModel` calls it for you.
   */
  prepare(): Promise<void>;
}

/**
 * The smallest valid ONNX model (one `Identity` node on a `float[1]`, opset 13, 63 bytes). Opening a session on
 * it makes onnxruntime do everything a first session does except reading a real model.
 */
const WARM_UP_MODEL = Uint8Array.from([
  8, 7, 58, 55, 10, 16, 10, 1, 120, 18, 1, 121, 34, 8, 73, 100, 101, 110, 116, 105, 116, 121, 18, 1, 119, 90, 15, 10, 1,
  120, 18, 10, 10, 8, 8, 1, 18, 4, 10, 2, 8, 1, 98, 15, 10, 1, 121, 18, 10, 10, 8, 8, 1, 18, 4, 10, 2, 8, 1, 66, 2, 16,
  13,
]);

/**
 * Starts `runtime`'s backend when it can be started without a model ({@link PreparableModelRuntime});
 * resolves at once for other runtimes. Never rejects: a runtime that cannot start reports it again from
 * `createSession`, where the caller handles it.
 */
export function prepareModelRuntime(runtime: ModelRuntime): Promise<void> {
  const prepare = (runtime as Partial<PreparableModelRuntime>).prepare;
  if (typeof prepare !== 'function') return Promise.resolve();
  return prepare.call(runtime).then(
    () => undefined,
    () => undefined,
  );
}

/** Adapts an onnxruntime module to core's `ModelRuntime`; the Node and browser runtimes are thin wrappers. */
export function createOrtModelRuntime(
  name: string,
  load: () => Promise<OrtModuleLike>,
  sessionOptions: Record<string, unknown>,
): PreparableModelRuntime {
  let module: Promise<OrtModuleLike> | undefined;
  let prepared: Promise<void> | undefined;
  return {
    specificationVersion: 'v1',
    name,
    prepare() {
      return (prepared ??= (async () => {
        module ??= load();
        const ort = await module;
        // Same session options (execution providers) as the real sessions, so their provider is initialised too.
        const session = await ort.InferenceSession.create(WARM_UP_MODEL.slice(), sessionOptions);
        await session.release();
      })().catch((error: unknown) => {
        prepared = undefined;
        throw new DharmaError(
          'MODEL_LOAD_ERROR',
          `${name} could not start: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }));
    },
    async createSession(options) {
      throwIfAborted(options.signal);
      module ??= load();
      const ort = await module;
      let session: OrtSessionLike;
      try {
        session = await ort.InferenceSession.create(options.bytes, sessionOptions);
      } catch (error) {
        throw new DharmaError(
          'MODEL_LOAD_ERROR',
          `${name} could not create a session: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      }
      throwIfAborted(options.signal);
      return new OrtModelSession(ort, session, name);
    },
  };
}

class OrtModelSession implements ModelSession {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  private released = false;

  constructor(
    private readonly ort: OrtModuleLike,
    private readonly session: OrtSessionLike,
    private readonly runtimeName: string,
  ) {
    this.inputNames = session.inputNames;
    this.outputNames = session.outputNames;
  }

  async run(feeds: Record<string, TensorData>, options: CallOptions = {}): Promise<Record<string, TensorData>> {
    if (this.released) throw new StateError('This model session was released: load the model again.');
    throwIfAborted(options.signal);
    const ortFeeds: Record<string, OrtTensorLike> = {};
    for (const name in feeds) {
      const tensor = feeds[name]!;
      ortFeeds[name] = new this.ort.Tensor(tensor.type as never, tensor.data as never, tensor.dims);
    }
    let results: Record<string, OrtTensorLike>;
    try {
      results = await this.session.run(ortFeeds);
    } catch (error) {
      throw new DharmaError(
        'MODEL_RUN_ERROR',
        `${this.runtimeName} failed to run the model: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    const outputs: Record<string, TensorData> = {};
    for (const name in results) {
      const tensor = results[name]!;
      outputs[name] = {
        type: tensor.type as TensorData['type'],
        data: tensor.data as TensorData['data'],
        dims: tensor.dims,
      };
    }
    return outputs;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
}
