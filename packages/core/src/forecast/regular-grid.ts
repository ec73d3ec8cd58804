import type { SeriesPoint } from '../schemas/records.js';

/**
 * Places stored points on an even grid of `stepMs` (default: the median gap), oldest first, with `null`
 * for missing slots (gaps) and the later point winning when two land in one slot.
 */
export function toRegularGrid(
  points: readonly SeriesPoint[],
  stepMs?: number,
): { values: (number | null)[]; stepMs: number; start: number } {
  const sorted = [...points].sort((a, b) => a.timestamp - b.timestamp);
  const step = stepMs ?? medianGap(sorted);
  const start = sorted[0]?.timestamp ?? 0;
  if (sorted.length === 0 || !(step > 0))
    return { values: sorted.map((point) => point.value), stepMs: step > 0 ? step : 1, start };
  const slots = Math.round((sorted[sorted.length - 1]!.timestamp - start) / step) + 1;
  const values = new Array<number | null>(slots).fill(null);
  for (const point of sorted) values[Math.round((point.timestamp - start) / step)] = point.value;
  return { values, stepMs: step, start };
}

function medianGap(sorted: readonly SeriesPoint[]): number {
  const gaps: number[] = [];
  for (let index = 1; index < sorted.length; index++) {
    const gap = sorted[index]!.timestamp - sorted[index - 1]!.timestamp;
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return 0;
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1]!;
}
