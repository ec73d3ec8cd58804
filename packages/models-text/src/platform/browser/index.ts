import { createBundledModelSource, type ModelSource } from '@iac-dharma/models';
import { BUNDLED_DIGESTS } from '../../bundled-digests.js';

/**
 * The encoders fetched from `models/` next to the page (copy `node_modules/@iac-dharma/models-text/artifacts`
 * there, beside the models of @iac-dharma/models), pinned to the digests compiled into this package; pass
 * `source` to `SentenceEncoder.load()` for another URL (with `digests: BUNDLED_TEXT_DIGESTS` to keep the pin).
 */
export function defaultEncoderSource(): ModelSource {
  return createBundledModelSource({ digests: BUNDLED_DIGESTS });
}
