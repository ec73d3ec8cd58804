import type {
  Analyzer,
  AnalyzerContext,
  AnalyzerFinding,
  CallOptions,
  EventRecord,
  IngestRecord,
} from '@iac-dharma/core/kernel';
import { createExtractionNotes, TabularExtractor, type ExtractionNotes } from '../features/tabular-extractor.js';
import { InputBufferPool } from '../loading/input-buffer-pool.js';
import type { Model, OutputMatrix } from '../loading/model.js';
import { lazyModel, severityFor, type ModelOptions } from './model-reference.js';

/** The churn estimate of one account. */
export interface ChurnPrediction {
  /** Probability in [0, 1] that the customer churns (the model's positive class). */
  probability: number;
  /** Fields the extractor imputed (e.g. a blank `TotalCharges` for a brand-new customer). */
  imputed: string[];
  /** Categorical fields whose value the model never saw (encoded as all zeros). */
  unknownCategories: string[];
}

/** Options of {@link ChurnPredictor}. */
export interface ChurnPredictorOptions extends ModelOptions {
  /** Analyzer name. @default 'churn-predictor' */
  name?: string;
  /** Event `type` carrying account attributes (as engine analyzer). @default 'account' */
  eventType?: string;
  /** Emit an `insight` finding (topic `churn`) when the probability reaches this. @default 0.5 */
  threshold?: number;
  /** Label of the positive class in the card's `labels`. @default the card's `postprocess.positiveClass`, else 'Yes' */
  positiveClass?: string;
}

/**
 * Estimates churn probability from account features with the `churn` model (IBM Telco schema: tenure,
 * contract, charges, services...). `predict()` scores rows directly; registered with an engine, it scores
 * `account` events (attributes = the account fields) and emits `insight` findings with topic `churn`.
 */
export class ChurnPredictor implements Analyzer {
  /** Version of the contract implemented. */
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly accepts = ['event'] as const;
  private readonly getModel: () => Promise<Model>;
  private extractor: TabularExtractor | undefined;
  /** The model once loaded, so hot calls skip the lazy-load promise. */
  private model: Model | undefined;
  private readonly buffers = new InputBufferPool();
  /** Notes scratch reused by `predict` (cleared before and after every row that needed a repair). */
  private readonly notes = createExtractionNotes();

  constructor(private readonly options: ChurnPredictorOptions = {}) {
    this.name = options.name ?? 'churn-predictor';
    this.getModel = lazyModel(options, 'churn');
  }

  /** Loads the model now (otherwise on first use). */
  async ready(): Promise<Model> {
    const model = await this.getModel();
    this.extractor ??= TabularExtractor.fromCard(model.card);
    this.model = model;
    return model;
  }

  /** Scores account rows (objects keyed by field name, CSV strings or numbers) with one model run. */
  async predict(
    rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
    options: CallOptions = {},
  ): Promise<ChurnPrediction[]> {
    const model = this.model ?? (await this.ready());
    const extractor = this.extractor!;
    // One shared notes object; a row's own notes are only materialised when it needed a repair.
    const notes = this.notes;
    notes.imputed.clear();
    notes.unknownCategories.clear();
    const count = rows.length;
    let perRow: Array<ExtractionNotes | undefined> | undefined;
    const input = this.buffers.acquire(count * extractor.width);
    let matrix: OutputMatrix;
    try {
      for (let index = 0; index < count; index++) {
        extractor.encodeInto(rows[index]!, input, index * extractor.width, notes);
        if (notes.imputed.size > 0 || notes.unknownCategories.size > 0) {
          perRow ??= new Array(count);
          perRow[index] = { imputed: new Map(notes.imputed), unknownCategories: new Map(notes.unknownCategories) };
          notes.imputed.clear();
          notes.unknownCategories.clear();
        }
      }
      matrix = await model.runMatrix(input, count, 'probabilities', options);
    } finally {
      this.buffers.release(input);
    }
    const column = this.positiveColumn(model);
    const predictions: ChurnPrediction[] = new Array(count);
    for (let index = 0; index < count; index++) {
      const own = perRow?.[index];
      predictions[index] = {
        probability: Math.min(1, Math.max(0, matrix.values[index * matrix.columns + column]!)),
        imputed: own ? [...own.imputed.keys()] : [],
        unknownCategories: own ? [...own.unknownCategories.keys()] : [],
      };
    }
    return predictions;
  }

  /** Scores already-encoded rows (`rows × width` float32); returns P(churn) per row. */
  async scoreEncoded(model: Model, input: Float32Array, rows: number, options: CallOptions = {}): Promise<number[]> {
    const column = this.positiveColumn(model);
    const matrix = await model.runMatrix(input, rows, 'probabilities', options);
    return Array.from({ length: rows }, (_, row) =>
      Math.min(1, Math.max(0, matrix.values[row * matrix.columns + column]!)),
    );
  }

  /** Column of the positive class in the `probabilities` output. */
  private positiveColumn(model: Model): number {
    const labels = model.card.labels ?? [];
    const positive = this.options.positiveClass ?? String(model.card.postprocess['positiveClass'] ?? 'Yes');
    return Math.max(0, labels.indexOf(positive));
  }

  async analyze(records: readonly IngestRecord[], context: AnalyzerContext): Promise<AnalyzerFinding[]> {
    const eventType = this.options.eventType ?? 'account';
    const accounts = records.filter(
      (record): record is EventRecord => record.kind === 'event' && record.type === eventType,
    );
    if (accounts.length === 0) return [];
    const valid: EventRecord[] = [];
    const rows: Record<string, unknown>[] = [];
    const model = await this.ready();
    for (const account of accounts) {
      try {
        this.extractor!.encode(account.attributes);
        valid.push(account);
        rows.push(account.attributes);
      } catch (error) {
        context.logger.warn(
          `${this.name}: skipped account ${account.resource}: ${error instanceof Error ? error.message : String(error)}`,
          { analyzer: this.name },
        );
      }
    }
    if (rows.length === 0) return [];
    const predictions = await this.predict(rows);
    const threshold = this.options.threshold ?? 0.5;
    return valid.flatMap((account, index) => {
      const prediction = predictions[index]!;
      if (prediction.probability < threshold) return [];
      return [
        {
          kind: 'insight' as const,
          topic: 'churn',
          resource: account.resource,
          timestamp: account.timestamp,
          severity: severityFor(prediction.probability),
          score: prediction.probability,
          summary: `${account.resource}: ${Math.round(prediction.probability * 100)}% probability of churn`,
          data: { probability: prediction.probability, model: model.id, imputed: prediction.imputed },
        },
      ];
    });
  }
}
