import { describe, expect, it } from 'vitest';
import { expectedImprovement, normalCdf } from './expected-improvement.js';
import { GaussianProcess, fitBestGaussianProcess } from './gaussian-process.js';

describe('GaussianProcess', () => {
  const inputs = Array.from({ length: 12 }, (_, index) => [index / 11]);
  const values = inputs.map(([x]) => 10 + 3 * Math.sin(6 * x!));

  it('interpolates smooth functions and is unsure far from the data', () => {
    const process = new GaussianProcess({ lengthScale: 0.2, noise: 1e-6 }).fit(inputs, values);
    for (const x of [0.05, 0.33, 0.71]) expect(process.predict([x]).mean).toBeCloseTo(10 + 3 * Math.sin(6 * x), 1);
    expect(process.predict([inputs[3]![0]!]).standardDeviation).toBeLessThan(0.01);
    const far = new GaussianProcess({ lengthScale: 0.05, noise: 1e-6 }).fit([[0], [0.1]], [1, 2]);
    expect(far.predict([0.9]).standardDeviation).toBeGreaterThan(0.5);
    expect(far.predict([0.9]).mean).toBeCloseTo(1.5, 5); // reverts to the mean of the data
  });

  it('prefers the hyperparameters the data supports', () => {
    const best = fitBestGaussianProcess(inputs, values, [
      { lengthScale: 0.01, noise: 1e-4 },
      { lengthScale: 0.2, noise: 1e-4 },
    ]);
    expect(best.hyperparameters.lengthScale).toBe(0.2);
  });

  it('computes expected improvement', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(expectedImprovement(1, 0, 0)).toBe(1);
    expect(expectedImprovement(-1, 0, 0)).toBe(0);
    // At the incumbent with unit uncertainty: σ · φ(0) = 0.39894.
    expect(expectedImprovement(0, 1, 0)).toBeCloseTo(0.398942, 5);
    expect(expectedImprovement(0, 2, 0)).toBeGreaterThan(expectedImprovement(0, 1, 0));
  });
});
