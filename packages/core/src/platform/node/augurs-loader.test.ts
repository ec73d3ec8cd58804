import { describe, expect, it } from 'vitest';
import { forecastSeries } from '../../forecast/forecast-series.js';
import { loadAugurs } from './augurs-loader.js';

describe('loadAugurs (real augurs WebAssembly)', () => {
  const values = Array.from(
    { length: 24 * 14 },
    (_, t) => 50 + 0.05 * t + 10 * Math.sin((2 * Math.PI * t) / 24) + ((t * 7919) % 13) / 13,
  );

  it('initialises MSTL once and lets forecastSeries use mstl-ets', () => {
    const augurs = loadAugurs();
    expect(loadAugurs()).toBe(augurs);
    const result = forecastSeries(values, { horizon: 24, seasonLengths: [24], strategy: 'mstl-ets' }, { augurs });
    expect(result.method).toBe('mstl-ets');
    expect(result.point.every(Number.isFinite)).toBe(true);
    // The daily shape carries into the forecast: peak-to-trough close to the true 20.
    const range = Math.max(...result.point) - Math.min(...result.point);
    expect(range).toBeGreaterThan(15);
    expect(range).toBeLessThan(25);
  });

  it('skips mstl-ets among candidates when the runtime is not loaded', () => {
    const result = forecastSeries(values, {
      horizon: 24,
      seasonLengths: [24],
      methods: ['mstl-ets', 'seasonal-naive-24'],
    });
    expect(result.method).toBe('seasonal-naive-24');
    expect(result.candidates.find((candidate) => candidate.method === 'mstl-ets')?.error).toBe(
      Number.POSITIVE_INFINITY,
    );
  });
});
