import { DharmaError } from '../errors/dharma-error.js';
import { RemediationError, TimeoutError } from '../errors/errors.js';
import type { Clock } from '../spec/common.js';

/** Result of {@link runIsolated}: the value, or the error that replaced it. */
export type IsolatedResult<T> = { ok: true; value: T } | { ok: false; error: DharmaError };

/**
 * Runs plugin code so that nothing it does can hurt the caller: a synchronous throw, a rejection, a hang
 * past `timeoutMs` (measured on `clock`) or an abort all become `{ ok: false, error }`. The task gets a
 * signal that aborts on timeout so well-behaved plugins stop; a plugin that ignores it is abandoned.
 */
export async function runIsolated<T>(
  task: (signal: AbortSignal) => Promise<T> | T,
  options: { label: string; timeoutMs: number; clock: Clock; signal?: AbortSignal },
): Promise<IsolatedResult<T>> {
  const controller = new AbortController();
  const stopTimer = new AbortController();
  const parent = options.signal;
  let onParentAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onParentAbort = () => {
      const error = new RemediationError(`${options.label} was aborted`, { cause: parent?.reason });
      controller.abort(error);
      reject(error);
    };
    if (parent?.aborted) onParentAbort();
    else parent?.addEventListener('abort', onParentAbort, { once: true });
  });
  const timeout = options.clock.sleep(options.timeoutMs, stopTimer.signal).then(() => {
    const error = new TimeoutError(`${options.label} did not finish within ${options.timeoutMs} ms`);
    controller.abort(error);
    throw error;
  });
  const work = Promise.resolve().then(() => task(controller.signal));
  // Whichever loses the race must not surface later as an unhandled rejection.
  for (const promise of [aborted, timeout, work]) promise.catch(() => undefined);
  try {
    return { ok: true, value: await Promise.race([work, timeout, aborted]) };
  } catch (error) {
    return { ok: false, error: toDharmaError(error, options.label) };
  } finally {
    stopTimer.abort();
    if (onParentAbort) parent?.removeEventListener('abort', onParentAbort);
  }
}

/** Wraps anything thrown by plugin code in a {@link RemediationError} (DharmaErrors pass through). */
export function toDharmaError(error: unknown, label: string): DharmaError {
  if (DharmaError.isInstance(error)) return error;
  const message =
    error instanceof Error
      ? error.message
      : typeof error === 'string'
        ? error
        : (JSON.stringify(error) ?? String(error));
  return new RemediationError(`${label} failed: ${message}`, { cause: error });
}
