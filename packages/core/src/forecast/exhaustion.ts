import type { Exhaustion } from './forecast-options.js';

/**
 * When a forecast crosses `threshold`. `last` is the last observed value (step 0). The crossing step is
 * interpolated linearly between the last step on the safe side and the first on the other, so a series
 * growing linearly gets the exact crossing time. Returns `step: 0` when `last` has already crossed.
 */
export function findExhaustion(options: {
  last: number;
  point: readonly number[];
  bound: readonly number[];
  threshold: number;
  direction: 'above' | 'below';
}): Exhaustion {
  const { last, threshold, direction } = options;
  const crossed = (value: number) => (direction === 'above' ? value >= threshold : value <= threshold);
  const firstCrossing = (path: readonly number[]): number | undefined => {
    if (crossed(last)) return 0;
    let previous = last;
    for (let index = 0; index < path.length; index++) {
      const value = path[index]!;
      if (crossed(value)) {
        const fraction = value === previous ? 1 : (threshold - previous) / (value - previous);
        return index + Math.min(1, Math.max(0, fraction));
      }
      previous = value;
    }
    return undefined;
  };
  const step = firstCrossing(options.point);
  let boundStep = firstCrossing(options.bound);
  // The pessimistic bound never crosses later than the point forecast.
  if (step !== undefined && (boundStep === undefined || boundStep > step)) boundStep = step;
  return { threshold, direction, step, boundStep };
}
