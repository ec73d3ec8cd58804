import {
  DharmaError,
  InsufficientDataError,
  ModelIntegrityError,
  NotFoundError,
  StateError,
  TimeoutError,
  ValidationError,
} from '@iac-dharma/core/kernel';
import type { SerializedWorkerError } from './scoring-worker-protocol.js';

/** Flattens any thrown value so it can cross `postMessage` (keeps name, code, message and validation issues). */
export function serializeWorkerError(error: unknown): SerializedWorkerError {
  if (DharmaError.isInstance(error)) {
    const issues = (error as Partial<ValidationError>).issues;
    return { name: error.name, code: error.code, message: error.message, ...(issues ? { issues } : {}) };
  }
  if (error instanceof Error) return { name: error.name, code: 'WORKER_ERROR', message: error.message };
  return { name: 'Error', code: 'WORKER_ERROR', message: String(error) };
}

/** Rebuilds the SDK's typed error on the page side (same class and `code` as in the worker). */
export function deserializeWorkerError(error: SerializedWorkerError): DharmaError {
  const message = error.message;
  switch (error.code) {
    case 'VALIDATION_ERROR':
      return new ValidationError(message, error.issues ?? []);
    case 'MODEL_INTEGRITY_ERROR':
      return new ModelIntegrityError(message);
    case 'NOT_FOUND':
      return new NotFoundError(message);
    case 'STATE_ERROR':
      return new StateError(message);
    case 'TIMEOUT_ERROR':
      return new TimeoutError(message);
    case 'INSUFFICIENT_DATA':
      return new InsufficientDataError(message);
    default: {
      const rebuilt = new DharmaError(error.code, message);
      rebuilt.name = error.name === 'Error' ? 'DharmaError' : error.name;
      return rebuilt;
    }
  }
}
