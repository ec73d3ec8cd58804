import { describe, expect, it } from 'vitest';
import { ResourceCombiner } from './resource-combiner.js';
import { erfc, normalTail } from './tail-probability.js';

describe('ResourceCombiner', () => {
  it('combines metric scores as a noisy-OR, strongest contributor first', () => {
    const combiner = new ResourceCombiner(60_000);
    combiner.update('db', { metric: 'cpu', score: 0.5, value: 90, timestamp: 1000 });
    const result = combiner.update('db', { metric: 'latency', score: 0.6, value: 300, timestamp: 1000 });
    expect(result.score).toBeCloseTo(1 - 0.5 * 0.4, 12);
    expect(result.contributors.map((entry) => entry.metric)).toEqual(['latency', 'cpu']);
  });

  it('ignores scores below the floor and forgets stale metrics', () => {
    const combiner = new ResourceCombiner(60_000, 0.1);
    combiner.update('db', { metric: 'cpu', score: 0.9, value: 1, timestamp: 0 });
    combiner.update('db', { metric: 'memory', score: 0.05, value: 1, timestamp: 100_000 });
    const result = combiner.update('db', { metric: 'disk', score: 0.2, value: 1, timestamp: 100_000 });
    expect(result.score).toBeCloseTo(0.2, 12);
    expect(result.contributors.map((entry) => entry.metric)).toEqual(['disk']);
    expect(combiner.update('web', { metric: 'cpu', score: 0, value: 1, timestamp: 0 }).score).toBe(0);
    expect(combiner.size).toBe(2);
  });
});

describe('normal tail', () => {
  it('matches known values of erfc and the normal tail', () => {
    expect(erfc(0)).toBeCloseTo(1, 6);
    expect(erfc(1)).toBeCloseTo(0.157299207, 7);
    expect(erfc(-1)).toBeCloseTo(1.842700793, 7);
    expect(normalTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(normalTail(6) / 9.8659e-10).toBeCloseTo(1, 3);
  });
});
