import { SLOT } from './ensemble-state.js';

/** Shape of the context memory (derived from the ensemble options). */
export interface ContextNoveltyConfig {
  /** Quantisation levels per lane. */
  resolutions: readonly number[];
  /** Longest context (sequence of levels) per lane. */
  contextLength: number;
  /** Adds the time spent at the current coarse level as a context. */
  runContext: boolean;
  /** Freeze the grid after warm-up; re-make it when the range grows `gridGrowth`-fold. */
  stableGrid: boolean;
  gridGrowth: number;
  warmupSamples: number;
  /** Bit mask of the memory (bits − 1). */
  mask: number;
  /** First slot of the level history in `values`. */
  history: number;
}

/** Marks a hashed key in the bit memory; returns 1 when it was not there before. */
function remember(memory: Uint32Array, mask: number, key: number): number {
  const mixed = Math.imul(key ^ (key >>> 16), 0x7feb352d);
  const bit = (mixed ^ (mixed >>> 15)) & mask;
  const word = bit >>> 5;
  const flag = 1 << (bit & 31);
  if ((memory[word]! & flag) !== 0) return 0;
  memory[word] = memory[word]! | flag;
  return 1;
}

/**
 * Context novelty (CAD OSE-style), in [0, 1]: the share of the current contexts never seen before.
 * The value is quantised into levels (several resolutions, one lane each); each lane's last 1…n levels
 * form contexts, hashed into a bit memory. Quantisation uses the range known before this sample (or a
 * grid frozen after warm-up), so a new extreme is a new level. Learns the contexts as it goes; the grid
 * grows with `learned` (the value as the range learns it: a lone outlier is capped).
 */
export function contextNovelty(
  values: Float64Array,
  memory: Uint32Array,
  config: ContextNoveltyConfig,
  value: number,
  min: number,
  max: number,
  learned = value,
): number {
  const range = max - min;
  const gridWidth = values[SLOT.gridWidth]!;
  let unseen = 0;
  for (let lane = 0; lane < config.resolutions.length; lane += 1) {
    const bins = config.resolutions[lane]!;
    const base = config.history + lane * config.contextLength;
    let symbol: number;
    // A frozen grid: a new extreme adds levels instead of re-quantising the old ones.
    if (config.stableGrid && gridWidth > 0)
      symbol = Math.floor((value - values[SLOT.gridAnchor]!) / (gridWidth / bins)) | 0;
    else if (value > max) symbol = bins;
    else if (value < min) symbol = bins + 1;
    else symbol = range > 0 ? Math.min(bins - 1, Math.floor(((value - min) / range) * bins)) : 0;
    let hash = Math.imul(symbol + 1 + lane * 131, 0x9e3779b1);
    for (let length = 0; length < config.contextLength; length += 1) {
      if (length > 0) hash = Math.imul(hash ^ (values[base + length - 1]! + 1), 0x85ebca6b) ^ (length * 0x27d4eb2f);
      unseen += remember(memory, config.mask, hash);
    }
    if (lane === 0 && config.runContext) {
      // How long the value has stayed at this level: a level held unusually long is novel too.
      const run = symbol === values[base]! ? values[SLOT.run]! + 1 : 1;
      values[SLOT.run] = run;
      unseen += remember(
        memory,
        config.mask,
        Math.imul(symbol + 1, 0x2545f491) ^ Math.imul(Math.floor(Math.log2(run)) + 97, 0x6c8e9cf5),
      );
    }
    for (let length = config.contextLength - 1; length > 0; length -= 1)
      values[base + length] = values[base + length - 1]!;
    values[base] = symbol;
  }
  if (config.stableGrid) {
    const count = values[SLOT.count]!;
    // The grid follows the learned value (an outlier capped by the caller), not the raw one.
    const low = Math.min(min, learned);
    const high = Math.max(max, learned);
    if (gridWidth === 0 && count + 1 >= config.warmupSamples && range > 0) {
      values[SLOT.gridWidth] = range;
      values[SLOT.gridAnchor] = min;
    } else if (gridWidth > 0 && high - low > config.gridGrowth * gridWidth) {
      values[SLOT.gridWidth] = high - low;
      values[SLOT.gridAnchor] = low;
    }
  }
  return unseen / (config.contextLength * config.resolutions.length + (config.runContext ? 1 : 0));
}
