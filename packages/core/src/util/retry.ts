import { z } from 'zod';
import { systemClock, type Clock } from '../spec/common.js';

/** Capped exponential backoff with full jitter (see {@link backoffDelay}). */
export const BackoffOptionsSchema = z.object({
  /** Delay before the first retry, in ms. @default 100 */
  initialMs: z.number().nonnegative().default(100),
  /** Upper bound of any delay, in ms. @default 5000 */
  maxMs: z.number().nonnegative().default(5000),
  /** Growth per attempt. @default 2 */
  multiplier: z.number().min(1).default(2),
});
/** Settings of {@link backoffDelay} as accepted (every field optional). */
export type BackoffOptionsInput = z.input<typeof BackoffOptionsSchema>;
/** Settings of {@link backoffDelay} with the defaults applied. */
export type ResolvedBackoffOptions = z.output<typeof BackoffOptionsSchema>;

/**
 * Capped exponential backoff with full jitter: a random delay in `[0, min(maxMs, initialMs · multiplier^(attempt-1))]`
 * milliseconds. Jitter keeps many callers that failed together from retrying in lock-step.
 * `attempt` counts from 1. `random` is injectable for tests.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptionsInput = {},
  random: () => number = Math.random,
): number {
  const { initialMs, maxMs, multiplier } = BackoffOptionsSchema.parse(options);
  return jitteredDelay(attempt, { initialMs, maxMs, multiplier }, random);
}

function jitteredDelay(
  attempt: number,
  { initialMs, maxMs, multiplier }: ResolvedBackoffOptions,
  random: () => number,
): number {
  const ceiling = Math.min(maxMs, initialMs * multiplier ** Math.max(0, attempt - 1));
  return Math.round(ceiling * random());
}

/**
 * Milliseconds an HTTP `Retry-After` header asks to wait: delta-seconds (`"120"`) or an HTTP date, measured
 * from `now` (epoch ms). Undefined when the header is absent or unreadable; never negative.
 */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  if (header === null || header === undefined) return undefined;
  const text = header.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What {@link retry}'s `classify` says about a failed attempt. */
export interface RetryDecision {
  /** Whether another attempt may follow. */
  retry: boolean;
  /** A wait the other side asked for (e.g. from `Retry-After`), in ms; replaces the backoff delay when longer. */
  retryAfterMs?: number;
}

/** Options of {@link retry}. */
export interface RetryHelperOptions {
  /** Attempts after the first one. */
  retries: number;
  /** Backoff between attempts (full jitter). @default { initialMs: 100, maxMs: 5000, multiplier: 2 } */
  backoff?: BackoffOptionsInput;
  /** Whether (and after how long) a failure is retried. @default every error is retried */
  classify?: (error: unknown, attempt: number) => RetryDecision;
  /** Clock whose `sleep` waits between attempts. @default systemClock */
  clock?: Clock;
  /** Aborting ends a pending delay at once (rejecting with the signal's reason) and stops further attempts. */
  signal?: AbortSignal;
  /** Source of jitter in [0, 1). @default Math.random */
  random?: () => number;
  /** Upper bound of a delay asked for by `retryAfterMs`, in ms. @default 60000 */
  maxRetryAfterMs?: number;
}

/**
 * Runs `attempt` (given its 1-based number) until it resolves, the failure is not retryable, the retries are
 * used up (the last error is thrown) or `signal` aborts. Waits on the injected clock between attempts with
 * capped exponential backoff and full jitter, or longer when the failure carries a `retryAfterMs`.
 */
export async function retry<T>(
  attempt: (attemptNumber: number) => Promise<T>,
  options: RetryHelperOptions,
): Promise<T> {
  const backoff = BackoffOptionsSchema.parse(options.backoff ?? {});
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  for (let attemptNumber = 1; ; attemptNumber++) {
    options.signal?.throwIfAborted();
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      const decision = options.classify ? options.classify(error, attemptNumber) : { retry: true };
      if (!decision.retry || attemptNumber > options.retries || options.signal?.aborted) throw error;
      const delay = Math.max(
        jitteredDelay(attemptNumber, backoff, random),
        Math.min(decision.retryAfterMs ?? 0, maxRetryAfterMs),
      );
      await clock.sleep(delay, options.signal);
    }
  }
}
