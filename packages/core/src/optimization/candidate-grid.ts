import type { Knob, KnobConfiguration } from './performance-optimizer-options.js';

/**
 * The points a tuner may propose next: for each knob, `size` evenly spaced values within
 * `maxStep` (default a quarter of the range) of its current value and within [min, max], rounded for
 * integer knobs; the Cartesian product for two knobs. Every point respects both safety limits.
 */
export function candidateGrid(knobs: readonly Knob[], current: KnobConfiguration, size: number): number[][] {
  const axes = knobs.map((knob) => {
    const step = knob.maxStep ?? (knob.max - knob.min) / 4;
    const center = current[knob.name]!;
    const low = Math.max(knob.min, center - step);
    const high = Math.min(knob.max, center + step);
    const values = new Set<number>([center]);
    for (let index = 0; index < size; index++) {
      const value = low + ((high - low) * index) / (size - 1);
      if (!knob.integer) values.add(value);
      else {
        // Round toward the centre so rounding never exceeds the step limit.
        const rounded = value > center ? Math.floor(value) : Math.ceil(value);
        values.add(Math.min(knob.max, Math.max(knob.min, rounded)));
      }
    }
    return [...values].sort((a, b) => a - b);
  });
  let points: number[][] = [[]];
  for (const axis of axes) points = points.flatMap((prefix) => axis.map((value) => [...prefix, value]));
  return points;
}
