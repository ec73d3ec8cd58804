import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.js';

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, scaled by the jitter draw', () => {
    const top = () => 1;
    expect([1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, { initialMs: 100, maxMs: 500 }, top))).toEqual([
      100, 200, 400, 500, 500,
    ]);
    expect(backoffDelay(3, { initialMs: 100, maxMs: 500 }, () => 0.5)).toBe(200);
    expect(backoffDelay(3, { initialMs: 100, maxMs: 500 }, () => 0)).toBe(0);
  });

  it('stays within [0, cap] for random draws', () => {
    for (let attempt = 1; attempt < 30; attempt++) {
      const delay = backoffDelay(attempt, { initialMs: 50, maxMs: 2000 });
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(2000);
    }
  });
});
