import type {
  Analyzer,
  AnalyzerContext,
  AnalyzerFinding,
  CallOptions,
  EventRecord,
  IngestRecord,
  ThreatCategory,
} from '@iac-dharma/core/kernel';
import { ValidationError } from '@iac-dharma/core/kernel';
import { NSL_KDD_TRAFFIC_FEATURES } from '../features/nsl-kdd-fields.js';
import { NslKddTrafficWindow, type NslKddTrafficWindowOptions } from '../features/nsl-kdd-traffic-window.js';
import { TabularExtractor } from '../features/tabular-extractor.js';
import { InputBufferPool } from '../loading/input-buffer-pool.js';
import type { Model, OutputMatrix } from '../loading/model.js';
import { lazyModel, severityFor, type ModelOptions } from './model-reference.js';

/** The verdict on one connection. */
export interface ThreatVerdict {
  /** True when the most probable class is an attack category. */
  isThreat: boolean;
  /** Most probable class: `normal`, `dos`, `probe`, `r2l` or `u2r`. */
  category: ThreatCategory;
  /** Probability that the connection is an attack: 1 − P(normal). */
  probability: number;
  /** Probability of every class, by label. */
  probabilities: Record<string, number>;
}

/** Options of {@link ThreatDetector}. */
export interface ThreatDetectorOptions extends ModelOptions {
  /** Analyzer name. @default 'threat-detector' */
  name?: string;
  /** Event `type` of connection records. @default 'connection' */
  eventType?: string;
  /** Also emit a finding when the attack probability reaches this, even if `normal` is the top class. @default 0.5 */
  threshold?: number;
  /**
   * Traffic features (`count` … `dst_host_srv_rerror_rate`): `auto` uses them when an event carries all 19
   * and computes them from the stream otherwise; `compute` always computes; `given` requires them. @default 'auto'
   */
  trafficFeatures?: 'auto' | 'compute' | 'given';
  /** Windows of the computed traffic features. */
  trafficWindow?: NslKddTrafficWindowOptions;
  /** Value for numeric basic/content attributes an event lacks (e.g. `hot`), or `reject`. @default 0 */
  missingAttributeValue?: number | 'reject';
}

/**
 * Classifies network connections with the `threat` model (NSL-KDD: normal, dos, probe, r2l, u2r).
 * `classify()` scores fully featurised rows; as an engine analyzer it takes `connection` events whose
 * attributes carry the NSL-KDD fields (plus `src_host`, `dst_host` (default: the event's resource),
 * `src_port`), computes the traffic-window features itself, scores each batch in one run and emits
 * `threat` findings. Invalid events are counted, logged and skipped.
 */
export class ThreatDetector implements Analyzer {
  /** Version of the contract implemented. */
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly accepts = ['event'] as const;
  private readonly getModel: () => Promise<Model>;
  private readonly window: NslKddTrafficWindow;
  private extractor: TabularExtractor | undefined;
  /** The model once loaded, so hot calls skip the lazy-load promise. */
  private model: Model | undefined;
  private readonly buffers = new InputBufferPool();
  private counters = { scored: 0, rejected: 0 };

  constructor(private readonly options: ThreatDetectorOptions = {}) {
    this.name = options.name ?? 'threat-detector';
    this.getModel = lazyModel(options, 'threat');
    this.window = new NslKddTrafficWindow(options.trafficWindow);
  }

  /** Loads the model now (otherwise on first use). */
  async ready(): Promise<Model> {
    const model = await this.getModel();
    this.extractor ??= TabularExtractor.fromCard(model.card);
    this.model = model;
    return model;
  }

  /** Events scored and rejected so far by `analyze`. */
  stats(): { scored: number; rejected: number } {
    return { ...this.counters };
  }

  /** Classifies featurised rows (objects keyed by NSL-KDD feature name) with one model run. */
  async classify(
    rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
    options: CallOptions = {},
  ): Promise<ThreatVerdict[]> {
    const model = this.model ?? (await this.ready());
    const extractor = this.extractor!;
    const input = this.buffers.acquire(rows.length * extractor.width);
    try {
      for (let index = 0; index < rows.length; index++)
        extractor.encodeInto(rows[index]!, input, index * extractor.width);
      return this.verdicts(model, await model.runMatrix(input, rows.length, 'probabilities', options), rows.length);
    } finally {
      this.buffers.release(input);
    }
  }

  /** Classifies already-encoded rows (`rows × width` float32, see `TabularExtractor`) with one model run. */
  async classifyEncoded(input: Float32Array, rows: number, options: CallOptions = {}): Promise<ThreatVerdict[]> {
    return this.score(await this.ready(), input, rows, options);
  }

