import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InsufficientDataError } from '../errors/errors.js';
import { ValidationError } from '../errors/validation-error.js';
import { forecastSeries } from './forecast-series.js';

/** Deterministic noise in [-1, 1] (a small LCG), so tests do not depend on Math.random. */
function noise(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32) * 2 - 1;
  };
}

describe('forecastSeries: exhaustion', () => {
  const random = noise(7);
  // y = 100 + 2t + noise, observed for t = 0..119: crosses 400 at t = 150, i.e. 31 steps after the last point.
  const linear = Array.from({ length: 120 }, (_, t) => 100 + 2 * t + 3 * random());

  it('finds the crossing time of a linearly growing series', () => {
    const result = forecastSeries(linear, { horizon: 48, threshold: 400 });
    expect(result.exhaustion?.step).toBeGreaterThan(28);
    expect(result.exhaustion?.step).toBeLessThan(34);
    // The pessimistic (upper) bound crosses first.
    expect(result.exhaustion!.boundStep!).toBeLessThan(result.exhaustion!.step!);
  });

  it('reports no exhaustion when the forecast stays below the threshold', () => {
    const result = forecastSeries(linear, { horizon: 48, threshold: 10_000 });
    expect(result.exhaustion).toMatchObject({ step: undefined, boundStep: undefined });
  });

  it('reports the upper bound crossing when the point forecast does not cross', () => {
    const walk = noise(3);
    const values = Array.from({ length: 200 }, (_, t) => 500 + 40 * Math.sin(t / 9) + 25 * walk());
    const probe = forecastSeries(values, { horizon: 24 });
    const threshold = (Math.max(...probe.point) + Math.max(...probe.upper)) / 2;
    const result = forecastSeries(values, { horizon: 24, threshold });
    expect(result.exhaustion?.step).toBeUndefined();
    expect(result.exhaustion?.boundStep).toBeGreaterThan(0);
  });

  it('supports falling series (free space) with direction below', () => {
    const free = linear.map((value) => 1000 - value);
    const result = forecastSeries(free, { horizon: 48, threshold: 600, direction: 'below' });
    expect(result.exhaustion?.step).toBeGreaterThan(28);
    expect(result.exhaustion?.step).toBeLessThan(34);
  });
});

