import { DharmaError, ValidationError, type ModelRuntime } from '@iac-dharma/core/kernel';
import {
  createOrtModelRuntime,
  type OrtModuleLike,
  type OrtRuntimeOptions,
  type PreparableModelRuntime,
} from '../../runtime/ort-model-runtime.js';

/** Options of the Node runtime. */
export interface OnnxRuntimeOptions extends OrtRuntimeOptions {
  /**
   * `native`: onnxruntime-node (an optional peer dependency with a native binary); `wasm`: onnxruntime-web's
   * WebAssembly backend, loaded from the installed onnxruntime-web package (no download); `auto`: onnxruntime-node
   * when it is installed and loads, else onnxruntime-web. Both give the same outputs (within 1e-5).
   * @default 'auto'
   */
  backend?: 'auto' | 'native' | 'wasm';
  /** Threads used inside one operator (native backend). Small tree models are fastest single-threaded. @default 1 */
  intraOpNumThreads?: number;
  /** Threads used across operators (native backend). @default 1 */
  interOpNumThreads?: number;
  /** WebAssembly threads (wasm backend). @default 1 */
  numThreads?: number;
}

type Loaded = { backend: 'native' | 'wasm'; runtime: PreparableModelRuntime };

/**
 * Creates a `ModelRuntime` for Node: onnxruntime-node (CPU execution provider) when it is installed, else
 * onnxruntime-web's WebAssembly backend, so the package installs and runs with no native download.
 * Both modules are optional peer dependencies, loaded on first use; `backend` forces one. `name` tells which
 * binding is in use once a session was created (`onnxruntime (auto)` before); `backend()` resolves it.
 */
export function createOnnxRuntime(
  options: OnnxRuntimeOptions = {},
): PreparableModelRuntime & { backend(): Promise<'native' | 'wasm'> } {
  const backend = options.backend ?? 'auto';
  if (backend !== 'auto' && backend !== 'native' && backend !== 'wasm') {
    const message = `backend: expected 'auto', 'native' or 'wasm', got ${JSON.stringify(backend)}.`;
    throw new ValidationError(message, [{ path: 'backend', message, code: 'invalid_value' }]);
  }
  const native = createOrtModelRuntime('onnxruntime-node', loadNative, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: options.intraOpNumThreads ?? 1,
    interOpNumThreads: options.interOpNumThreads ?? 1,
    ...options.sessionOptions,
  });
  const wasm = createOrtModelRuntime('onnxruntime-web (wasm)', () => loadWasm(options.numThreads ?? 1), {
    executionProviders: ['wasm'],
    graphOptimizationLevel: 'all',
    ...options.sessionOptions,
  });
  let loaded: Promise<Loaded> | undefined;
  let picked: Loaded | undefined;
  const pick = (): Promise<Loaded> =>
    (loaded ??= (async (): Promise<Loaded> => {
      if (backend === 'native') {
        await loadNative();
        return { backend, runtime: native };
      }
      if (backend === 'wasm') {
        await loadWasm(options.numThreads ?? 1);
        return { backend, runtime: wasm };
      }
      try {
        await loadNative();
        return { backend: 'native', runtime: native };
      } catch (nativeError) {
        try {
          await loadWasm(options.numThreads ?? 1);
        } catch (wasmError) {
          throw new DharmaError(
            'MODEL_LOAD_ERROR',
            'No onnxruntime is installed: run `npm install onnxruntime-web` (WebAssembly, no native download) or `npm install onnxruntime-node` (native binding).',
            { cause: new AggregateError([nativeError, wasmError]) },
          );
        }
        return { backend: 'wasm', runtime: wasm };
      }
    })().then(
      (result) => (picked = result),
      (error: unknown) => {
        loaded = undefined;
        throw error;
      },
    ));
  return {
    specificationVersion: 'v1',
    get name() {
      return (
        picked?.runtime.name ??
        (backend === 'auto'
          ? 'onnxruntime (auto)'
          : backend === 'native'
            ? 'onnxruntime-node'
            : 'onnxruntime-web (wasm)')
      );
    },
    async backend() {
      return (await pick()).backend;
    },
    async prepare() {
      await (await pick()).runtime.prepare();
    },
    async createSession(sessionOptions) {
      return (await pick()).runtime.createSession(sessionOptions);
    },
  };
}

let nativeModule: Promise<OrtModuleLike> | undefined;
let wasmModule: Promise<OrtModuleLike> | undefined;

function loadNative(): Promise<OrtModuleLike> {
  nativeModule ??= import('onnxruntime-node').then(
    (module) => ((module as { default?: unknown }).default ?? module) as unknown as OrtModuleLike,
    (error: unknown) => {
      nativeModule = undefined;
      throw new DharmaError(
        'MODEL_LOAD_ERROR',
        'onnxruntime-node is not installed (or its native binary is missing): run `npm install onnxruntime-node`.',
        { cause: error },
      );
    },
  );
  return nativeModule;
}

function loadWasm(numThreads: number): Promise<OrtModuleLike> {
  // onnxruntime-web's Node build loads ort-wasm-simd-threaded.{mjs,wasm} from its own dist/ folder: no network.
  wasmModule ??= import('onnxruntime-web').then(
    (module) => {
      const ort = ((module as { default?: unknown }).default ?? module) as OrtModuleLike & {
        env: { wasm: { numThreads?: number } };
      };
      ort.env.wasm.numThreads = numThreads;
      return ort;
    },
    (error: unknown) => {
      wasmModule = undefined;
      throw new DharmaError(
        'MODEL_LOAD_ERROR',
        'onnxruntime-web is not installed: run `npm install onnxruntime-web`.',
        { cause: error },
      );
    },
  );
  return wasmModule;
}
