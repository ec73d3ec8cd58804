import { createBundledModelSource, type ModelSource } from '@iac-dharma/models';

/**
 * The encoders fetched from `models/` next to the page (copy `node_modules/@iac-dharma/models-text/artifacts`
 * there, beside the models of @iac-dharma/models); pass `source` to `SentenceEncoder.load()` for another URL.
 */
export function defaultEncoderSource(): ModelSource {
  return createBundledModelSource();
}