describe('forecastSeries: intervals and model selection', () => {
  const random = noise(11);
  const seasonal = Array.from(
    { length: 24 * 21 },
    (_, t) => 200 + 80 * Math.sin((2 * Math.PI * t) / 24) + 30 * Math.cos((2 * Math.PI * t) / 8) + 5 * random(),
  );

  it('intervals contain the point forecast and widen with the horizon (at the same phase of the season)', () => {
    const result = forecastSeries(seasonal, { horizon: 48, seasonLengths: [24], level: 0.9 });
    result.point.forEach((value, index) => {
      expect(result.lower[index]!).toBeLessThanOrEqual(value);
      expect(result.upper[index]!).toBeGreaterThanOrEqual(value);
    });
    const widths = result.point.map((_, index) => result.upper[index]! - result.lower[index]!);
    // The width follows the error scale of each hour of the day, and grows as step^0.25 for the same hour.
    for (let index = 24; index < widths.length; index++) expect(widths[index]!).toBeGreaterThan(widths[index - 24]!);
    expect(widths[47]!).toBeGreaterThan(widths[23]! * 1.1);
    expect(result.level).toBe(0.9);
  });

  it('blends in the seasonal naive interval: bounds lean towards the seasonal naive forecast, and intervalBlend 0 turns it off', () => {
    // drift ignores the daily cycle: the seasonal naive forecast sits above it at the peak hours and below at the troughs.
    const options = { horizon: 24, seasonLengths: [24], strategy: 'drift' };
    const blended = forecastSeries(seasonal, options);
    const plain = forecastSeries(seasonal, { ...options, intervalBlend: 0 });
    expect(blended.point).toEqual(plain.point);
    const seasonalNaive = seasonal.slice(-24);
    let leaning = 0;
    blended.point.forEach((value, index) => {
      expect(blended.lower[index]!).toBeLessThanOrEqual(value);
      expect(blended.upper[index]!).toBeGreaterThanOrEqual(value);
      // Without blending the interval is symmetric around the point forecast.
      expect((plain.lower[index]! + plain.upper[index]!) / 2).toBeCloseTo(value, 6);
      const shift = (blended.lower[index]! + blended.upper[index]!) / 2 - value;
      if (Math.sign(shift) === Math.sign(seasonalNaive[index]! - value)) leaning++;
    });
    expect(leaning).toBeGreaterThanOrEqual(20);
  });

  it('a wider level gives wider intervals', () => {
    const narrow = forecastSeries(seasonal, { horizon: 12, seasonLengths: [24], level: 0.5 });
    const wide = forecastSeries(seasonal, { horizon: 12, seasonLengths: [24], level: 0.99 });
    expect(wide.upper[5]! - wide.lower[5]!).toBeGreaterThan(narrow.upper[5]! - narrow.lower[5]!);
  });

  it('picks a seasonal method on a clearly seasonal series', () => {
    const result = forecastSeries(seasonal.slice(0, -24), {
      horizon: 24,
      seasonLengths: [24],
      methods: ['naive', 'drift', 'seasonal-naive-24', 'theta'],
    });
    expect(['seasonal-naive-24', 'theta']).toContain(result.method);
    const byDefault = forecastSeries(seasonal.slice(0, -24), { horizon: 24, seasonLengths: [24] });
    expect(['naive', 'drift']).not.toContain(byDefault.method);
    // The forecast follows the daily shape of the held-back day.
    const actual = seasonal.slice(-24);
    const error = byDefault.point.reduce((sum, value, index) => sum + Math.abs(value - actual[index]!), 0) / 24;
    expect(error).toBeLessThan(15);
  });

  it('reports validation scores best first and honours a named strategy', () => {
    const result = forecastSeries(seasonal, { horizon: 24, seasonLengths: [24], strategy: 'theta' });
    expect(result.method).toBe('theta');
    const selected = forecastSeries(seasonal, { horizon: 24, seasonLengths: [24], strategy: 'ensemble' });
    expect(selected.method).toMatch(/^ensemble\(/);
    expect(selected.candidates.length).toBeGreaterThan(3);
    for (let index = 1; index < selected.candidates.length; index++)
      expect(selected.candidates[index]!.error).toBeGreaterThanOrEqual(selected.candidates[index - 1]!.error);
  });
});

describe('forecastSeries: bad input', () => {
  it('rejects too-short series with InsufficientDataError naming values', () => {
    expect(() => forecastSeries([1, 2], { horizon: 3 })).toThrow(InsufficientDataError);
    expect(() => forecastSeries([1, 2], { horizon: 3 })).toThrow(/values: need at least 3/);
  });

  it('uses the naive fallback for short histories', () => {
    const result = forecastSeries([5, 6, 7, 8], { horizon: 3 });
    expect(result.method).toBe('naive');
    expect(result.point).toEqual([8, 8, 8]);
    expect(result.notes.join(' ')).toMatch(/naive/);
  });

  it('fills gaps (null) by interpolation and says so', () => {
    const values: Array<number | null> = Array.from({ length: 60 }, (_, t) => 10 + t);
    values[20] = null;
    values[21] = null;
    values[0] = null;
    const result = forecastSeries(values, { horizon: 5 });
    expect(result.notes).toContain('interpolated 2 missing values');
    expect(result.notes).toContain('dropped 1 leading missing values');
    expect(result.point.every(Number.isFinite)).toBe(true);
    expect(result.point[0]).toBeCloseTo(70, 0);
  });

  it('forecasts a constant series as that constant with zero-width intervals', () => {
    const result = forecastSeries(new Array(100).fill(42), { horizon: 10, seasonLengths: [24], threshold: 50 });
    expect(result.method).toBe('constant');
    expect(result.point).toEqual(new Array(10).fill(42));
    expect(result.lower).toEqual(result.point);
    expect(result.upper).toEqual(result.point);
    expect(result.exhaustion).toMatchObject({ step: undefined, boundStep: undefined });
  });

  it('rejects negative values for a nonNegative metric, naming the field', () => {
    const values = [3, 4, -1, 5, 6, 7];
    const error = (() => {
      try {
        forecastSeries(values, { horizon: 2, nonNegative: true });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('values.2');
    // Without nonNegative the same values are fine.
    expect(forecastSeries(values, { horizon: 2 }).point).toHaveLength(2);
  });

  it('floors forecasts and bounds at 0 for nonNegative metrics', () => {
    const falling = Array.from({ length: 50 }, (_, t) => 100 - 2 * t);
    const result = forecastSeries(falling, { horizon: 48, nonNegative: true });
    expect(Math.min(...result.point, ...result.lower)).toBeGreaterThanOrEqual(0);
  });

  it('rejects NaN, strings, bad options and unknown methods with ValidationError', () => {
    expect(() => forecastSeries([1, Number.NaN, 3, 4], { horizon: 2 })).toThrow(ValidationError);
    expect(() => forecastSeries([1, 2, 3, 4], { horizon: 0 })).toThrow(/horizon/);
    expect(() => forecastSeries([1, 2, 3, 4], { horizon: 2, level: 1.5 })).toThrow(/level/);
    const values = Array.from({ length: 40 }, (_, t) => t);
    expect(() => forecastSeries(values, { horizon: 2, strategy: 'crystal-ball' })).toThrow(
      /strategy: unknown method "crystal-ball"/,
    );
    expect(() => forecastSeries(values, { horizon: 2, methods: ['theta', 'nope'] })).toThrow(/methods\.1/);
  });

  it('never returns NaN or Infinity for any finite input', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.double({ min: -1e12, max: 1e12, noNaN: true }), fc.constant(0), fc.integer({ min: 0, max: 5 })),
          { minLength: 3, maxLength: 120 },
        ),
        fc.integer({ min: 1, max: 30 }),
        (values, horizon) => {
          const result = forecastSeries(values, { horizon, seasonLengths: [7, 24], threshold: 1 });
          for (const array of [result.point, result.lower, result.upper]) {
            expect(array).toHaveLength(horizon);
            expect(array.every(Number.isFinite)).toBe(true);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});
