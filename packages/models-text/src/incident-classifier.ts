import { z } from 'zod';
import {
  parseWith,
  StateError,
  type Finding,
  type HistoryRecord,
  type LogFindingClassifier,
  type Storage,
} from '@iac-dharma/core/kernel';
import { cosine, type SentenceEncoder } from './sentence-encoder.js';

/** Options of an {@link IncidentClassifier}. */
export const IncidentClassifierOptionsSchema = z.object({
  /** Categories users define, each with a few example incident texts (log lines, summaries). */
  categories: z
    .record(z.string().min(1), z.array(z.string().min(1)).min(1))
    .refine((categories) => Object.keys(categories).length >= 2, 'give at least two categories'),
  /**
   * `prototype`: the category whose mean example embedding is nearest (cosine). `linear`: a softmax
   * regression trained on the example embeddings.
   * @default 'prototype'
   */
  head: z.enum(['prototype', 'linear']).default('prototype'),
  /** Below this score (cosine for `prototype`, probability for `linear`) the category is `unknown`. @default 0 */
  minScore: z.number().min(-1).max(1).default(0),
  /** Past incidents returned as similar. @default 3 */
  similarCount: z.number().int().min(0).max(50).default(3),
  /** Most past incidents remembered (the oldest are forgotten). @default 5000 */
  maxRemembered: z.number().int().min(1).default(5000),
  /** Training of the `linear` head: full-batch gradient descent epochs, step and L2 weight. */
  linear: z
    .object({
      epochs: z.number().int().min(1).default(300),
      learningRate: z.number().positive().default(2),
      l2: z.number().min(0).default(1e-4),
    })
    .default({ epochs: 300, learningRate: 2, l2: 1e-4 }),
});

/** Resolved options of an {@link IncidentClassifier}. */
export type IncidentClassifierOptions = z.output<typeof IncidentClassifierOptionsSchema>;

/** A past incident and what fixed it. */
export interface PastIncident {
  /** Id (remediation id when learned from the history). */
  id: string;
  /** The incident text that was embedded. */
  text: string;
  resource?: string;
  /** The action that fixed it, e.g. `kubernetes:restart-pod`. */
  resolution?: string;
  /** The remediation outcome, e.g. `succeeded`. */
  outcome?: string;
}

/** A past incident with its similarity to the one being classified. */
export interface SimilarIncident extends PastIncident {
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/** What {@link IncidentClassifier.classify} says about one incident. */
export interface IncidentClassification {
  /** The best category, or `unknown` when its score is below `minScore`. */
  category: string;
  /** Score of the best category (cosine for `prototype`, probability for `linear`). */
  score: number;
  /** Every category's score, best first. */
  scores: Array<{ category: string; score: number }>;
  /** The nearest remembered incidents, most similar first. */
  similar: SimilarIncident[];
}

/** The text of an incident: a finding's summary, its log templates and example lines, and extra log lines. */
export function incidentText(
  finding: Pick<Finding, 'summary'> & { data?: Record<string, unknown> },
  logLines: readonly string[] = [],
): string {
  const parts = [finding.summary];
  const data = finding.data ?? {};
  if (typeof data['template'] === 'string') parts.push(data['template']);
  if (Array.isArray(data['examples']))
    parts.push(...data['examples'].filter((line): line is string => typeof line === 'string'));
  parts.push(...logLines);
  return parts.join('\n');
}

/**
 * Puts a name on an incident — categories users define with a few examples each (`disk`, `network`,
 * `memory`, `auth`, …) — from a BERT-family sentence embedding (a {@link SentenceEncoder}), with a prototype
 * or linear head, and finds the most similar past incidents in the remediation history with what fixed them.
 *
 * ```ts
 * const classifier = new IncidentClassifier(await SentenceEncoder.load(), { categories: { disk: ['No space left on device'], network: ['Connection timed out'] } });
 * await classifier.fit();
 * const { category, similar } = await classifier.classify('write failed: disk quota exceeded on /var');
 * ```
 */
export class IncidentClassifier implements LogFindingClassifier {
  readonly options: IncidentClassifierOptions;
  readonly #encoder: SentenceEncoder;
  readonly #labels: string[];
  #prototypes: Float32Array[] | undefined;
  #weights: Float64Array[] | undefined;
  #bias: Float64Array | undefined;
  readonly #memory: Array<PastIncident & { embedding: Float32Array }> = [];

