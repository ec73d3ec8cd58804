import { DharmaError, brandErrorClass, type DharmaErrorOptions } from './dharma-error.js';

/** A model's bytes do not match the sha256 in its model card, or the card itself is unusable. */
export class ModelIntegrityError extends DharmaError {
  constructor(message: string, options?: DharmaErrorOptions) {
    super('MODEL_INTEGRITY_ERROR', message, options);
    this.name = 'ModelIntegrityError';
  }

  static {
    brandErrorClass(this, 'ModelIntegrityError');
  }
}

/** A transport (in-process, Kafka, ...) could not publish or consume. Often retryable. */
export class TransportError extends DharmaError {
  constructor(message: string, options?: DharmaErrorOptions) {
    super('TRANSPORT_ERROR', message, options);
    this.name = 'TransportError';
  }

  static {
    brandErrorClass(this, 'TransportError');
  }
}

/** A storage adapter failed to read or write. */
export class StorageError extends DharmaError {
  constructor(message: string, options?: DharmaErrorOptions) {
    super('STORAGE_ERROR', message, options);
    this.name = 'StorageError';
  }

  static {
    brandErrorClass(this, 'StorageError');
  }
}

/** A remediation could not be planned, executed, verified or rolled back. */
export class RemediationError extends DharmaError {
  constructor(message: string, options?: DharmaErrorOptions) {
    super('REMEDIATION_ERROR', message, options);
    this.name = 'RemediationError';
  }

  static {
    brandErrorClass(this, 'RemediationError');
  }
}

/** An operation did not finish within its time budget. */
export class TimeoutError extends DharmaError {
  constructor(message: string, options?: DharmaErrorOptions) {
    super('TIMEOUT_ERROR', message, { isRetryable: true, ...options });
    this.name = 'TimeoutError';
  }

  static {
    brandErrorClass(this, 'TimeoutError');
  }
}

/** An object was used after `close()`, or configured inconsistently. */
export class StateError extends DharmaError {
  constructor(message: string, options?: DharmaErrorOptions) {
    super('STATE_ERROR', message, options);
    this.name = 'StateError';
  }

  static {
    brandErrorClass(this, 'StateError');
  }
}

/** A requested entity (resource, model, series) does not exist. */
export class NotFoundError extends DharmaError {
  constructor(message: string, options?: DharmaErrorOptions) {
    super('NOT_FOUND', message, options);
    this.name = 'NotFoundError';
  }

  static {
    brandErrorClass(this, 'NotFoundError');
  }
}

/** The input is valid in shape but cannot be analysed (too short, constant, ...). */
export class InsufficientDataError extends DharmaError {
  constructor(message: string, options?: DharmaErrorOptions) {
    super('INSUFFICIENT_DATA', message, options);
    this.name = 'InsufficientDataError';
  }

  static {
    brandErrorClass(this, 'InsufficientDataError');
  }
}
