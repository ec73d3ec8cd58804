import type {
  Analyzer,
  AnalyzerContext,
  AnalyzerFinding,
  CallOptions,
  IngestRecord,
  TensorData,
} from '@iac-dharma/core/kernel';
import { ValidationError } from '@iac-dharma/core/kernel';
import { WindowExtractor } from '../features/window-extractor.js';
import type { Model } from '../loading/model.js';
import { toMatrix } from '../loading/model.js';
import { InputBufferPool } from '../loading/input-buffer-pool.js';
import { lazyModel, type ModelOptions } from './model-reference.js';
import { occludedRows, strongest, type Factor } from './window-occlusion.js';
import { FailureHistoryTracker } from './failure-history-tracker.js';

/** What {@link FailurePredictor.predict} returns. */
export interface FailurePrediction {
  /** Probability in [0, 1] that the resource fails within `horizon`. */
  probability: number;
  /** The horizon of `probability`, in the model's time unit (C-MAPSS: cycles). */
  horizon: number;
  /** Estimated remaining time until failure (C-MAPSS: RUL in cycles, capped at 125), when the model outputs it. */
  timeToFailure: number | undefined;
  /**
   * Sensors that pushed the prediction most (occlusion): weight = predicted time-to-failure with the sensor
   * replaced by its baseline minus as observed (positive: its readings shorten the predicted life); for
   * models without a time-to-failure output, the change in probability instead.
   */
  topFactors: Factor[];
}

/** A history: rows oldest → newest; each row an array in sensor order or an object keyed by metric name. */
export type FailureHistory = ReadonlyArray<ArrayLike<number> | Readonly<Record<string, number>>>;

/** Options of {@link FailurePredictor}. */
export interface FailurePredictorOptions extends ModelOptions {
  /** Analyzer name. @default 'failure-predictor' */
  name?: string;
  /** Model sensor (card feature) name → metric name in your records. @default each sensor's own name */
  metrics?: Record<string, string>;
  /** Emit a `prediction` finding when the probability reaches this. @default 0.5 */
  threshold?: number;
  /** How many top factors to report. @default 3 */
  topFactors?: number;
  /** At most one finding per resource per this many ms (engine clock). @default 300000 */
  cooldownMs?: number;
  /** Output holding the failure probability. @default 'failureProbability' */
  probabilityOutput?: string;
  /** Output holding the time to failure (optional). @default 'rul' */
  timeToFailureOutput?: string;
  /** Horizon of the probability when the card's `postprocess.failureHorizon` is absent. @default 30 */
  horizon?: number;
  /** Time unit named in finding summaries. @default 'cycles' */
  timeUnit?: string;
}

/**
 * Predicts failures from a resource's recent multivariate metric history with a window model (the bundled
 * `failure` model: C-MAPSS turbofan RUL). Use `predict()` directly, or register it with an engine: it
 * assembles rows from metric samples that share a timestamp, scores every updated resource of a batch
 * in one model run, and emits `prediction` findings when the probability reaches `threshold`.
 */
export class FailurePredictor implements Analyzer {
  /** Version of the contract implemented. */
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly accepts = ['metric'] as const;
  private readonly getModel: () => Promise<Model>;
  private readonly options: FailurePredictorOptions;
  private readonly tracker = new FailureHistoryTracker();
  private extractor: WindowExtractor | undefined;
  /** The model once loaded, so hot calls skip the lazy-load promise. */
  private model: Model | undefined;
  private readonly buffers = new InputBufferPool();

  constructor(options: FailurePredictorOptions = {}) {
    this.options = options;
    this.name = options.name ?? 'failure-predictor';
    this.getModel = lazyModel(options, 'failure');
  }

