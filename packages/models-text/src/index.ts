// WordPiece tokenizer (BERT, uncased)
export { WordPieceTokenizer, type EncodedText, type WordPieceTokenizerOptions } from './wordpiece-tokenizer.js';

// Sentence encoder: all-MiniLM-L6-v2, int8-quantised ONNX, on @iac-dharma/models' runtime
export {
  DEFAULT_ENCODER_ID,
  SentenceEncoder,
  cosine,
  type EncoderCard,
  type LoadSentenceEncoderOptions,
} from './sentence-encoder.js';

// Where the bundled encoder comes from (this package's artifacts in Node, `models/` next to the page in browsers),
// and the sha256 of its files compiled into this package (a substituted file is refused even under a matching card)
export { defaultEncoderSource } from '#platform';
export { BUNDLED_DIGESTS as BUNDLED_TEXT_DIGESTS } from './bundled-digests.js';

// Incident classifier: user categories from a few examples, similar past incidents
export {
  IncidentClassifier,
  IncidentClassifierOptionsSchema,
  incidentText,
  type IncidentClassification,
  type IncidentClassifierOptions,
  type PastIncident,
  type SimilarIncident,
} from './incident-classifier.js';
