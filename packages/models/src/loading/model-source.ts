import type { CallOptions } from '@iac-dharma/core/kernel';
import type { ArtifactDigests } from '../integrity/artifact-digests.js';

/** File name of a model's card in its folder. */
export const MODEL_CARD_FILE = 'model-card.json';

/**
 * Where model cards and model files come from. The bundled source reads the package's `artifacts/`
 * folder (Node) or fetches them from a base URL (browser); implement it to serve models from elsewhere.
 */
export interface ModelSource {
  /** For messages, e.g. `bundled:/path/to/artifacts`. */
  readonly name: string;
  /**
   * sha256 every file of a listed model must have, whatever its card says (the bundled sources pin the
   * digests compiled into the package). Models not listed are checked against their card only.
   */
  readonly digests?: ArtifactDigests;
  /** The model card JSON of model `id` (parsed, not yet validated). */
  readCard(id: string, options?: CallOptions): Promise<unknown>;
  /** A file next to the card, e.g. `model.onnx` or `parity.json`. */
  readFile(id: string, file: string, options?: CallOptions): Promise<Uint8Array>;
  /** Ids of the models this source holds, when it can list them. */
  list?(options?: CallOptions): Promise<string[]>;
}