  constructor(encoder: SentenceEncoder, options: z.input<typeof IncidentClassifierOptionsSchema>) {
    this.options = parseWith(IncidentClassifierOptionsSchema, options, 'IncidentClassifier options');
    this.#encoder = encoder;
    this.#labels = Object.keys(this.options.categories);
  }

  /** The category names, in the order of the options. */
  get categories(): readonly string[] {
    return this.#labels;
  }

  /** Embeds the examples and builds the head. Call once before `classify`. */
  async fit(): Promise<void> {
    const examples = this.#labels.flatMap((label, index) =>
      this.options.categories[label]!.map((text) => ({ text, index })),
    );
    const embeddings = await this.#embedAll(examples.map((example) => example.text));
    this.fitEmbeddings(
      embeddings.map((embedding, position) => ({ embedding, label: this.#labels[examples[position]!.index]! })),
    );
  }

  /** Builds the head from embeddings already computed (labels must be category names). */
  fitEmbeddings(examples: ReadonlyArray<{ embedding: Float32Array; label: string }>): void {
    const dimensions = examples[0]?.embedding.length ?? this.#encoder.dimensions;
    const indexOf = new Map(this.#labels.map((label, index) => [label, index]));
    const sums = this.#labels.map(() => new Float32Array(dimensions));
    for (const example of examples) {
      const sum = sums[indexOf.get(example.label)!]!;
      for (let index = 0; index < dimensions; index += 1) sum[index]! += example.embedding[index]!;
    }
    this.#prototypes = sums.map(normalise);
    if (this.options.head === 'linear')
      this.#trainLinear(
        examples.map((example) => ({ x: example.embedding, y: indexOf.get(example.label)! })),
        dimensions,
      );
  }

  /** Classifies an incident text (see {@link incidentText} to build one from a finding). */
  async classify(text: string): Promise<IncidentClassification> {
    const [embedding] = await this.#encoder.embed([text]);
    return this.classifyEmbedding(embedding!);
  }

  /**
   * Classifies a finding (its summary, log template and examples; see {@link incidentText}), for
   * `new LogAnomalyDetector(options, { classifier })`: the answer becomes the finding's `data.classification`.
   */
  async classifyFinding(finding: { summary: string; data: Record<string, unknown> }): Promise<Record<string, unknown>> {
    const result = await this.classify(incidentText(finding));
    return {
      category: result.category,
      score: result.score,
      scores: result.scores.slice(0, 3),
      similar: result.similar.map(({ id, resource, resolution, outcome, similarity }) => ({
        id,
        resource,
        resolution,
        outcome,
        similarity,
      })),
    };
  }

  /** Classifies an embedding computed elsewhere (same encoder). */
  classifyEmbedding(embedding: Float32Array): IncidentClassification {
    if (!this.#prototypes) throw new StateError('IncidentClassifier: call fit() before classify().');
    const raw =
      this.options.head === 'linear'
        ? softmax(this.#logits(embedding))
        : this.#prototypes.map((prototype) => cosine(prototype, embedding));
    const scores = this.#labels
      .map((category, index) => ({ category, score: raw[index]! }))
      .sort((a, b) => b.score - a.score);
    const best = scores[0]!;
    return {
      category: best.score >= this.options.minScore ? best.category : 'unknown',
      score: best.score,
      scores,
      similar: this.similarTo(embedding),
    };
  }

  /** The remembered incidents nearest to an embedding. */
  similarTo(embedding: Float32Array, count = this.options.similarCount): SimilarIncident[] {
    return this.#memory
      .map(({ embedding: other, ...incident }) => ({ ...incident, similarity: cosine(embedding, other) }))
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, count);
  }

  /** Remembers past incidents (text and what fixed them) for "similar past incidents". */
  async remember(incidents: readonly PastIncident[]): Promise<void> {
    const embeddings = await this.#embedAll(incidents.map((incident) => incident.text));
    incidents.forEach((incident, index) => this.#memory.push({ ...incident, embedding: embeddings[index]! }));
    if (this.#memory.length > this.options.maxRemembered)
      this.#memory.splice(0, this.#memory.length - this.options.maxRemembered);
  }

  /**
   * Learns past incidents from the remediation history in `storage`: each remediation's finding (its summary,
   * template and examples) with the action and outcome of its `outcome` record. Returns how many were added.
   */
  async rememberHistory(storage: Storage, options: { limit?: number } = {}): Promise<number> {
    const records = await storage.readHistory({ limit: options.limit ?? 10_000 });
    const findings = new Map((await storage.queryFindings({ limit: 10_000 })).map((finding) => [finding.id, finding]));
    const known = new Set(this.#memory.map((incident) => incident.id));
    const incidents: PastIncident[] = [];
    for (const record of records.filter((entry: HistoryRecord) => entry.type === 'outcome')) {
      if (known.has(record.remediationId)) continue;
      const finding = findings.get(String(record.data['findingId'] ?? ''));
      if (!finding) continue;
      const action = record.data['action'] as { plugin?: string; action?: string } | undefined;
      incidents.push({
        id: record.remediationId,
        text: incidentText(finding as Finding & { data?: Record<string, unknown> }),
        resource: record.resource,
        ...(action?.plugin ? { resolution: `${action.plugin}:${action.action ?? ''}` } : {}),
        ...(record.outcome ? { outcome: record.outcome } : {}),
      });
    }
    await this.remember(incidents);
    return incidents.length;
  }

  async #embedAll(texts: readonly string[]): Promise<Float32Array[]> {
    const result: Float32Array[] = [];
    for (let start = 0; start < texts.length; start += 16)
      result.push(...(await this.#encoder.embed(texts.slice(start, start + 16))));
    return result;
  }

  #logits(embedding: Float32Array): number[] {
    return this.#weights!.map((weights, label) => {
      let sum = this.#bias![label]!;
      for (let index = 0; index < embedding.length; index += 1) sum += weights[index]! * embedding[index]!;
      return sum;
    });
  }

  /** Softmax regression by full-batch gradient descent (a few hundred examples × 384 dimensions: milliseconds). */
  #trainLinear(examples: ReadonlyArray<{ x: Float32Array; y: number }>, dimensions: number): void {
    const classes = this.#labels.length;
    const { epochs, learningRate, l2 } = this.options.linear;
    this.#weights = Array.from({ length: classes }, () => new Float64Array(dimensions));
    this.#bias = new Float64Array(classes);
    for (let epoch = 0; epoch < epochs; epoch += 1) {
      const gradients = Array.from({ length: classes }, () => new Float64Array(dimensions));
      const biasGradient = new Float64Array(classes);
      for (const { x, y } of examples) {
        const probabilities = softmax(this.#logits(x));
        for (let label = 0; label < classes; label += 1) {
          const error = probabilities[label]! - (label === y ? 1 : 0);
          biasGradient[label]! += error;
          const gradient = gradients[label]!;
          for (let index = 0; index < dimensions; index += 1) gradient[index]! += error * x[index]!;
        }
      }
      for (let label = 0; label < classes; label += 1) {
        const weights = this.#weights[label]!;
        const gradient = gradients[label]!;
        for (let index = 0; index < dimensions; index += 1)
          weights[index]! -= learningRate * (gradient[index]! / examples.length + l2 * weights[index]!);
        this.#bias[label]! -= (learningRate * biasGradient[label]!) / examples.length;
      }
    }
  }
}

function normalise(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm) || 1;
  return vector.map((value) => value / norm);
}

function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  const exps = logits.map((value) => Math.exp(value - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}
