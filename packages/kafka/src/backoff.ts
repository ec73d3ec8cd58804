import { BackoffOptionsSchema, type BackoffOptionsInput } from './kafka-transport-options.js';

/** Settings of {@link backoffDelay} (`initialMs` 100, `maxMs` 5000, `multiplier` 2 by default). */
export type BackoffOptions = BackoffOptionsInput;

/**
 * Capped exponential backoff with full jitter: a random delay in `[0, min(maxMs, initialMs · multiplier^(attempt-1))]`
 * milliseconds. Jitter keeps many consumers that failed together from retrying in lock-step.
 * `attempt` counts from 1. `random` is injectable for tests. Runs only on retry paths.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const { initialMs, maxMs, multiplier } = BackoffOptionsSchema.parse(options);
  const ceiling = Math.min(maxMs, initialMs * multiplier ** Math.max(0, attempt - 1));
  return Math.round(ceiling * random());
}
