import { DharmaClientError } from './errors/client-error.js';

/** Retry settings of idempotent queries. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  retries?: number;
  /** Ceiling of the first delay, doubled after each retry (full jitter: the wait is random below it), in ms. @default 100 */
  delayMs?: number;
  /** Ceiling of any delay, in ms. @default 5000 */
  maxDelayMs?: number;
  /** Stops retrying when aborted; a pending delay ends at once (rejecting with the signal's reason). */
  signal?: AbortSignal;
  /** Waits `ms` (rejecting when `signal` aborts); inject a manual clock's `sleep` in tests. @default a timer */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Source of jitter in [0, 1). @default Math.random */
  random?: () => number;
}

/**
 * Runs `attempt`, retrying on errors whose `isRetryable` is true, with capped exponential backoff and full
 * jitter. The same rule as core's `retry` (the client does not depend on core, so it carries this copy).
 */
export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 2;
  const initialMs = options.delayMs ?? 100;
  const maxMs = options.maxDelayMs ?? 5000;
  const sleep = options.sleep ?? timerSleep;
  const random = options.random ?? Math.random;
  for (let tried = 0; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      const retryable = DharmaClientError.isInstance(error) && error.isRetryable;
      if (!retryable || tried >= retries || options.signal?.aborted) throw error;
      await sleep(Math.round(Math.min(maxMs, initialMs * 2 ** tried) * random()), options.signal);
    }
  }
}

function timerSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
