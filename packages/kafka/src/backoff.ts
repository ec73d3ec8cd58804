/** Settings of {@link backoffDelay}. */
export interface BackoffOptions {
  /** Delay before the first retry, in milliseconds. @default 100 */
  initialMs?: number;
  /** Upper bound of any delay, in milliseconds. @default 5000 */
  maxMs?: number;
  /** Growth per attempt. @default 2 */
  multiplier?: number;
}

/**
 * Capped exponential backoff with full jitter: a random delay in `[0, min(maxMs, initialMs · multiplier^(attempt-1))]`
 * milliseconds. Jitter keeps many consumers that failed together from retrying in lock-step.
 * `attempt` counts from 1. `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const initial = options.initialMs ?? 100;
  const max = options.maxMs ?? 5000;
  const multiplier = options.multiplier ?? 2;
  const ceiling = Math.min(max, initial * multiplier ** Math.max(0, attempt - 1));
  return Math.round(ceiling * random());
}
