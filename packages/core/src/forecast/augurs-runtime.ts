/**
 * The slice of `@bsull/augurs` the forecaster uses, already initialised. augurs ships WebAssembly built
 * for bundlers, so core never loads it itself: in Node call `loadAugurs()` from `@iac-dharma/core/node`,
 * in a browser `loadAugursInBrowser()` (platform/browser), or build this object yourself after calling
 * each module's `initSync`/default init.
 */
export interface AugursRuntime {
  /** `@bsull/augurs/mstl`: MSTL decomposition with an AutoETS trend model. */
  mstl: {
    MSTL: {
      ets(periods: number[], options?: { impute?: boolean; logitTransform?: boolean } | null): AugursModel;
    };
  };
}

/** A fitted-or-not augurs model (MSTL, AutoETS). */
export interface AugursModel {
  fit(values: number[] | Float64Array): void;
  predict(
    horizon: number,
    level?: number | null,
  ): { point: number[]; intervals?: { level: number; lower: number[]; upper: number[] } | undefined };
  /** Releases the WASM memory. */
  free(): void;
}
