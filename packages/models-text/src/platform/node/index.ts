import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NotFoundError } from '@iac-dharma/core/kernel';
import { createBundledModelSource, type ModelSource } from '@iac-dharma/models';
import { BUNDLED_DIGESTS } from '../../bundled-digests.js';

/** The encoders shipped in this package: its `artifacts/` folder, pinned to the digests compiled into it. */
export function defaultEncoderSource(): ModelSource {
  return createBundledModelSource({ directory: encoderArtifactsDirectory(), digests: BUNDLED_DIGESTS });
}

/** Absolute path of the `artifacts/` folder of the installed @iac-dharma/models-text package. */
export function encoderArtifactsDirectory(): string {
  // Walk up from this module (src/ or dist/) to the package root; works for the sources and the build.
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const manifest = join(folder, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@iac-dharma/models-text'
    ) {
      return join(folder, 'artifacts');
    }
    folder = dirname(folder);
  }
  throw new NotFoundError(
    'Cannot locate the @iac-dharma/models-text package folder; pass `source` to SentenceEncoder.load().',
  );
}
