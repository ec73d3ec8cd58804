import {
  createOrtModelRuntime,
  type OrtModuleLike,
  type OrtRuntimeOptions,
  type PreparableModelRuntime,
} from '../../runtime/ort-model-runtime.js';

/** Options of the browser runtime (onnxruntime-web, WebAssembly). */
export interface OnnxRuntimeOptions extends OrtRuntimeOptions {
  /**
   * Where onnxruntime-web finds its `.wasm`/`.mjs` files: a URL prefix (e.g. `/ort/`) or a per-file map
   * (onnxruntime-web's `env.wasm.wasmPaths`). @default onnxruntime-web's own default (next to its script)
   */
  wasmPaths?: string | Record<string, string>;
  /** WebAssembly threads; more than 1 needs cross-origin isolation (COOP/COEP headers). @default 1 */
  numThreads?: number;
}

/**
 * Creates a `ModelRuntime` backed by onnxruntime-web's WebAssembly backend (an optional peer dependency,
 * loaded on first use). Single-threaded by default so it works on any page. `prepare()` starts the module and
 * its WebAssembly before the first model (`loadModel` does this while the model downloads).
 */
export function createOnnxRuntime(options: OnnxRuntimeOptions = {}): PreparableModelRuntime {
  return createOrtModelRuntime(
    'onnxruntime-web',
    async () => {
      let module: unknown;
      try {
        // The plain WebAssembly build (a 14 MB .wasm), not the default WebGPU/JSEP one (27 MB).
        module = await import('onnxruntime-web/wasm');
      } catch (error) {
        throw new Error('onnxruntime-web is not installed: run `npm install onnxruntime-web`.', { cause: error });
      }
      const ort = ((module as { default?: unknown }).default ?? module) as OrtModuleLike & {
        env: { wasm: { numThreads?: number; wasmPaths?: unknown; proxy?: boolean } };
      };
      ort.env.wasm.numThreads = options.numThreads ?? 1;
      // onnxruntime-web cannot resolve a relative prefix ('ort/'): resolve it against the page (or worker) URL.
      if (options.wasmPaths !== undefined)
        ort.env.wasm.wasmPaths =
          typeof options.wasmPaths === 'string' ? absoluteUrl(options.wasmPaths) : options.wasmPaths;
      return ort;
    },
    { executionProviders: ['wasm'], graphOptimizationLevel: 'all', ...options.sessionOptions },
  );
}

function absoluteUrl(url: string): string {
  const base = globalThis.document?.baseURI ?? globalThis.location?.href;
  try {
    return base ? new URL(url, base).href : url;
  } catch {
    return url;
  }
}
