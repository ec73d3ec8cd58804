import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { parseSeriesKey, seriesKey } from './records.js';

describe('seriesKey', () => {
  it('keeps the plain resource/metric form for ids without "/" or "%"', () => {
    expect(seriesKey({ resource: 'web-1', metric: 'cpu' })).toBe('web-1/cpu');
  });

  it('does not let resource web/1 + metric cpu collide with resource web + metric 1/cpu', () => {
    expect(seriesKey({ resource: 'web/1', metric: 'cpu' })).not.toBe(seriesKey({ resource: 'web', metric: '1/cpu' }));
  });

  it('is one-to-one: parseSeriesKey gets resource and metric back', () => {
    const id = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', '/', '%', '2', 'F', 'é', ' ') });
    fc.assert(
      fc.property(id, id, id, id, (resource, metric, otherResource, otherMetric) => {
        expect(parseSeriesKey(seriesKey({ resource, metric }))).toEqual({ resource, metric });
        if (resource !== otherResource || metric !== otherMetric)
          expect(seriesKey({ resource, metric })).not.toBe(seriesKey({ resource: otherResource, metric: otherMetric }));
      }),
    );
  });

  it('the engine stores the two look-alike series apart', async () => {
    const storage = new MemoryStorage();
    const engine = createEngine({ storage });
    await engine.ingest([
      { resource: 'web/1', metric: 'cpu', value: 1, timestamp: 1000 },
      { resource: 'web', metric: '1/cpu', value: 2, timestamp: 1000 },
    ]);
    expect(
      (await storage.rangePoints({ series: seriesKey({ resource: 'web/1', metric: 'cpu' }) })).map(
        (point) => point.value,
      ),
    ).toEqual([1]);
    expect(
      (await storage.rangePoints({ series: seriesKey({ resource: 'web', metric: '1/cpu' }) })).map(
        (point) => point.value,
      ),
    ).toEqual([2]);
    await engine.close();
  });
});
