import { defineConfig } from 'tsup';

// Two builds of the same entry, as in @iac-dharma/models: Node (the encoder read from this package's
// artifacts folder) and browser (fetched from a base URL). `#platform` (package.json "imports") picks the
// platform folder; esbuild resolves it with the `browser` condition in the browser build.
const shared = {
  entry: { index: 'src/index.ts' },
  dts: true,
  sourcemap: true,
  target: 'es2022',
  external: ['@iac-dharma/core', '@iac-dharma/models', 'zod'],
} as const;

export default defineConfig([
  { ...shared, format: ['esm', 'cjs'], platform: 'node', clean: true, shims: true },
  { ...shared, format: ['esm'], platform: 'browser', outDir: 'dist/browser' },
]);
