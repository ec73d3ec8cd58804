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
