import { describe, expect, it } from 'vitest';
import { accuracy, coverage, mase, msis, owa, smape } from '../src/m4/m4-metrics.js';

// Hand-computed cases for the M4 measures used by bench/src/m4/m4-validate.ts.
const insample = [1, 2, 3, 4, 5, 6]; // seasonal naive (period 2) in-sample MAE = |3−1| = |4−2| = … = 2

describe('sMAPE', () => {
  it('is 200/h · Σ |y − ŷ| / (|y| + |ŷ|), in percent', () => {
    // 100 · (10/210 + 20/380)
    expect(smape([100, 200], [110, 180])).toBeCloseTo(100 * (10 / 210 + 20 / 380), 10);
    expect(smape([5, 5], [5, 5])).toBe(0);
  });

  it('is symmetric in actual and forecast and bounded by 200', () => {
    expect(smape([110, 180], [100, 200])).toBeCloseTo(smape([100, 200], [110, 180]), 12);
    expect(smape([1, 1], [-1, -1])).toBe(200);
  });

  it('counts a point where both values are zero as no error', () => {
    expect(smape([0, 10], [0, 20])).toBeCloseTo((200 * (10 / 30)) / 2, 10);
  });
});

describe('MASE', () => {
  it('scales the forecast MAE by the in-sample seasonal naive MAE', () => {
    // forecast errors 1 and 2 → MAE 1.5; scale 2
    expect(mase(insample, [7, 8], [6, 10], 2)).toBeCloseTo(0.75, 12);
  });

  it('uses the given period for the scale', () => {
    // period 1: in-sample MAE of the naive forecast is 1
    expect(mase(insample, [7, 8], [6, 10], 1)).toBeCloseTo(1.5, 12);
  });
});

describe('OWA and set-level accuracy', () => {
  it('averages the ratios to Naive2', () => {
    expect(owa({ smape: 10, mase: 1 }, { smape: 20, mase: 2 })).toBeCloseTo(0.5, 12);
    expect(owa({ smape: 20, mase: 1 }, { smape: 20, mase: 2 })).toBeCloseTo(0.75, 12);
  });

  it('means sMAPE and MASE over series', () => {
    const series = [
      { insample, actual: [7, 8] },
      { insample, actual: [100, 200] },
    ];
    const result = accuracy(
      series,
      [
        [6, 10],
        [110, 180],
      ],
      2,
    );
    expect(result.smape).toBeCloseTo((smape([7, 8], [6, 10]) + smape([100, 200], [110, 180])) / 2, 10);
    // second series: errors 10 and 20 → MAE 15 / 2
    expect(result.mase).toBeCloseTo((0.75 + 7.5) / 2, 10);
  });
});

describe('MSIS and coverage', () => {
  const actual = [5, 10, 0];
  const lower = [4, 4, 4];
  const upper = [6, 6, 6];

  it('adds 2/α times the miss to the interval width, scaled like MASE', () => {
    // widths 3 × 2 = 6; 10 above 6 by 4 → 40 · 4 = 160; 0 below 4 by 4 → 160; (6 + 320) / 3 / 2
    expect(msis(insample, actual, lower, upper, 2)).toBeCloseTo(326 / 3 / 2, 10);
    // α = 0.2: penalty factor 10 → (6 + 80) / 3 / 2
    expect(msis(insample, actual, lower, upper, 2, 0.2)).toBeCloseTo(86 / 3 / 2, 10);
  });

  it('counts values inside the closed interval', () => {
    expect(coverage(actual, lower, upper)).toBeCloseTo(1 / 3, 12);
    expect(coverage([4, 6], [4, 4], [6, 6])).toBe(1);
  });
});
