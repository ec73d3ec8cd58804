import { z } from 'zod';

/** How a numeric feature is scaled before it reaches the model. */
export const NormalizationSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('minmax'), min: z.number().finite(), max: z.number().finite() }),
  z.object({ type: z.literal('zscore'), mean: z.number().finite(), std: z.number().finite().nonnegative() }),
]);
export type Normalization = z.infer<typeof NormalizationSchema>;

/** What to do with a blank or unparseable numeric value (e.g. Telco `TotalCharges = " "`). */
export const MissingRuleSchema = z.object({
  /** `blank`: only empty/whitespace; `blank-or-unparseable`: anything that is not a number. */
  when: z.enum(['blank', 'blank-or-unparseable']),
  /** The raw value used instead (before normalisation). */
  value: z.number().finite(),
});
export type MissingRule = z.infer<typeof MissingRuleSchema>;

/** A numeric feature: one encoded column. */
export const NumericFeatureSchema = z.object({
  name: z.string().min(1),
  kind: z.literal('numeric'),
  normalization: NormalizationSchema.default({ type: 'none' }),
  missing: MissingRuleSchema.optional(),
  /** Raw reference value used by occlusion attributions (topFactors); defaults to the normalisation centre. */
  baseline: z.number().finite().optional(),
});

/** A categorical feature: one column per category, in order (unknown value → all zeros). */
export const CategoricalFeatureSchema = z.object({
  name: z.string().min(1),
  kind: z.literal('categorical'),
  categories: z.array(z.string()).min(1, 'a categorical feature needs at least one category'),
});

/** One input feature of a model, in the order the extractor encodes them. */
export const FeatureSpecSchema = z.discriminatedUnion('kind', [NumericFeatureSchema, CategoricalFeatureSchema]);
export type FeatureSpec = z.infer<typeof FeatureSpecSchema>;
export type NumericFeatureSpec = z.infer<typeof NumericFeatureSchema>;
export type CategoricalFeatureSpec = z.infer<typeof CategoricalFeatureSchema>;

/** A named tensor of the ONNX graph; `-1` marks a dynamic dimension (the batch). */
export const TensorSpecSchema = z.object({
  name: z.string().min(1),
  dtype: z.enum(['float32', 'float64', 'int32', 'int64', 'bool', 'string']),
  shape: z.array(z.number().int().min(-1)),
  meaning: z.string().optional(),
});
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

/** Window statistics a window-statistics model expects (stat-major layout: column = stat * sensors + sensor). */
export const WindowStatisticSchema = z.enum(['last', 'first', 'mean', 'slope', 'min', 'max', 'std']);
export type WindowStatistic = z.infer<typeof WindowStatisticSchema>;

/** Sliding window of a sequence model: the last `length` rows, padded at the front when shorter. */
export const WindowSpecSchema = z.object({
  /** Rows (time steps) per window. */
  length: z.number().int().positive(),
  step: z.number().int().positive().default(1),
  /** `repeat-first`: repeat the oldest row at the front; `zeros`: pad with normalised zeros. */
  padding: z.enum(['repeat-first', 'zeros']).default('repeat-first'),
  layout: z.string().optional(),
});
export type WindowSpec = z.infer<typeof WindowSpecSchema>;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/**
 * The model card: the manifest that travels with every ONNX artifact (what it computes, its inputs
 * and feature order, the sha256 of its bytes, training data and metrics). Unknown extra fields are kept.
 */
export const ModelCardSchema = z
  .object({
    cardVersion: z.literal(1, { error: 'only cardVersion 1 is supported' }),
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, ".", "_" or "-"'),
    version: z.string().min(1),
    task: z.enum(['multiclass-classification', 'binary-classification', 'regression']),
    algorithm: z.string().min(1),
    description: z.string().default(''),
    /** Model file name relative to the card. */
    file: z
      .string()
      .min(1)
      .refine((file) => !file.includes('..') && !file.startsWith('/'), 'must be a relative file name without ".."'),
    /** Lower-case hex sha256 of the model bytes; checked before any session is created. */
    sha256: z.string().regex(HEX_SHA256, 'must be 64 lower-case hex characters'),
    /** Size of the model file in bytes. */
    bytes: z.number().int().positive(),
    opset: z.number().int().positive(),
    inputs: z.array(TensorSpecSchema).length(1, 'exactly one input tensor is supported'),
    outputs: z.array(TensorSpecSchema).min(1),
    features: z.array(FeatureSpecSchema).min(1),
    /** Columns per encoded row (tabular) or per time step (window models) / stats width. */
    encodedWidth: z.number().int().positive(),
    window: WindowSpecSchema.optional(),
    windowFeatures: z.array(WindowStatisticSchema).min(1).optional(),
    labels: z.array(z.string().min(1)).optional(),
    postprocess: z.record(z.string(), z.unknown()).default({}),
    training: z.record(z.string(), z.unknown()).default({}),
    metrics: z.record(z.string(), z.unknown()).default({}),
    libraries: z.record(z.string(), z.unknown()).default({}),
    /**
     * Ed25519 signature of the card's canonical JSON without this member (`signModelCard`, `dharma sign-model`);
     * checked when a public key is pinned.
     */
    signature: z
      .object({ algorithm: z.literal('Ed25519'), value: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'must be base64') })
      .optional(),
  })
  .loose()
  .superRefine((card, context) => {
    const expected = expectedWidth(card);
    if (card.encodedWidth !== expected) {
      context.addIssue({
        code: 'custom',
        path: ['encodedWidth'],
        message: `is ${card.encodedWidth} but the features give ${expected} columns`,
      });
    }
    const names = new Set<string>();
    card.features.forEach((feature, index) => {
      if (names.has(feature.name))
        context.addIssue({
          code: 'custom',
          path: ['features', index, 'name'],
          message: `duplicate feature "${feature.name}"`,
        });
      names.add(feature.name);
    });
    const inputShape = card.inputs[0]?.shape ?? [];
    const last = inputShape[inputShape.length - 1];
    const wantLast = card.window && !card.windowFeatures ? card.features.length : card.encodedWidth;
    if (last !== undefined && last !== -1 && last !== wantLast) {
      context.addIssue({
        code: 'custom',
        path: ['inputs', 0, 'shape'],
        message: `last dimension is ${last}, expected ${wantLast}`,
      });
    }
    if (card.windowFeatures && !card.window) {
      context.addIssue({ code: 'custom', path: ['window'], message: 'is required when windowFeatures is set' });
    }
    if (card.task !== 'regression' && !card.labels) {
      context.addIssue({ code: 'custom', path: ['labels'], message: `is required for task "${card.task}"` });
    }
  });

/** A validated model card. */
export type ModelCard = z.output<typeof ModelCardSchema>;
/** A model card as written in JSON (defaults not yet applied). */
export type ModelCardInput = z.input<typeof ModelCardSchema>;

function expectedWidth(card: {
  features: FeatureSpec[];
  window?: unknown;
  windowFeatures?: readonly string[] | undefined;
}): number {
  if (card.window) return card.features.length * (card.windowFeatures?.length ?? 1);
  return card.features.reduce(
    (width, feature) => width + (feature.kind === 'numeric' ? 1 : feature.categories.length),
    0,
  );
}
