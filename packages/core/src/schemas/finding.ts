import { z } from 'zod';
import { IdSchema, LabelsSchema, SeveritySchema } from './common.js';

const FindingBase = z.object({
  /** Unique id of the finding. */
  id: z.string().min(1),
  /** The resource the finding is about. */
  resource: IdSchema,
  /** The series (`resource/metric`) it came from, when it came from one. */
  series: z.string().optional(),
  /** Time of the observation that produced it (epoch ms). */
  timestamp: z.number().finite(),
  /** Name of the analyzer that produced it. */
  analyzer: z.string().min(1),
  severity: SeveritySchema,
  /** Strength in [0, 1]: anomaly score, probability... */
  score: z.number().min(0).max(1),
  /** One sentence for humans. */
  summary: z.string(),
  labels: LabelsSchema.optional(),
});

/** A metric (or a resource's metrics together) behaved unlike its past. */
export const AnomalyFindingSchema = FindingBase.extend({
  kind: z.literal('anomaly'),
  /** The metric value that triggered it (univariate mode). */
  value: z.number().finite().optional(),
  /** What the detector expected instead, when it has an expectation. */
  expected: z.number().finite().optional(),
  /** Multivariate mode: the metrics that contributed most, strongest first. */
  contributors: z
    .array(z.object({ metric: z.string(), score: z.number().min(0).max(1), value: z.number().finite().optional() }))
    .optional(),
});
export type AnomalyFinding = z.infer<typeof AnomalyFindingSchema>;

/** A learned model expects a failure. */
export const PredictionFindingSchema = FindingBase.extend({
  kind: z.literal('prediction'),
  /** Probability of failure within `horizon`. */
  probability: z.number().min(0).max(1),
  /** The horizon the probability refers to, in the model's time unit (cycles, minutes...). */
  horizon: z.number().positive(),
  /** Estimated time (same unit) until failure, e.g. remaining useful life. */
  timeToFailure: z.number().nonnegative().optional(),
  /** Inputs that pushed the prediction most, strongest first. */
  topFactors: z.array(z.object({ feature: z.string(), weight: z.number().finite() })).default([]),
  /** Id of the model that produced it. */
  model: z.string().optional(),
});
export type PredictionFinding = z.infer<typeof PredictionFindingSchema>;

/** Threat categories (the NSL-KDD taxonomy). */
export const ThreatCategorySchema = z.enum(['normal', 'dos', 'probe', 'r2l', 'u2r']);
export type ThreatCategory = z.infer<typeof ThreatCategorySchema>;

/** Network or security activity that looks like an attack. */
export const ThreatFindingSchema = FindingBase.extend({
  kind: z.literal('threat'),
  isThreat: z.boolean(),
  category: ThreatCategorySchema,
  /** Probability that the activity is an attack. */
  probability: z.number().min(0).max(1),
  model: z.string().optional(),
});
export type ThreatFinding = z.infer<typeof ThreatFindingSchema>;

/** A series is forecast to cross its threshold. */
export const ForecastFindingSchema = FindingBase.extend({
  kind: z.literal('forecast'),
  /** The limit the series is compared with. */
  threshold: z.number().finite(),
  /** First time (epoch ms) the point forecast crosses the threshold, if within the horizon. */
  exhaustionAt: z.number().finite().optional(),
  /** First time the upper interval bound crosses it: the pessimistic estimate. */
  exhaustionUpperAt: z.number().finite().optional(),
  /** Interval level, e.g. 0.95. */
  level: z.number().gt(0).lt(1),
  /** The forecast horizon in steps. */
  horizon: z.number().int().positive(),
  /** Method the forecaster chose for this series. */
  method: z.string().optional(),
});
export type ForecastFinding = z.infer<typeof ForecastFindingSchema>;

/** Anything else an analyzer wants to report: a cost anomaly, a churn risk, a right-sizing recommendation. */
export const InsightFindingSchema = FindingBase.extend({
  kind: z.literal('insight'),
  /** What sort of insight, e.g. `churn`, `cost`, `rightsizing`. */
  topic: z.string().min(1),
  data: z.record(z.string(), z.unknown()).default({}),
});
export type InsightFinding = z.infer<typeof InsightFindingSchema>;

/**
 * The component where a symptom most likely started, from a `RootCauseAnalyzer` over a service graph. Its
 * `resource` is the root cause (so remediation policies can target it); it links to the symptom's finding.
 */
export const RootCauseFindingSchema = FindingBase.extend({
  kind: z.literal('root-cause'),
  /** Id of the finding whose symptom this explains. */
  symptomFindingId: z.string().min(1),
  /** The node where the symptom was observed. */
  symptomResource: IdSchema,
  /** The anomalous call path from the root cause up to the symptom's node. */
  path: z.array(z.string()).min(1),
  /** Ranked candidates, most likely first (the first is `resource`). */
  candidates: z
    .array(z.object({ node: z.string(), score: z.number().min(0).max(1), explanation: z.string() }))
    .default([]),
  /** The ranking method. */
  method: z.string().optional(),
});
export type RootCauseFinding = z.infer<typeof RootCauseFindingSchema>;

/** Every finding an analyzer can produce, discriminated by `kind`. */
export const FindingSchema = z.discriminatedUnion('kind', [
  AnomalyFindingSchema,
  PredictionFindingSchema,
  ThreatFindingSchema,
  ForecastFindingSchema,
  InsightFindingSchema,
  RootCauseFindingSchema,
]);
export type Finding = z.infer<typeof FindingSchema>;
export type FindingKind = Finding['kind'];
/** The input shape of a finding (defaults not yet applied). */
export type FindingInput = z.input<typeof FindingSchema>;
