import { backoffDelay as coreBackoffDelay, type BackoffOptionsInput } from '@iac-dharma/core/kernel';

/** Settings of {@link backoffDelay} (`initialMs` 100, `maxMs` 5000, `multiplier` 2 by default). */
export type BackoffOptions = BackoffOptionsInput;

/**
 * Capped exponential backoff with full jitter: a random delay in `[0, min(maxMs, initialMs · multiplier^(attempt-1))]`
 * milliseconds — core's one backoff rule (`backoffDelay` of `@iac-dharma/core/kernel`), re-exported under the Kafka
 * package's name. `attempt` counts from 1. `random` is injectable for tests. Runs only on retry paths.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  return coreBackoffDelay(attempt, options, random);
}
