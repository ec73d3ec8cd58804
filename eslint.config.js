// Lint gate (run by scripts/test.sh, zero warnings allowed). Syntax-only rules: no type-aware linting, so it
// stays fast; `npm run typecheck` covers types.
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  {
    group: ['node:*'],
    message:
      'Browser-safe code: put Node-only code in src/platform/node/ (exporting the same names as src/platform/browser/).',
  },
];
// Adapters (storage, transport, models, plugins) build on the contracts only: @iac-dharma/core/kernel.
const kernelOnly = ['@iac-dharma/core', '@iac-dharma/core/internal'].map((name) => ({
  name,
  message: 'Adapters import the contracts from @iac-dharma/core/kernel, so installing one never loads the analytics.',
}));
const adapterSources = ['storage-sqlite', 'storage-postgres', 'kafka', 'prometheus', 'kubernetes'].map(
  (name) => `packages/${name}/src/**/*.ts`,
);

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      'docs/api/**',
      '**/.services/**',
      '**/.turbo/**',
      'training/**',
      '**/*.js',
      '**/*.cjs',
      '**/*.mjs',
    ],
  },
  {
    files: ['**/*.ts', '**/*.mts', '**/*.tsx'],
    languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
    plugins: { '@typescript-eslint': tseslint.plugin, 'import-x': importX },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.js'],
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
          conditionNames: ['@iac-dharma/source', 'types', 'import', 'default'],
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Browser-safe packages: no node:* outside src/platform/node (tests run on Node and may use it).
    files: ['packages/core/src/**/*.ts', 'packages/client/src/**/*.ts'],
    ignores: ['**/platform/node/**', '**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: nodeBuiltins }] },
  },
  {
    files: adapterSources,
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: kernelOnly }] },
  },
  {
    // The model packages are both: browser-safe and adapters.
    files: ['packages/models/src/**/*.ts', 'packages/models-text/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: kernelOnly, patterns: nodeBuiltins }] },
  },
  {
    files: ['packages/models/src/platform/node/**/*.ts', 'packages/models-text/src/platform/node/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: kernelOnly }] },
  },
);
