import { DharmaClientError } from './errors/client-error.js';

/** Retry settings of idempotent queries. */
export interface RetryOptions {
  /** Retries after the first attempt. @default 2 */
  retries?: number;
  /** First delay, doubled after each retry, in ms. @default 100 */
  delayMs?: number;
  /** Stops retrying when aborted. */
  signal?: AbortSignal;
}

/** Runs `attempt`, retrying on errors whose `isRetryable` is true, with exponential back-off. */
export async function withRetry<T>(attempt: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const retries = options.retries ?? 2;
  let delay = options.delayMs ?? 100;
  for (let tried = 0; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      const retryable = DharmaClientError.isInstance(error) && error.isRetryable;
      if (!retryable || tried >= retries || options.signal?.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}
