import { defineConfig } from 'vitest/config';

// One test run for the whole monorepo. The `@iac-dharma/source` export condition makes every
// workspace package resolve to its TypeScript sources, so tests never need a build first.
export default defineConfig({
  resolve: { conditions: ['@iac-dharma/source', 'node', 'import', 'default'] },
  // Only extra conditions here: Node adds import/require itself (listing them breaks CJS packages such as pg).
  ssr: { resolve: { conditions: ['@iac-dharma/source', 'node'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'bench/test/**/*.test.ts',
      'scripts/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
