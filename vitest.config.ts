import { defineConfig } from 'vitest/config';

// One test run for the whole monorepo. The `@iac-dharma/source` export condition makes every
// workspace package resolve to its TypeScript sources, so tests never need a build first.
export default defineConfig({
  resolve: { conditions: ['@iac-dharma/source', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@iac-dharma/source', 'node', 'import', 'default'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/*/test/**/*.test.ts', 'bench/test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
