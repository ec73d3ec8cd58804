export { createScoringWorker, type ScoringWorker, type ScoringWorkerOptions } from './create-scoring-worker.js';
export { serveScoringWorker, type ServeScoringWorkerOptions, type WorkerScopeLike } from './serve-scoring-worker.js';
export type { WorkerLike } from './worker-channel.js';
export {
  ScoringWorkerRequestSchema,
  WorkerTensorSchema,
  type ScoringWorkerRequest,
  type ScoringWorkerResponse,
  type SerializedWorkerError,
  type WorkerLoadResult,
  type WorkerSessionInfo,
} from './scoring-worker-protocol.js';
export { deserializeWorkerError, serializeWorkerError } from './serialize-worker-error.js';
