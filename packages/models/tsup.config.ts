import { defineConfig } from 'tsup';

// Two builds of the same entry: Node (onnxruntime-node, artifacts read from the package folder) and
// browser (onnxruntime-web, artifacts fetched from a base URL). `#platform` (package.json "imports")
// picks the platform folder; esbuild resolves it with the `browser` condition in the browser build.
const shared = {
  entry: { index: 'src/index.ts' },
  dts: true,
  sourcemap: true,
  target: 'es2022',
  external: ['onnxruntime-node', 'onnxruntime-web', '@iac-dharma/core', 'zod'],
} as const;

export default defineConfig([
  { ...shared, format: ['esm', 'cjs'], platform: 'node', clean: true, shims: true },
  {
    ...shared,
    entry: { index: 'src/index.ts', 'worker/index': 'src/platform/browser/worker/index.ts' },
    format: ['esm'],
    platform: 'browser',
    outDir: 'dist/browser',
  },
]);
