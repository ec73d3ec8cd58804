const MARKER = Symbol.for('@iac-dharma/error');

/** Options accepted by every {@link DharmaError}. */
export interface DharmaErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown;
  /** Whether retrying the same call may succeed. @default false */
  isRetryable?: boolean;
}

/**
 * Base class of every error the SDK throws. Each subclass has a stable `code` you can switch on.
 * Use {@link DharmaError.isInstance} rather than `instanceof`: it works across duplicate installs.
 */
export class DharmaError extends Error {
  readonly [MARKER] = true;
  /** Stable, machine-readable error code, e.g. `VALIDATION_ERROR`. */
  readonly code: string;
  /** Whether retrying the same call may succeed. */
  readonly isRetryable: boolean;

  constructor(code: string, message: string, options: DharmaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DharmaError';
    this.code = code;
    this.isRetryable = options.isRetryable ?? false;
  }

  /** True when `error` is a DharmaError from any copy of this package. */
  static isInstance(error: unknown): error is DharmaError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
