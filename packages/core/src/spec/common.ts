/** Options every adapter call accepts. */
export interface CallOptions {
  /** Aborts the call; adapters reject with the signal's reason. */
  signal?: AbortSignal;
}

/** Health of one component, as reported by `health()`. */
export interface ComponentHealth {
  status: 'ok' | 'degraded' | 'down';
  /** Human-readable detail, e.g. the last error or the consumer lag. */
  detail?: string;
  /** Extra figures (lag, queue depth...). */
  data?: Record<string, unknown>;
}

/** Structured logger the SDK writes to; inject your own (pino, winston, console...). */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that discards everything: the default. */
export const noopLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** Source of time. Inject a manual clock in tests (see `ManualClock` in `@iac-dharma/core/testing`). */
export interface Clock {
  /** Current time in epoch milliseconds. */
  now(): number;
  /** Resolves after `ms` milliseconds of this clock's time; rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The wall clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