  /** Loads the model now (otherwise it loads on first use). */
  async ready(): Promise<Model> {
    const model = await this.getModel();
    if (!this.extractor) {
      this.extractor = new WindowExtractor(model.card);
      this.tracker.configure(
        this.extractor.sensorNames.map((sensor) => this.options.metrics?.[sensor] ?? sensor),
        model.card.window!.length,
      );
    }
    this.model = model;
    return model;
  }

  /** Predicts from one history. */
  async predict(
    history: FailureHistory,
    options: CallOptions & { explain?: boolean } = {},
  ): Promise<FailurePrediction> {
    const [prediction] = await this.predictBatch([history], options);
    return prediction!;
  }

  /** Predicts from many histories with one model run (plus one for the explanations when `explain`, default true). */
  async predictBatch(
    histories: readonly FailureHistory[],
    options: CallOptions & { explain?: boolean } = {},
  ): Promise<FailurePrediction[]> {
    const model = this.model ?? (await this.ready());
    const extractor = this.extractor!;
    if (options.explain === false) {
      // Hot path: encode straight into the batch buffer (no per-history window or explanation arrays).
      const input = this.buffers.acquire(histories.length * extractor.width);
      try {
        for (let index = 0; index < histories.length; index++)
          extractor.encodeInto(this.toRows(histories[index]!, index), input, index * extractor.width);
        const outputs = await model.run(input, histories.length, options);
        return this.predictions(model, outputs, histories.length, histories.length, undefined);
      } finally {
        this.buffers.release(input);
      }
    }
    const windows = histories.map((history, index) => extractor.normalizedWindow(this.toRows(history, index)));
    return this.score(
      model,
      windows,
      windows.map(() => true),
      options,
    );
  }

  async analyze(records: readonly IngestRecord[], context: AnalyzerContext): Promise<AnalyzerFinding[]> {
    const model = await this.ready();
    const updated = this.tracker.add(records);
    if (updated.length === 0) return [];
    const windows = updated.map((entry) => this.extractor!.normalizedWindow(entry.history));
    const probabilitiesOnly = await this.score(
      model,
      windows,
      windows.map(() => false),
    );
    const threshold = this.options.threshold ?? 0.5;
    const cooldown = this.options.cooldownMs ?? 300_000;
    const due = updated.map(
      (entry, index) =>
        probabilitiesOnly[index]!.probability >= threshold && context.clock.now() - entry.lastFindingAt >= cooldown,
    );
    if (!due.includes(true)) return [];
    const explained = await this.score(
      model,
      windows.filter((_, index) => due[index]),
      due.filter(Boolean),
    );
    const unit = this.options.timeUnit ?? 'cycles';
    return updated.flatMap((entry, index) => {
      if (!due[index]) return [];
      const prediction = explained.shift()!;
      entry.lastFindingAt = context.clock.now();
      const percent = Math.round(prediction.probability * 100);
      const left =
        prediction.timeToFailure === undefined ? '' : ` (about ${Math.round(prediction.timeToFailure)} ${unit} left)`;
      return [
        {
          kind: 'prediction' as const,
          resource: entry.resource,
          timestamp: entry.timestamp,
          severity: prediction.probability >= 0.9 ? 'critical' : prediction.probability >= 0.7 ? 'high' : 'medium',
          score: prediction.probability,
          summary: `${entry.resource}: ${percent}% probability of failure within ${prediction.horizon} ${unit}${left}`,
          probability: prediction.probability,
          horizon: prediction.horizon,
          ...(prediction.timeToFailure === undefined ? {} : { timeToFailure: prediction.timeToFailure }),
          topFactors: prediction.topFactors,
          model: model.id,
        },
      ];
    });
  }

  /** Per-resource histories, so a restarted engine keeps predicting without a warm-up. */
  snapshot(): unknown {
    return this.tracker.snapshot();
  }

  restore(state: unknown): void {
    this.tracker.restore(state);
  }

