import { describe, expect, it } from 'vitest';
import { findExhaustion } from './exhaustion.js';

describe('findExhaustion', () => {
  it('interpolates the crossing between steps', () => {
    const result = findExhaustion({
      last: 10,
      point: [20, 30, 40],
      bound: [25, 35, 45],
      threshold: 35,
      direction: 'above',
    });
    expect(result.step).toBeCloseTo(2.5, 10);
    expect(result.boundStep).toBeCloseTo(2, 10);
  });

  it('reports no crossing within the horizon', () => {
    expect(findExhaustion({ last: 1, point: [2, 3], bound: [3, 4], threshold: 100, direction: 'above' })).toMatchObject(
      { step: undefined, boundStep: undefined },
    );
  });

  it('reports step 0 when the last value has already crossed', () => {
    expect(findExhaustion({ last: 120, point: [130], bound: [140], threshold: 100, direction: 'above' })).toMatchObject(
      { step: 0, boundStep: 0 },
    );
  });

  it('handles falling series with direction below', () => {
    const result = findExhaustion({
      last: 50,
      point: [40, 30, 20],
      bound: [35, 20, 5],
      threshold: 25,
      direction: 'below',
    });
    expect(result.step).toBeCloseTo(2.5, 10);
    expect(result.boundStep).toBeCloseTo(1 + 10 / 15, 10);
  });

  it('never reports the bound crossing later than the point forecast', () => {
    const result = findExhaustion({ last: 0, point: [10, 20], bound: [5, 9], threshold: 15, direction: 'above' });
    expect(result.step).toBeCloseTo(1.5, 10);
    expect(result.boundStep).toBe(result.step);
  });
});
