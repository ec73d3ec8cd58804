const MARKER = Symbol.for('@iac-dharma/client-error');

/** Options of every {@link DharmaClientError}. */
export interface ClientErrorOptions {
  cause?: unknown;
  /** Whether the same call may succeed if retried. @default false */
  isRetryable?: boolean;
}

/**
 * Base class of the errors the client throws, each with a stable `code`. Use {@link DharmaClientError.isInstance}
 * rather than `instanceof`: it works across duplicate installs.
 */
export class DharmaClientError extends Error {
  readonly [MARKER] = true;
  /** Stable, machine-readable code, e.g. `NETWORK_ERROR`, `UNAUTHENTICATED`, `VALIDATION_ERROR`. */
  readonly code: string;
  /** Whether retrying the same call may succeed. */
  readonly isRetryable: boolean;

  constructor(code: string, message: string, options: ClientErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DharmaClientError';
    this.code = code;
    this.isRetryable = options.isRetryable ?? false;
  }

  /** True when `error` is a client error from any copy of this package. */
  static isInstance(error: unknown): error is DharmaClientError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
