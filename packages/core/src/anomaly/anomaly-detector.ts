import { parseWith } from '../errors/validation-error.js';
import { seriesKey, type IngestRecord } from '../schemas/records.js';
import type { Analyzer, AnalyzerContext, AnalyzerFinding, AnalyzerStateParts } from '../spec/analyzer.js';
import type { StatePart } from '../spec/storage.js';
import { resourceAnomalyFinding, seriesAnomalyFinding } from './anomaly-findings.js';
import {
  AnomalyDetectorOptionsSchema,
  type AnomalyDetectorOptions,
  type ResolvedAnomalyDetectorOptions,
} from './anomaly-detector-options.js';
import type { DetectorStrategy } from './detector-strategy.js';
import { ensembleStrategy } from './ensemble-strategy.js';
import { ResourceCombiner, type ResourceScore } from './resource-combiner.js';
import type { AnomalyDetectorStats, SampleOutcome, SkipReason } from './sample-outcome.js';

interface SeriesEntry {
  state: unknown;
  lastTimestamp: number;
  /** Sample time of the last finding (for de-duplication). */
  lastFinding: number;
}

/** One series as saved (in `snapshot()`'s `series`, or as one part). */
interface SavedSeries {
  state: unknown;
  lastTimestamp: number;
  lastFinding: number | null;
}

const SNAPSHOT_VERSION = 1;

/**
 * Streaming anomaly detection for metrics: one learned state per series (`resource/metric`), a score in
 * [0, 1] for every sample computed only from the past, and an anomaly finding when the score reaches
 * `threshold` (de-duplicated per series). In multivariate mode a resource's metrics are combined into one
 * resource-level finding that names the contributing metrics. Pure TypeScript: runs in Node and browsers.
 *
 * @example
 * const detector = new AnomalyDetector();
 * const score = detector.score('web-1/cpu', Date.now(), 0.42); // low-level streaming API
 * const engine = new Engine({ analyzers: [detector] });     // or as an engine analyzer
 */
export class AnomalyDetector implements Analyzer {
  /** Version of the contract implemented. */
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly accepts = ['metric'] as const;
  /** The resolved options. */
  readonly options: ResolvedAnomalyDetectorOptions;
  private readonly strategy: DetectorStrategy<unknown>;
  /** Score at or above which a finding is emitted: the `threshold` option, else the strategy's `defaultThreshold`. */
  readonly threshold: number;
  private readonly series = new Map<string, SeriesEntry>();
  /** Series changed (or removed) since the last `snapshotParts` call. */
  private dirty = new Set<string>();
  private readonly combiner: ResourceCombiner;
  private readonly resourceFindings = new Map<string, number>();
  private readonly pending = new Map<string, ResourceScore & { timestamp: number }>();
  private readonly counters: AnomalyDetectorStats = {
    scored: 0,
    skipped: { 'invalid-value': 0, 'invalid-timestamp': 0, 'out-of-order': 0, 'duplicate-timestamp': 0 },
    series: 0,
    findings: 0,
  };

  constructor(options: AnomalyDetectorOptions = {}) {
    const { strategy, ...rest } = options;
    this.options = parseWith(AnomalyDetectorOptionsSchema, rest, 'AnomalyDetector options');
    this.name = this.options.name;
    this.strategy = (strategy ?? ensembleStrategy()) as DetectorStrategy<unknown>;
    this.threshold = this.options.threshold ?? this.strategy.defaultThreshold ?? 0.6;
    this.combiner = new ResourceCombiner(this.options.resourceWindowMs, this.options.contributorFloor);
  }

  /**
   * Scores one sample of `seriesKey` and learns it. Never throws on bad data: a non-finite value or
   * timestamp, or a timestamp not after the series' previous one, is skipped, counted in `stats()` and
   * reported with its reason; the series' state is left untouched.
   */
  observe(seriesKey: string, timestamp: number, value: number): SampleOutcome {
    const reason = this.check(seriesKey, timestamp, value);
    if (reason) {
      this.counters.skipped[reason] += 1;
      return { status: 'skipped', reason };
    }
    let entry = this.series.get(seriesKey);
    if (entry) {
      // Keep the map in least-recently-updated order for eviction.
      this.series.delete(seriesKey);
    } else {
      entry = { state: this.strategy.createState(), lastTimestamp: -Infinity, lastFinding: -Infinity };
      if (this.series.size >= this.options.maxSeries) this.forget(this.series.keys().next().value as string);
    }
    this.series.set(seriesKey, entry);
    this.dirty.add(seriesKey);
    const raw = this.strategy.update(entry.state, timestamp, value);
    entry.lastTimestamp = timestamp;
    this.counters.scored += 1;
    // Guard against a custom strategy returning NaN or out-of-range scores.
    const score = raw >= 0 ? (raw <= 1 ? raw : 1) : 0;
    return { status: 'scored', score, expected: this.strategy.expected?.(entry.state) };
  }

  /** Low-level streaming API: the score of one sample (0 for skipped samples; see {@link observe}). */
  score(seriesKey: string, timestamp: number, value: number): number {
    const outcome = this.observe(seriesKey, timestamp, value);
    return outcome.status === 'scored' ? outcome.score : 0;
  }

