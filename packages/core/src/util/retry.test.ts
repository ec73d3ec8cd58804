import { describe, expect, it } from 'vitest';
import { ManualClock } from '../testing/manual-clock.js';
import { backoffDelay, parseRetryAfter, retry } from './retry.js';

describe('backoffDelay', () => {
  it('draws below the capped exponential ceiling', () => {
    expect(backoffDelay(1, { initialMs: 100, maxMs: 1000 }, () => 0.999)).toBe(100);
    expect(backoffDelay(3, { initialMs: 100, maxMs: 1000 }, () => 0.5)).toBe(200);
    expect(backoffDelay(10, { initialMs: 100, maxMs: 1000 }, () => 0.5)).toBe(500);
    expect(backoffDelay(4, {}, () => 0)).toBe(0);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 0, 1);
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(new Date(now + 7000).toUTCString(), now)).toBe(7000);
    expect(parseRetryAfter(new Date(now - 7000).toUTCString(), now)).toBe(0);
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('retry', () => {
  it('waits on the injected clock and returns the first success', async () => {
    const clock = new ManualClock();
    let attempts = 0;
    const running = retry(async () => (++attempts < 3 ? Promise.reject(new Error('flaky')) : 'done'), {
      retries: 5,
      clock,
      backoff: { initialMs: 100 },
      random: () => 1,
    });
    for (let step = 0; step < 10 && clock.pending === 0; step++) await Promise.resolve();
    await clock.advance(100);
    await clock.advance(200);
    await expect(running).resolves.toBe('done');
    expect(attempts).toBe(3);
  });

  it('ends a pending delay at once when aborted', async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    let attempts = 0;
    const running = retry(
      async () => {
        attempts++;
        throw new Error('down');
      },
      { retries: 3, clock, signal: controller.signal, random: () => 1 },
    );
    for (let step = 0; step < 10 && clock.pending === 0; step++) await Promise.resolve();
    expect(clock.pending).toBe(1);
    controller.abort(new Error('stop'));
    await expect(running).rejects.toThrow('stop');
    expect(attempts).toBe(1);
    expect(clock.pending).toBe(0);
  });

  it('honours a longer retry-after, capped, and stops on a non-retryable failure', async () => {
    const delays: number[] = [];
    const clock = { now: () => 0, sleep: async (ms: number) => void delays.push(ms) };
    let attempts = 0;
    await expect(
      retry(
        async () => {
          attempts++;
          throw new Error(attempts === 3 ? 'fatal' : 'busy');
        },
        {
          retries: 5,
          clock,
          random: () => 0.5,
          backoff: { initialMs: 100 },
          maxRetryAfterMs: 4000,
          classify: (error, attempt) =>
            (error as Error).message === 'fatal'
              ? { retry: false }
              : { retry: true, retryAfterMs: attempt === 1 ? 2000 : 9000 },
        },
      ),
    ).rejects.toThrow('fatal');
    expect(delays).toEqual([2000, 4000]);
    expect(attempts).toBe(3);
  });

  it('throws the last error once the retries are used up', async () => {
    let attempts = 0;
    await expect(
      retry(async () => Promise.reject(new Error(`failure ${++attempts}`)), {
        retries: 2,
        clock: { now: () => 0, sleep: async () => {} },
      }),
    ).rejects.toThrow('failure 3');
  });
});
