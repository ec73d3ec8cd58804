import { baselineOf, normalize } from '../features/normalize.js';
import type { WindowExtractor } from '../features/window-extractor.js';
import type { ModelCard } from '../card/model-card-schema.js';

/** An input that pushed a prediction, with its signed weight. */
export interface Factor {
  feature: string;
  weight: number;
}

/**
 * Occlusion inputs for one window: for each sensor that has a baseline (card `baseline`, zscore mean or
 * minmax midpoint), a copy of the window whose column is replaced by that baseline everywhere. Returns the
 * sensors occluded and their encoded rows (`sensors.length × extractor.width`), for one batch run.
 */
export function occludedRows(
  card: ModelCard,
  extractor: WindowExtractor,
  window: Float64Array,
): { sensors: string[]; rows: Float32Array } {
  const sensors: string[] = [];
  const baselines: Array<[number, number]> = [];
  card.features.forEach((feature, index) => {
    if (feature.kind !== 'numeric') return;
    const baseline = baselineOf(feature);
    if (baseline === undefined) return;
    sensors.push(feature.name);
    baselines.push([index, normalize(baseline, feature.normalization)]);
  });
  const width = card.features.length;
  const rows = new Float32Array(sensors.length * extractor.width);
  const copy = new Float64Array(window.length);
  baselines.forEach(([sensor, value], occlusion) => {
    copy.set(window);
    for (let index = sensor; index < copy.length; index += width) copy[index] = value;
    extractor.encodeWindowInto(copy, rows, occlusion * extractor.width);
  });
  return { sensors, rows };
}

/** Sorts factors by absolute weight, strongest first, and keeps `limit` with a non-zero weight. */
export function strongest(factors: Factor[], limit: number): Factor[] {
  return factors
    .filter((factor) => factor.weight !== 0 && Number.isFinite(factor.weight))
    .sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight))
    .slice(0, limit);
}
