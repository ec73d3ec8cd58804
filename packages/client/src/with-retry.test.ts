import { describe, expect, it } from 'vitest';
import { NetworkError } from './errors/client-errors.js';
import { withRetry } from './with-retry.js';

describe('withRetry', () => {
  it('ends a pending delay at once when the signal aborts, without another attempt', async () => {
    const controller = new AbortController();
    let attempts = 0;
    const running = withRetry(
      async () => {
        attempts++;
        // Abort on the next macrotask: by then the failure has been caught and the (long) delay has begun.
        setTimeout(() => controller.abort(new Error('caller gave up')), 0);
        throw new NetworkError('fetch failed');
      },
      // A delay far longer than the test's timeout: only an abortable delay lets this finish.
      { retries: 3, delayMs: 600_000, random: () => 1, signal: controller.signal },
    );
    await expect(running).rejects.toThrow('caller gave up');
    expect(attempts).toBe(1);
  });

  it('waits a random delay below the doubled, capped ceiling (full jitter)', async () => {
    const delays: number[] = [];
    let attempts = 0;
    const result = await withRetry(
      async () => {
        if (++attempts < 4) throw new NetworkError('fetch failed');
        return 'ok';
      },
      { retries: 3, delayMs: 100, maxDelayMs: 300, random: () => 0.5, sleep: async (ms) => void delays.push(ms) },
    );
    expect(result).toBe('ok');
    expect(delays).toEqual([50, 100, 150]);
  });
});
