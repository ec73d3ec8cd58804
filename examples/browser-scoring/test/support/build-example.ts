import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** The example's folder. */
export const EXAMPLE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The model artifacts the page serves: `DHARMA_ARTIFACTS_DIR`, else the models package's `artifacts/`. */
export const ARTIFACTS_DIRECTORY =
  process.env['DHARMA_ARTIFACTS_DIR'] ??
  fileURLToPath(new URL('../../../../packages/models/artifacts/', import.meta.url));

/**
 * Builds the example with its own vite.config.ts into a fresh temp folder, adding the test harness page
 * (test/harness.html) next to index.html. Returns the output folder.
 */
export async function buildExample(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'dharma-browser-scoring-'));
  await build({
    root: EXAMPLE_ROOT,
    configFile: join(EXAMPLE_ROOT, 'vite.config.ts'),
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      rollupOptions: {
        input: { index: join(EXAMPLE_ROOT, 'index.html'), harness: join(EXAMPLE_ROOT, 'test/harness.html') },
      },
    },
  });
  return outDir;
}
