import { defineConfig } from 'tsup';

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'kernel/index': 'src/kernel/index.ts',
    'testing/index': 'src/testing/index.ts',
    'platform/node/index': 'src/platform/node/index.ts',
    'simulator/index': 'src/simulator/index.ts',
    'internal/index': 'src/internal/index.ts',
    'platform/browser/index': 'src/platform/browser/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  external: ['vitest'],
  // The CommonJS build gets import.meta.url from __filename (loadAugurs() resolves the .wasm files with it).
  shims: true,
});