  /** Engine entry point: scores metric samples in order and returns the anomaly findings. */
  analyze(records: readonly IngestRecord[], _context?: AnalyzerContext): AnalyzerFinding[] {
    const findings: AnalyzerFinding[] = [];
    const univariate = this.options.mode !== 'multivariate';
    const multivariate = this.options.mode !== 'univariate';
    for (const record of records) {
      if (record.kind !== 'metric') continue;
      const key = seriesKey(record);
      const outcome = this.observe(key, record.timestamp, record.value);
      if (outcome.status !== 'scored') continue;
      if (univariate && outcome.score >= this.threshold) {
        const entry = this.series.get(key)!;
        if (record.timestamp - entry.lastFinding >= this.options.dedupeMs) {
          entry.lastFinding = record.timestamp;
          findings.push(seriesAnomalyFinding(record, key, outcome.score, outcome.expected));
        }
      }
      if (multivariate) {
        const combined = this.combiner.update(record.resource, {
          metric: record.metric,
          score: outcome.score,
          value: record.value,
          timestamp: record.timestamp,
        });
        const pending = this.pending.get(record.resource);
        if (pending && pending.timestamp < record.timestamp) this.emitResource(record.resource, findings);
        // Hold the resource finding until the resource's other metrics of the same moment have been scored.
        if (combined.score >= this.threshold)
          this.pending.set(record.resource, { timestamp: record.timestamp, ...combined });
      }
    }
    for (const resource of [...this.pending.keys()]) this.emitResource(resource, findings);
    this.counters.findings += findings.length;
    return findings;
  }

  /** Counters: samples scored and skipped (by reason), series tracked, findings emitted. */
  stats(): AnomalyDetectorStats {
    return { ...this.counters, skipped: { ...this.counters.skipped }, series: this.series.size };
  }

  /** Forgets one series (e.g. a deleted resource). */
  forget(seriesKey: string): void {
    if (this.series.delete(seriesKey)) this.dirty.add(seriesKey);
  }

  /** A JSON-serialisable copy of every series' learned state in one value (the engine saves {@link snapshotParts} instead when the storage can). */
  snapshot(): unknown {
    const series: Record<string, SavedSeries> = {};
    for (const [key, entry] of this.series) series[key] = this.save(entry);
    return { version: SNAPSHOT_VERSION, strategy: this.strategy.name, series };
  }

  /** Restores a snapshot taken by `snapshot()`; snapshots of another version or strategy, and unreadable series, are ignored. */
  restore(snapshot: unknown): void {
    if (typeof snapshot !== 'object' || snapshot === null) return;
    const data = snapshot as { version?: unknown; strategy?: unknown; series?: unknown };
    if (!this.readsHead(data) || typeof data.series !== 'object' || data.series === null) return;
    for (const [key, raw] of Object.entries(data.series as Record<string, unknown>)) this.load(key, raw);
  }

  /**
   * The state as one part per series (id: the series key; value: what `snapshot()` holds for it): every
   * series when `full`, else those changed or forgotten since the previous call (`null` for forgotten ones).
   */
  snapshotParts({ full }: { full: boolean }): AnalyzerStateParts {
    const changed = this.dirty;
    this.dirty = new Set();
    const series = this.series;
    const save = (entry: SeriesEntry) => this.save(entry);
    function* parts(): Generator<StatePart> {
      if (full) {
        for (const [id, entry] of series) yield { id, value: save(entry) };
        return;
      }
      for (const id of changed) {
        const entry = series.get(id);
        yield { id, value: entry === undefined ? null : save(entry) };
      }
    }
    return { head: { version: SNAPSHOT_VERSION, strategy: this.strategy.name }, parts: parts() };
  }

  /** Restores parts written from {@link snapshotParts}; a head of another version or strategy, and unreadable series, are ignored. */
  restoreParts(head: unknown): ((part: StatePart) => void) | undefined {
    if (typeof head !== 'object' || head === null || !this.readsHead(head as { version?: unknown; strategy?: unknown }))
      return undefined;
    return (part) => this.load(part.id, part.value);
  }

  private readsHead(head: { version?: unknown; strategy?: unknown }): boolean {
    return head.version === SNAPSHOT_VERSION && head.strategy === this.strategy.name;
  }

  private save(entry: SeriesEntry): SavedSeries {
    return {
      state: this.strategy.serialize(entry.state),
      lastTimestamp: entry.lastTimestamp,
      lastFinding: Number.isFinite(entry.lastFinding) ? entry.lastFinding : null,
    };
  }

  /** Loads one saved series; unreadable ones are skipped. Restored series are not changes to save. */
  private load(key: string, raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const saved = raw as { state?: unknown; lastTimestamp?: unknown; lastFinding?: unknown };
    const state = this.strategy.deserialize(saved.state);
    if (state === undefined || typeof saved.lastTimestamp !== 'number') return;
    this.series.set(key, {
      state,
      lastTimestamp: saved.lastTimestamp,
      lastFinding: typeof saved.lastFinding === 'number' ? saved.lastFinding : -Infinity,
    });
    this.dirty.delete(key);
  }

  private emitResource(resource: string, findings: AnalyzerFinding[]): void {
    const pending = this.pending.get(resource)!;
    this.pending.delete(resource);
    const last = this.resourceFindings.get(resource) ?? -Infinity;
    if (pending.timestamp - last < this.options.dedupeMs) return;
    this.resourceFindings.set(resource, pending.timestamp);
    findings.push(resourceAnomalyFinding(resource, pending.timestamp, pending, this.options.maxContributors));
  }

  private check(seriesKey: string, timestamp: number, value: number): SkipReason | undefined {
    if (typeof value !== 'number' || !Number.isFinite(value)) return 'invalid-value';
    if (typeof timestamp !== 'number' || !Number.isFinite(timestamp)) return 'invalid-timestamp';
    const last = this.series.get(seriesKey)?.lastTimestamp;
    if (last === undefined) return undefined;
    if (timestamp < last) return 'out-of-order';
    if (timestamp === last) return 'duplicate-timestamp';
    return undefined;
  }
}
