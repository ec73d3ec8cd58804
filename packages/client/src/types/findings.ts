import type { Severity } from './resources.js';

/** Kinds of findings (GraphQL enum names: `root_cause` is core's `root-cause`). */
export type FindingKind = 'anomaly' | 'prediction' | 'threat' | 'forecast' | 'insight' | 'root_cause';

/** One forecast step (epoch ms, point forecast, interval). */
export interface ForecastPoint {
  timestamp: number;
  value: number;
  lower: number;
  upper: number;
}

/** A prediction or forecast finding. Fields that do not apply to the kind are null. */
export interface Prediction {
  id: string;
  resourceId: string;
  kind: FindingKind;
  analyzer: string;
  severity: Severity;
  /** Strength in [0, 1]. */
  score: number;
  summary: string;
  timestamp: number;
  series: string | null;
  probability: number | null;
  horizon: number | null;
  timeToFailure: number | null;
  threshold: number | null;
  exhaustionAt: number | null;
  exhaustionUpperAt: number | null;
  level: number | null;
  method: string | null;
  model: string | null;
  topFactors: { feature: string; weight: number }[];
  /** The forecast path (answers to `requestPrediction` only; null when listed). */
  forecast: ForecastPoint[] | null;
}

/** An anomaly found by the engine. */
export interface AnomalyEvent {
  id: string;
  resourceId: string;
  series: string | null;
  analyzer: string;
  severity: Severity;
  score: number;
  summary: string;
  timestamp: number;
  value: number | null;
  expected: number | null;
}
