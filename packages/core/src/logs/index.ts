export { LOGHUB_LOG_FORMATS, LogFormat, loghubSystem, type LoghubSystem, type ParsedLogLine } from './log-format.js';
export { WILDCARD, maskWord, splitWords } from './log-tokens.js';
export {
  LogTemplateMiner,
  LogTemplateMinerOptionsSchema,
  type LogTemplate,
  type LogTemplateMatch,
  type LogTemplateMinerOptions,
  type LogTemplateMinerSnapshot,
} from './log-template-miner.js';
export {
  LOG_FINDING_TOPIC,
  LogAnomalyDetector,
  type LogAnomalyDetectorDependencies,
  type LogFindingType,
} from './log-anomaly-detector.js';
export type { LogFindingClassifier } from '../spec/log-finding-classifier.js';
export {
  LogAnomalyDetectorOptionsSchema,
  type LogAnomalyDetectorOptions,
  type LogAnomalyDetectorOptionsInput,
} from './log-anomaly-detector-options.js';
