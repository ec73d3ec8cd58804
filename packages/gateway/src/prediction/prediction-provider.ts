import type { CallOptions, Engine, Finding, Storage } from '@iac-dharma/core';

/** What `requestPrediction` asks for. */
export interface PredictionRequest extends CallOptions {
  resourceId: string;
  /** Metric names to predict on (the gateway fills them from what the resource reported when the caller names none). */
  metrics: string[];
  /** How far ahead, in steps of the series; the provider's default when absent. */
  horizon?: number;
  /** A limit to compare a forecast with (capacity: disk bytes, CPU share...). */
  threshold?: number;
  /** A registered analyzer to use instead of the provider's choice. */
  analyzer?: string;
}

/** What a provider can use. */
export interface PredictionContext {
  engine: Engine;
  storage: Storage;
}

/** One forecast step: epoch ms and the point forecast with its interval. */
export interface ForecastPoint {
  timestamp: number;
  value: number;
  lower: number;
  upper: number;
}

/** A provider's answer: the finding (stored by the gateway) and, for forecasts, the forecast path. */
export interface PredictionOutcome {
  finding: Finding;
  forecast?: ForecastPoint[];
}

/**
 * Turns a resource's history into one prediction. Wire what your app has: the built-in forecast provider
 * (`createForecastPredictionProvider`), a registered analyzer such as the failure predictor from
 * `@iac-dharma/models` (`createAnalyzerPredictionProvider`), or your own model. The gateway stores the
 * returned finding, so `predictions` lists it afterwards.
 */
export interface PredictionProvider {
  readonly name: string;
  predict(request: PredictionRequest, context: PredictionContext): Promise<PredictionOutcome>;
}