  async analyze(records: readonly IngestRecord[], context: AnalyzerContext): Promise<AnalyzerFinding[]> {
    const model = await this.ready();
    const extractor = this.extractor!;
    const eventType = this.options.eventType ?? 'connection';
    const accepted: EventRecord[] = [];
    const encoded: Float32Array[] = [];
    for (const record of records) {
      if (record.kind !== 'event' || record.type !== eventType) continue;
      try {
        encoded.push(extractor.encode(this.featurise(record, extractor)));
        accepted.push(record);
      } catch (error) {
        this.counters.rejected++;
        context.logger.warn(
          `${this.name}: skipped a connection event of ${record.resource}: ${error instanceof Error ? error.message : String(error)}`,
          { analyzer: this.name },
        );
      }
    }
    if (accepted.length === 0) return [];
    const input = new Float32Array(accepted.length * extractor.width);
    encoded.forEach((row, index) => input.set(row, index * extractor.width));
    const verdicts = await this.score(model, input, accepted.length);
    this.counters.scored += accepted.length;
    const threshold = this.options.threshold ?? 0.5;
    return accepted.flatMap((record, index) => {
      const verdict = verdicts[index]!;
      if (!verdict.isThreat && verdict.probability < threshold) return [];
      const category = verdict.isThreat ? verdict.category : (topAttack(verdict) as ThreatCategory);
      const severity = category === 'u2r' && verdict.probability >= 0.9 ? 'critical' : severityFor(verdict.probability);
      return [
        {
          kind: 'threat' as const,
          resource: record.resource,
          timestamp: record.timestamp,
          severity,
          score: verdict.probability,
          summary: `${record.resource}: connection looks like ${category} (attack probability ${Math.round(verdict.probability * 100)}%)`,
          isThreat: verdict.isThreat,
          category,
          probability: verdict.probability,
          model: model.id,
          ...(record.labels ? { labels: record.labels } : {}),
        },
      ];
    });
  }

  /** Builds the 41-feature row of a connection event, computing the traffic features when needed. */
  private featurise(record: EventRecord, extractor: TabularExtractor): Record<string, unknown> {
    const attributes = record.attributes;
    const row: Record<string, unknown> = {};
    const mode = this.options.trafficFeatures ?? 'auto';
    const hasTraffic = NSL_KDD_TRAFFIC_FEATURES.every(
      (feature) => attributes[feature] !== undefined && attributes[feature] !== null,
    );
    if (mode === 'given' && !hasTraffic) {
      const absent = NSL_KDD_TRAFFIC_FEATURES.filter(
        (feature) => attributes[feature] === undefined || attributes[feature] === null,
      );
      throw new ValidationError(
        `Invalid connection: attributes.${absent[0]}: required when trafficFeatures is "given" (missing ${absent.join(', ')})`,
        [{ path: `attributes.${absent[0]}`, message: 'required', code: 'custom' }],
      );
    }
    const traffic =
      mode === 'compute' || (mode === 'auto' && !hasTraffic)
        ? this.window.push({
            timestamp: record.timestamp,
            srcHost: String(attributes['src_host'] ?? attributes['src_ip'] ?? 'unknown'),
            dstHost: String(attributes['dst_host'] ?? attributes['dst_ip'] ?? record.resource),
            srcPort: (attributes['src_port'] ?? undefined) as string | number | undefined,
            service: String(attributes['service'] ?? ''),
            flag: String(attributes['flag'] ?? ''),
          })
        : undefined;
    const missing = this.options.missingAttributeValue ?? 0;
    for (const name of extractor.featureNames) {
      const trafficValue = traffic?.[name as keyof typeof traffic];
      const value = trafficValue ?? attributes[name];
      row[name] =
        value === undefined || value === null ? (missing === 'reject' || isCategorical(name) ? value : missing) : value;
    }
    return row;
  }

  private async score(
    model: Model,
    input: Float32Array,
    rows: number,
    call: CallOptions = {},
  ): Promise<ThreatVerdict[]> {
    return this.verdicts(model, await model.runMatrix(input, rows, 'probabilities', call), rows);
  }

  /** One verdict per row of the `probabilities` output. */
  private verdicts(model: Model, matrix: OutputMatrix, rows: number): ThreatVerdict[] {
    const labels = model.card.labels ?? [];
    const normalIndex = Math.max(0, labels.indexOf('normal'));
    const columns = matrix.columns;
    const values = matrix.values;
    const keys = Array.from({ length: columns }, (_, column) => labels[column] ?? String(column));
    const verdicts: ThreatVerdict[] = new Array(rows);
    for (let row = 0; row < rows; row++) {
      const start = row * columns;
      const probabilities: Record<string, number> = {};
      let best = 0;
      for (let column = 0; column < columns; column++) {
        const value = values[start + column]!;
        probabilities[keys[column]!] = value;
        if (value > values[start + best]!) best = column;
      }
      const category = (labels[best] ?? 'normal') as ThreatCategory;
      const probability = Math.min(1, Math.max(0, 1 - values[start + normalIndex]!));
      verdicts[row] = { isThreat: best !== normalIndex, category, probability, probabilities };
    }
    return verdicts;
  }
}

function isCategorical(name: string): boolean {
  return name === 'protocol_type' || name === 'service' || name === 'flag';
}

function topAttack(verdict: ThreatVerdict): string {
  return (
    Object.entries(verdict.probabilities)
      .filter(([label]) => label !== 'normal')
      .sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'dos'
  );
}
