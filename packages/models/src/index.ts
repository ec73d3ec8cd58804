// Model cards
export {
  CategoricalFeatureSchema,
  FeatureSpecSchema,
  MissingRuleSchema,
  ModelCardSchema,
  NormalizationSchema,
  NumericFeatureSchema,
  TensorSpecSchema,
  WindowSpecSchema,
  WindowStatisticSchema,
  type CategoricalFeatureSpec,
  type FeatureSpec,
  type MissingRule,
  type ModelCard,
  type ModelCardInput,
  type Normalization,
  type NumericFeatureSpec,
  type TensorSpec,
  type WindowSpec,
  type WindowStatistic,
} from './card/model-card-schema.js';
export { parseModelCard } from './card/parse-model-card.js';
export { ParityFileSchema, ParityRowSchema, type ParityFile, type ParityRow } from './card/parity-file-schema.js';
export { sha256Hex, verifyModelBytes } from './integrity/sha256-hex.js';
export { ModelDigestMismatchError, checkPinnedDigest, type ArtifactDigests } from './integrity/artifact-digests.js';
export { BUNDLED_DIGESTS } from './integrity/bundled-digests.js';
export {
  ModelSignatureError,
  cardSigningPayload,
  importModelPublicKey,
  signModelCard,
  verifyModelCardSignature,
  type CardSignature,
  type CardSignatureProblem,
  type ModelPrivateKey,
  type ModelPublicKey,
} from './integrity/card-signature.js';

// Loading and running
export { Model, toMatrix, type OutputMatrix } from './loading/model.js';
export { MODEL_CARD_FILE, type ModelSource } from './loading/model-source.js';
export {
  defaultModelRuntime,
  loadModel,
  type LoadModelByIdOptions,
  type LoadModelFromBytesOptions,
  type LoadModelOptions,
} from './loading/load-model.js';
export {
  createOrtModelRuntime,
  prepareModelRuntime,
  type OrtModuleLike,
  type PreparableModelRuntime,
  type OrtRuntimeOptions,
  type OrtSessionLike,
  type OrtTensorLike,
} from './runtime/ort-model-runtime.js';

// Platform bindings (node: onnxruntime-node + artifacts folder; browser: onnxruntime-web + base URL)
export {
  createBundledModelSource,
  createOnnxRuntime,
  type BundledModelSourceOptions,
  type OnnxRuntimeOptions,
} from '#platform';

// Feature extractors
export { baselineOf, normalize } from './features/normalize.js';
export { parseNumber } from './features/parse-number.js';
export { TabularExtractor, createExtractionNotes, type ExtractionNotes } from './features/tabular-extractor.js';
export { WindowExtractor } from './features/window-extractor.js';
export { windowStatistic } from './features/window-statistics.js';
export {
  NSL_KDD_FEATURES,
  NSL_KDD_TRAFFIC_FEATURES,
  RERROR_FLAGS,
  SERROR_FLAGS,
  type NslKddTrafficFeature,
  type NslKddTrafficFeatures,
} from './features/nsl-kdd-fields.js';
export {
  ConnectionSchema,
  NslKddTrafficWindow,
  type Connection,
  type NslKddTrafficWindowOptions,
} from './features/nsl-kdd-traffic-window.js';

// Analyzers
export {
  FailurePredictor,
  type FailureHistory,
  type FailurePrediction,
  type FailurePredictorOptions,
} from './analyzers/failure-predictor.js';
export { ThreatDetector, type ThreatDetectorOptions, type ThreatVerdict } from './analyzers/threat-detector.js';
export { ChurnPredictor, type ChurnPrediction, type ChurnPredictorOptions } from './analyzers/churn-predictor.js';
export { lazyModel, type ModelOptions, type ModelReference } from './analyzers/model-reference.js';
export type { Factor } from './analyzers/window-occlusion.js';
