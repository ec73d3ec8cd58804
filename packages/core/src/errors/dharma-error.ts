const MARKER = Symbol.for('@iac-dharma/error');
/** The SDK class of an error, on its prototype, so `instanceof` works across copies of the SDK. */
const KIND = Symbol.for('@iac-dharma/error-kind');

/** Marks `errorClass` as the SDK error class `kind` (called once per SDK error class, in a static block). */
export function brandErrorClass(errorClass: abstract new (...args: never[]) => DharmaError, kind: string): void {
  Object.defineProperty(errorClass.prototype, KIND, { value: kind });
}

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

  /**
   * `instanceof` on an SDK error class also accepts an error of the same class from another copy of the SDK
   * (two installs, or the separate CommonJS bundles of `@iac-dharma/core` and `@iac-dharma/core/kernel`).
   * Classes of your own that extend one keep the plain prototype check.
   */
  static override [Symbol.hasInstance](this: abstract new (...args: never[]) => unknown, value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const kind: unknown = Object.hasOwn(this.prototype as object, KIND)
      ? (this.prototype as Record<symbol, unknown>)[KIND]
      : undefined;
    if (kind === undefined || !DharmaError.isInstance(value)) return false;
    for (
      let prototype: unknown = Object.getPrototypeOf(value);
      prototype !== null;
      prototype = Object.getPrototypeOf(prototype)
    ) {
      if (Object.hasOwn(prototype as object, KIND) && (prototype as Record<symbol, unknown>)[KIND] === kind)
        return true;
    }
    return false;
  }

  static {
    brandErrorClass(this, 'DharmaError');
  }
}
