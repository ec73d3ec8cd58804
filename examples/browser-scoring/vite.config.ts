import { defineConfig } from 'vite';
import { scoringAssets } from './scoring-assets-plugin.js';

// Builds the browser-scoring page. Workspace packages resolve to their TypeScript sources through the
// `@iac-dharma/source` condition ('browser' picks @iac-dharma/models' onnxruntime-web binding); an app
// using the published packages needs only the 'browser' condition (Vite's default).
export default defineConfig({
  base: './',
  resolve: {
    // 'onnxruntime-web-use-extern-wasm': onnxruntime-web loads its wasm glue (.mjs) and binary (.wasm) from
    // `wasmPaths` (copied to ort/ below) instead of bundling a second copy of the 14 MB binary into assets/.
    conditions: ['@iac-dharma/source', 'browser', 'onnxruntime-web-use-extern-wasm', 'module', 'import', 'default'],
    // The wasm-only build of onnxruntime-web: a 14 MB .wasm instead of the 27 MB WebGPU/JSEP one.
    alias: [{ find: /^onnxruntime-web$/, replacement: 'onnxruntime-web/wasm' }],
  },
  // The scoring worker lazy-loads onnxruntime-web, which needs ES module workers.
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 1024 },
  plugins: [
    scoringAssets({
      ...(process.env['DHARMA_ARTIFACTS_DIR'] ? { artifactsDirectory: process.env['DHARMA_ARTIFACTS_DIR'] } : {}),
    }),
  ],
});
