// Core and models must bundle for browsers: no `node:*` (or bare Node builtin) import may reach a browser build.
import { readFileSync, readdirSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_ROOT } from './support/build-example.js';

const PACKAGES = fileURLToPath(new URL('../../../packages/', import.meta.url));
const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter(
      (entry) =>
        entry.isFile() &&
        entry.name.endsWith('.ts') &&
        !entry.name.endsWith('.test.ts') &&
        !entry.name.includes('.test-helper.'),
    )
    .map((entry) => join(entry.parentPath, entry.name));
}

/** Import specifiers of a TypeScript file (static, dynamic and re-exports). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:^|\s)(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm),
  ].map((match) => match[1] ?? match[2]!);
}

/** A virtual entry (inside the example, so workspace packages resolve) re-exporting every browser entry point. */
const ENTRY = join(EXAMPLE_ROOT, '__browser-bundle-entry.js');
function virtualEntry(): Plugin {
  return {
    name: 'browser-bundle-entry',
    resolveId: (source) => (source === ENTRY ? ENTRY : null),
    load: (id) =>
      id === ENTRY
        ? "export * from '@iac-dharma/core';\nexport * from '@iac-dharma/models';\nexport * from '@iac-dharma/models/worker';\n"
        : null,
  };
}

/** Fails the build on any Node builtin import, naming the importer. */
function rejectNodeBuiltins(found: string[]): Plugin {
  return {
    name: 'reject-node-builtins',
    enforce: 'pre',
    resolveId(source, importer) {
      if (NODE_BUILTINS.has(source)) found.push(`${relative(PACKAGES, importer ?? '?')} imports ${source}`);
      return null;
    },
  };
}

describe('browser builds', () => {
  it('core imports no Node builtin outside src/platform/node/ (source scan)', () => {
    const core = join(PACKAGES, 'core/src');
    const offenders = sourceFiles(core)
      .filter((file) => !relative(core, file).startsWith(join('platform', 'node')))
      .flatMap((file) =>
        importsOf(file)
          .filter((source) => NODE_BUILTINS.has(source))
          .map((source) => `${relative(core, file)}: ${source}`),
      );
    expect(sourceFiles(core).length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });

  it('Vite bundles @iac-dharma/core and @iac-dharma/models (browser condition) without any Node builtin', async () => {
    const found: string[] = [];
    const output = await build({
      root: EXAMPLE_ROOT,
      configFile: false,
      logLevel: 'silent',
      resolve: {
        conditions: ['@iac-dharma/source', 'browser', 'onnxruntime-web-use-extern-wasm', 'module', 'import', 'default'],
      },
      plugins: [virtualEntry(), rejectNodeBuiltins(found)],
      build: {
        write: false,
        lib: { entry: ENTRY, formats: ['es'], fileName: 'bundle' },
        rollupOptions: { external: [/^onnxruntime-web/, /^@bsull\/augurs/] },
      },
    });
    const chunks = (Array.isArray(output) ? output : [output]).flatMap((result) =>
      'output' in result ? result.output : [],
    );
    const code = chunks.map((chunk) => ('code' in chunk ? chunk.code : '')).join('\n');
    expect(found).toEqual([]);
    // The bundle really holds both packages (and the browser binding, not the Node one).
    expect(code).toContain('AnomalyDetector');
    expect(code).toContain('onnxruntime-web');
    expect(code).not.toContain('onnxruntime-node');
  });
});
