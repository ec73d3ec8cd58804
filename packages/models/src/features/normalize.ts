import type { Normalization } from '../card/model-card-schema.js';

/** Applies a card normalisation to a raw value (float64): minmax `(x-min)/(max-min)`, zscore `(x-mean)/std`; a zero range or std divides by 1. */
export function normalize(value: number, normalization: Normalization): number {
  switch (normalization.type) {
    case 'none':
      return value;
    case 'minmax': {
      const range = normalization.max - normalization.min;
      return (value - normalization.min) / (range === 0 ? 1 : range);
    }
    case 'zscore':
      return (value - normalization.mean) / (normalization.std === 0 ? 1 : normalization.std);
  }
}

/**
 * The raw value that stands for "typical" in occlusion attributions: the explicit `baseline` when the card
 * has one, else the normalisation centre (zscore mean, minmax midpoint); `undefined` when there is none.
 */
export function baselineOf(feature: {
  normalization: Normalization;
  baseline?: number | undefined;
}): number | undefined {
  if (feature.baseline !== undefined) return feature.baseline;
  const normalization = feature.normalization;
  if (normalization.type === 'zscore') return normalization.mean;
  if (normalization.type === 'minmax') return (normalization.min + normalization.max) / 2;
  return undefined;
}
