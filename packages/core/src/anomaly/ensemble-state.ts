/** Per-series state of the {@link ensembleStrategy}: numbers in `values`, the context memory in `memory`. */
export interface EnsembleState {
  /** Fixed slots (see `SLOT`), then the context history of each resolution, then the averaging ring. */
  values: Float64Array;
  /** Hashed bit memory of the contexts seen so far. */
  memory: Uint32Array;
}

/** Indices of the fixed slots of {@link EnsembleState.values}. */
export const SLOT = {
  /** Samples learned. */
  count: 0,
  /** Lowest and highest value so far. */
  min: 1,
  max: 2,
  /** Samples left in the current rest period. */
  rest: 3,
  /** Sum of the averaging ring of raw scores. */
  ringSum: 4,
  /** Long-run mean and variance of the averaged raw score. */
  likelihoodMean: 5,
  likelihoodVariance: 6,
  /** Samples the value has stayed at its coarse level. */
  run: 7,
  /** Smoothed level, and its lowest and highest value so far. */
  smooth: 8,
  smoothMin: 9,
  smoothMax: 10,
  /** Frozen quantisation grid: its range width and its lowest value (0 width: not frozen yet). */
  gridWidth: 11,
  gridAnchor: 12,
  /** The smoothed level before the last sample: what the detector expected. */
  expected: 13,
  /** Side (+1 above, -1 below, 0 none) of the previous sample when it lay beyond the outlier cap. */
  outlierSide: 14,
  /** How far lone outliers (capped) pushed the top and the bottom of the range: the part that is forgotten. */
  outlierExcessHigh: 15,
  outlierExcessLow: 16,
} as const;

/** Number of fixed slots. */
export const FIXED_SLOTS = 17;
