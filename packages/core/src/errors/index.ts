export { DharmaError, type DharmaErrorOptions } from './dharma-error.js';
export { ValidationError, parseWith, type ValidationIssue } from './validation-error.js';
export {
  InsufficientDataError,
  ModelIntegrityError,
  NotFoundError,
  RemediationError,
  StateError,
  StorageError,
  TimeoutError,
  TransportError,
} from './errors.js';
