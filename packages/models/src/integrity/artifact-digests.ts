import { ModelIntegrityError } from '@iac-dharma/core/kernel';

/**
 * Expected sha256 (lower-case hex) of the files of a set of models, by model id then file name, e.g.
 * `{ threat: { 'model-card.json': '…', 'model.onnx': '…' } }`. The bundled artifacts' digests are compiled
 * into the package (`scripts/models/compile-digests.mjs`); a package that bundles its own models compiles its
 * own and passes them to its source.
 */
export type ArtifactDigests = Readonly<Record<string, Readonly<Record<string, string>>>>;

/**
 * A model file's bytes differ from the digest compiled into the package (or pinned on its source): the
 * model was substituted or altered, whatever its card says. Code `MODEL_INTEGRITY_ERROR`.
 */
export class ModelDigestMismatchError extends ModelIntegrityError {
  /** Id of the model whose file failed. */
  readonly modelId: string;
  /** The file name, e.g. `model.onnx` or `model-card.json`. */
  readonly file: string;
  /** The digest the package was built with (`undefined`: the file is not one of the model's files). */
  readonly expected: string | undefined;
  /** The sha256 of the bytes read. */
  readonly actual: string;

  constructor(modelId: string, file: string, expected: string | undefined, actual: string, sourceName: string) {
    super(
      expected === undefined
        ? `Model "${modelId}" (${sourceName}): ${file} (sha256 ${actual}) is not one of the files this package was built with; the model was substituted. Reinstall the package.`
        : `Model "${modelId}" (${sourceName}) was substituted: ${file} has sha256 ${actual}, but this package was built with ${expected}. Reinstall the package (a card rewritten to match other bytes is refused too).`,
    );
    this.name = 'ModelDigestMismatchError';
    this.modelId = modelId;
    this.file = file;
    this.expected = expected;
    this.actual = actual;
  }
}

/**
 * Checks a file's sha256 against the digests pinned for model `modelId`; does nothing when the model has
 * none (a model the source does not pin, e.g. your own). Throws {@link ModelDigestMismatchError}.
 */
export function checkPinnedDigest(
  digests: ArtifactDigests | undefined,
  modelId: string,
  file: string,
  actual: string,
  sourceName: string,
): void {
  const pinned = digests?.[modelId];
  if (pinned === undefined) return;
  const expected = Object.hasOwn(pinned, file) ? pinned[file] : undefined;
  if (expected !== actual) throw new ModelDigestMismatchError(modelId, file, expected, actual, sourceName);
}
