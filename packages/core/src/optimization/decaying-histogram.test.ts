import { describe, expect, it } from 'vitest';
import { DecayingHistogram } from './decaying-histogram.js';

const HOUR = 3_600_000;

describe('DecayingHistogram', () => {
  it('puts values in exponentially growing buckets', () => {
    const histogram = new DecayingHistogram({ firstBucketSize: 0.01, ratio: 1.05, maxValue: 1000 });
    for (const value of [0.005, 0.5, 3, 70]) {
      const index = histogram.bucketIndex(value);
      expect(histogram.bucketStart(index)).toBeLessThanOrEqual(value);
      expect(histogram.bucketStart(index + 1)).toBeGreaterThan(value);
    }
    expect(histogram.bucketStart(11) - histogram.bucketStart(10)).toBeCloseTo(0.01 * 1.05 ** 10, 10);
    expect(histogram.bucketIndex(1e9)).toBe(histogram.bucketIndex(2e9)); // clamped to the last bucket
  });

  it('gives percentiles of a uniform sample within the bucket error', () => {
    const histogram = new DecayingHistogram({ firstBucketSize: 0.01, maxValue: 1000 });
    for (let index = 1; index <= 1000; index++) histogram.add(index / 100, 0);
    expect(histogram.percentile(0.5)).toBeCloseTo(5, 0);
    expect(Math.abs(histogram.percentile(0.9) - 9) / 9).toBeLessThan(0.03);
    expect(histogram.exceedanceProbability(9)).toBeCloseTo(0.1, 1);
    expect(histogram.exceedanceProbability(20)).toBe(0);
  });

  it('halves a sample’s weight every half-life', () => {
    const histogram = new DecayingHistogram({ firstBucketSize: 1, maxValue: 1000, halfLifeMs: HOUR });
    histogram.add(10, 0);
    histogram.add(100, 2 * HOUR); // counts 4× as much as the first
    expect(histogram.exceedanceProbability(50)).toBeCloseTo(0.8, 5);
    expect(histogram.percentile(0.15)).toBeLessThan(12);
    expect(histogram.percentile(0.25)).toBeGreaterThan(90);
  });

  it('stays finite over years of samples and forgets the old ones', () => {
    const histogram = new DecayingHistogram({ firstBucketSize: 1, maxValue: 1000, halfLifeMs: HOUR });
    for (let hour = 0; hour < 24 * 400; hour++) histogram.add(hour < 24 * 200 ? 500 : 5, hour * HOUR);
    expect(Number.isFinite(histogram.totalWeight())).toBe(true);
    expect(histogram.percentile(0.99)).toBeLessThan(10);
  });

  it('subtracts what it added and round-trips through JSON', () => {
    const histogram = new DecayingHistogram({ firstBucketSize: 1, maxValue: 1000 });
    histogram.add(10, 1000);
    histogram.add(20, 2000);
    histogram.subtract(20, 2000);
    expect(histogram.percentile(1)).toBeLessThan(12);
    const copy = new DecayingHistogram({ firstBucketSize: 1, maxValue: 1000 });
    expect(copy.load(JSON.parse(JSON.stringify(histogram.toJSON())))).toBe(true);
    expect(copy.percentile(0.5)).toBe(histogram.percentile(0.5));
    expect(copy.load({ referenceTimestamp: 0, weights: { '-3': 1 } })).toBe(false);
    expect(copy.load('nonsense')).toBe(false);
    expect(copy.percentile(0.5)).toBe(histogram.percentile(0.5)); // unchanged by failed loads
  });

  it('is empty until something is added', () => {
    const histogram = new DecayingHistogram({ firstBucketSize: 1, maxValue: 10 });
    expect(histogram.isEmpty).toBe(true);
    expect(histogram.percentile(0.9)).toBe(0);
    expect(histogram.exceedanceProbability(1)).toBe(0);
  });
});
