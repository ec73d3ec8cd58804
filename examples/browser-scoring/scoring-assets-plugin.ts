import { createReadStream, existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import type { Plugin } from 'vite';

/** Options of {@link scoringAssets}. */
export interface ScoringAssetsOptions {
  /** Folder holding `<id>/model-card.json` + `<id>/model.onnx`. @default the `artifacts/` folder of @iac-dharma/models */
  artifactsDirectory?: string;
  /** URL folder (under the base) for the models. @default 'models/' */
  modelsPath?: string;
  /** URL folder (under the base) for onnxruntime-web's wasm. @default 'ort/' */
  wasmPath?: string;
  /**
   * Adds `<link rel="preload">` of the `.wasm` to the app's HTML pages, so its 14 MB download starts while the
   * page's scripts load. Off by default: when the scoring runs in a worker, Chromium does not hand the page's
   * preload to the worker's fetch, and the `.wasm` is downloaded twice (measured by the browser benchmark:
   * 28.5 MB instead of 14.2 MB, and a slower first score, 681 ms instead of 626 ms from navigation). Turn it on
   * only when the page thread itself loads onnxruntime-web. Pages under `test/` never get it. @default false
   */
  preloadWasm?: boolean;
}

const require = createRequire(import.meta.url);
/** onnxruntime-web's wasm glue and binary used by the `onnxruntime-web/wasm` build (single- and multi-threaded). */
const WASM_FILES = ['ort-wasm-simd-threaded.mjs', 'ort-wasm-simd-threaded.wasm'];
const MIME: Record<string, string> = {
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.onnx': 'application/octet-stream',
  '.mjs': 'text/javascript',
};

/** Every file the page may fetch at run time: URL path under the base → file on disk. */
export function scoringAssetFiles(options: ScoringAssetsOptions = {}): Map<string, string> {
  const artifacts =
    options.artifactsDirectory ?? join(dirname(require.resolve('@iac-dharma/models/package.json')), 'artifacts');
  const ortDist = dirname(require.resolve('onnxruntime-web/ort-wasm-simd-threaded.wasm'));
  const files = new Map<string, string>();
  for (const file of WASM_FILES) files.set(`${options.wasmPath ?? 'ort/'}${file}`, join(ortDist, file));
  if (!existsSync(artifacts)) return files;
  for (const id of readdirSync(artifacts)) {
    const cardPath = join(artifacts, id, 'model-card.json');
    if (!existsSync(cardPath)) continue;
    const card = JSON.parse(readFileSync(cardPath, 'utf8')) as { file: string };
    // Only the card and the model: parity files and training notes stay out of the page.
    for (const file of ['model-card.json', card.file])
      files.set(`${options.modelsPath ?? 'models/'}${id}/${file}`, join(artifacts, id, file));
  }
  return files;
}

/**
 * Vite plugin: serves (dev) and copies (build) onnxruntime-web's `.wasm` and the model artifacts, so the
 * page loads them from URLs the app controls (`ort/`, `models/`) instead of a CDN.
 */
export function scoringAssets(options: ScoringAssetsOptions = {}): Plugin {
  let files = new Map<string, string>();
  return {
    name: 'dharma-scoring-assets',
    buildStart() {
      files = scoringAssetFiles(options);
    },
    configureServer(server) {
      files = scoringAssetFiles(options);
      server.middlewares.use((request, response, next) => {
        const path = decodeURIComponent((request.url ?? '').split('?')[0]!).replace(server.config.base, '');
        const file = files.get(path);
        if (!file) return next();
        response.setHeader('Content-Type', MIME[extname(file)] ?? 'application/octet-stream');
        response.setHeader('Content-Length', statSync(file).size);
        createReadStream(file).pipe(response);
      });
    },
    transformIndexHtml(_html, context) {
      if (options.preloadWasm !== true || context.path.includes('/test/')) return [];
      const href = `${options.wasmPath ?? 'ort/'}${WASM_FILES.find((file) => file.endsWith('.wasm'))}`;
      return [
        {
          tag: 'link',
          attrs: { rel: 'preload', href, as: 'fetch', type: 'application/wasm', crossorigin: '' },
          injectTo: 'head-prepend',
        },
      ];
    },
    generateBundle() {
      for (const [fileName, path] of files) this.emitFile({ type: 'asset', fileName, source: readFileSync(path) });
    },
  };
}