  /** Scores normalised windows in one run; explains the flagged ones with one more run. */
  private async score(
    model: Model,
    windows: Float64Array[],
    explain: boolean[],
    call: CallOptions = {},
  ): Promise<FailurePrediction[]> {
    const extractor = this.extractor!;
    const input = new Float32Array(windows.length * extractor.width);
    windows.forEach((window, index) => extractor.encodeWindowInto(window, input, index * extractor.width));
    const occlusions = windows.map((window, index) =>
      explain[index] ? occludedRows(model.card, extractor, window) : undefined,
    );
    const extra = occlusions.reduce((total, occlusion) => total + (occlusion?.sensors.length ?? 0), 0);
    let batch = input;
    if (extra > 0) {
      batch = new Float32Array(input.length + extra * extractor.width);
      batch.set(input);
      let offset = input.length;
      for (const occlusion of occlusions)
        if (occlusion) (batch.set(occlusion.rows, offset), (offset += occlusion.rows.length));
    }
    const rows = windows.length + extra;
    const outputs = await model.run(batch, rows, call);
    return this.predictions(model, outputs, windows.length, rows, occlusions);
  }

  /** Post-processes a run of `rows` rows: the first `count` are the windows, then the occlusion rows in order. */
  private predictions(
    model: Model,
    outputs: Record<string, TensorData>,
    count: number,
    rows: number,
    occlusions: ReadonlyArray<{ sensors: string[] } | undefined> | undefined,
  ): FailurePrediction[] {
    const probability = toMatrix(outputs, this.options.probabilityOutput ?? 'failureProbability', rows, model.id);
    const ttfName = this.options.timeToFailureOutput ?? 'rul';
    const timeToFailure = outputs[ttfName] ? toMatrix(outputs, ttfName, rows, model.id) : undefined;
    const horizon = Number(model.card.postprocess['failureHorizon'] ?? this.options.horizon ?? 30);
    const limit = this.options.topFactors ?? 3;
    let cursor = count;
    const predictions: FailurePrediction[] = new Array(count);
    for (let index = 0; index < count; index++) {
      const p = probability.values[index * probability.columns]!;
      const t = timeToFailure?.values[index * timeToFailure.columns];
      const occlusion = occlusions?.[index];
      let topFactors: Factor[] = [];
      if (occlusion) {
        const factors: Factor[] = occlusion.sensors.map((sensor) => {
          const row = cursor++;
          const weight =
            timeToFailure && t !== undefined
              ? timeToFailure.values[row * timeToFailure.columns]! - t
              : p - probability.values[row * probability.columns]!;
          return { feature: this.options.metrics?.[sensor] ?? sensor, weight: Math.round(weight * 1e4) / 1e4 };
        });
        topFactors = strongest(factors, limit);
      }
      predictions[index] = {
        probability: clamp01(p),
        horizon,
        timeToFailure: t === undefined ? undefined : Math.max(0, t),
        topFactors,
      };
    }
    return predictions;
  }

  private toRows(history: FailureHistory, index: number): ReadonlyArray<ArrayLike<number>> {
    let allArrays = true;
    for (let rowIndex = 0; rowIndex < history.length && allArrays; rowIndex++)
      allArrays = typeof (history[rowIndex] as ArrayLike<number>).length === 'number';
    if (allArrays) return history as ReadonlyArray<ArrayLike<number>>;
    const sensors = this.extractor!.sensorNames;
    return history.map((row, rowIndex) => {
      if (typeof (row as ArrayLike<number>).length === 'number') return row as ArrayLike<number>;
      return sensors.map((sensor) => {
        const metric = this.options.metrics?.[sensor] ?? sensor;
        const value = (row as Record<string, number>)[metric];
        if (typeof value !== 'number') {
          throw new ValidationError(
            `Invalid history: histories[${index}][${rowIndex}].${metric}: expected a number (sensor ${sensor}).`,
            [{ path: `${index}.${rowIndex}.${metric}`, message: 'expected a number', code: 'invalid_type' }],
          );
        }
        return value;
      });
    });
  }
}

function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}
