import { readFile, readdir } from 'node:fs/promises';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '@iac-dharma/core/kernel';
import type { ArtifactDigests } from '../../integrity/artifact-digests.js';
import { BUNDLED_DIGESTS } from '../../integrity/bundled-digests.js';
import type { ModelSource } from '../../loading/model-source.js';

/** Options of the Node bundled source. */
export interface BundledModelSourceOptions {
  /** Folder holding `<id>/model-card.json` and `<id>/model.onnx`. @default the `artifacts/` folder of @iac-dharma/models */
  directory?: string;
  /**
   * sha256 each file of a listed model must have, whatever its card says (a package bundling its own models
   * passes the digests it compiled with `scripts/models/compile-digests.mjs`).
   * @default the digests compiled into @iac-dharma/models when `directory` is its artifacts folder, else none
   */
  digests?: ArtifactDigests;
}

/** Reads model cards and files from a folder (by default the artifacts shipped in this package). */
export function createBundledModelSource(options: BundledModelSourceOptions = {}): ModelSource {
  const directory = options.directory ?? bundledArtifactsDirectory();
  const digests =
    options.digests ??
    (options.directory === undefined || isBundledDirectory(options.directory) ? BUNDLED_DIGESTS : undefined);
  const read = async (id: string, file: string) => {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(id) || file.includes('..'))
      throw new NotFoundError(`No model "${id}" (file "${file}").`);
    const path = join(directory, id, file);
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      throw new NotFoundError(
        `Model "${id}": cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}).`,
        { cause: error },
      );
    }
  };
  return {
    name: `bundled:${directory}`,
    ...(digests ? { digests } : {}),
    async readCard(id) {
      return JSON.parse(new TextDecoder().decode(await read(id, 'model-card.json'))) as unknown;
    },
    readFile: read,
    async list() {
      const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
      return entries
        .filter((entry) => entry.isDirectory() && existsSync(join(directory, entry.name, 'model-card.json')))
        .map((entry) => entry.name)
        .sort();
    },
  };
}

/** Whether `directory` is this package's own artifacts folder (then its compiled digests apply). */
function isBundledDirectory(directory: string): boolean {
  try {
    return realpathSync(resolve(directory)) === realpathSync(bundledArtifactsDirectory());
  } catch {
    return false;
  }
}

/** Absolute path of the `artifacts/` folder of the installed @iac-dharma/models package. */
export function bundledArtifactsDirectory(): string {
  // Walk up from this module (src/ or dist/) to the package root; works for the sources and the build.
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const manifest = join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@iac-dharma/models'
    ) {
      return join(folder, 'artifacts');
    }
    folder = dirname(folder);
  }
  throw new NotFoundError(
    'Cannot locate the @iac-dharma/models package folder; pass `directory` to createBundledModelSource().',
  );
}
