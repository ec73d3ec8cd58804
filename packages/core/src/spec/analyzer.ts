import type { FindingInput } from '../schemas/finding.js';
import type { IngestRecord } from '../schemas/records.js';
import type { Clock, Logger } from './common.js';
import type { StatePart, Storage } from './storage.js';

/** What an analyzer gets besides its input. */
export interface AnalyzerContext {
  clock: Clock;
  logger: Logger;
  /** Read access to history (series points, findings, inventory). Analyzers never write through it. */
  storage: Storage;
  /** Makes a new unique finding id. */
  newId(): string;
}

/** `Omit` applied to each member of a union separately (plain `Omit` would flatten the union). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** Finding produced by an analyzer; the engine fills `id` and `analyzer` when missing. */
export type AnalyzerFinding = DistributiveOmit<FindingInput, 'id' | 'analyzer'> & { id?: string; analyzer?: string };

/** An analyzer's state split into parts, for chunked, incremental saving (see {@link Analyzer.snapshotParts}). */
export interface AnalyzerStateParts {
  /** A small JSON value describing the format (version, settings); restored first, see {@link Analyzer.restoreParts}. */
  head: unknown;
  /**
   * The parts (e.g. one per series), iterated lazily while they are written: every part for a full snapshot,
   * else the parts changed since the previous call, with `value: null` for parts removed since.
   */
  parts: Iterable<StatePart>;
}

/**
 * An analyzer turns records into findings. The engine routes each record to the analyzers whose `accepts`
 * includes its kind, in arrival order per series/resource, and persists and publishes what they return.
 *
 * Built in: `AnomalyDetector`, `CapacityForecaster` (core); `FailurePredictor`, `ThreatDetector` (models).
 */
export interface Analyzer {
  /**
   * Version of this contract the analyzer implements. Optional for analyzers written before it existed
   * (they are taken as `'v1'`); the built-in analyzers set it.
   */
  readonly specificationVersion?: 'v1';
  /** Unique name within an engine; also the key of its saved state. */
  readonly name: string;
  /** Record kinds this analyzer wants. */
  readonly accepts: ReadonlyArray<IngestRecord['kind']>;
  /** Analyses a batch of records (ordered by arrival; one series' records keep their order). */
  analyze(records: readonly IngestRecord[], context: AnalyzerContext): AnalyzerFinding[] | Promise<AnalyzerFinding[]>;
  /**
   * Periodic work (re-forecasting, model refresh). The engine calls it every `tickIntervalMs` while
   * started, and when `engine.tick()` is called.
   */
  tick?(context: AnalyzerContext): AnalyzerFinding[] | Promise<AnalyzerFinding[]>;
  /** How often the engine calls `tick`, in ms. */
  readonly tickIntervalMs?: number;
  /** A JSON-serialisable snapshot of what the analyzer has learned. */
  snapshot?(): unknown;
  /** Restores a snapshot taken by `snapshot()`; must tolerate (ignore) snapshots from other versions. */
  restore?(state: unknown): void;
  /**
   * Chunked snapshots, preferred by the engine over `snapshot()` when the storage has `writeStateParts`:
   * the state as a head and parts, so no stored value grows with the number of series. With `full: false`,
   * only the parts changed since the previous call (the engine asks for a full one when the stored state
   * may differ: first save, or after a failed one). Each call starts a new change set.
   */
  snapshotParts?(options: { full: boolean }): AnalyzerStateParts;
  /**
   * Begins restoring a chunked snapshot: returns the function the engine calls with each stored part, or
   * `undefined` to ignore a head of another version or format.
   */
  restoreParts?(head: unknown): ((part: StatePart) => void) | undefined;
  close?(): Promise<void> | void;
}
