import type { Finding, FindingKind } from '../schemas/finding.js';
import type { SeriesPoint } from '../schemas/records.js';
import type { HistoryRecord, RemediationOutcome } from '../schemas/remediation.js';
import type { Resource, ResourceType } from '../schemas/resource.js';
import type { CallOptions, ComponentHealth } from './common.js';

/** Filter for {@link Storage.queryFindings}. Every field is optional; results are ordered by timestamp ascending. */
export interface FindingQuery extends CallOptions {
  resource?: string;
  kind?: FindingKind;
  /** Inclusive lower bound (epoch ms). */
  from?: number;
  /** Exclusive upper bound (epoch ms). */
  to?: number;
  /** At most this many (the most recent ones when more match). @default 1000 */
  limit?: number;
}

/** Filter for {@link Storage.rangePoints}. */
export interface PointRangeQuery extends CallOptions {
  series: string;
  /** Inclusive lower bound (epoch ms). */
  from?: number;
  /** Exclusive upper bound (epoch ms). */
  to?: number;
  /** At most this many (the most recent ones when more match), returned in time order. */
  limit?: number;
}

/** Filter for {@link Storage.readHistory}. Results are ordered by `seq` ascending. */
export interface HistoryQuery extends CallOptions {
  resource?: string;
  remediationId?: string;
  outcome?: RemediationOutcome;
  from?: number;
  to?: number;
  /** Only records with `seq` greater than this. */
  afterSeq?: number;
  /** Only records with `seq` less than this (the cursor for paging back from the newest end). */
  beforeSeq?: number;
  /** At most this many. Adapters apply it in the query, so only the page is read. */
  limit?: number;
  /**
   * With `limit`: the newest `limit` matches instead of the oldest (still returned in `seq` order).
   * @default false
   */
  latest?: boolean;
}

/** Filter for {@link Storage.listResources}. */
export interface ResourceQuery extends CallOptions {
  type?: ResourceType;
}

/** One part of a chunked state value, e.g. one series of an analyzer. */
export interface StatePart {
  /** Part id, unique within its state key (1–2048 characters). Parts are read back in id order (binary). */
  id: string;
  /** A JSON-serialisable value; `null` deletes the part (in an incremental write). */
  value: unknown;
}

/** A new version of a chunked state value, written with {@link Storage.writeStateParts}. */
export interface StatePartsWrite extends CallOptions {
  /** The state key (1–256 characters, no control characters). */
  key: string;
  /** A small JSON value saved with the version (format version, settings): read back before the parts. */
  head: unknown;
  /**
   * The parts, in batches. The adapter pulls them lazily, one batch at a time, and writes each batch in its
   * own statement or transaction, so memory stays bounded by one batch. A part id repeated in one write keeps
   * its last value.
   */
  batches: AsyncIterable<readonly StatePart[]> | Iterable<readonly StatePart[]>;
  /**
   * `true`: the new version holds exactly these parts (every other part is dropped). `false`: the parts are
   * changes on top of the current version (parts not written are kept; `null` deletes one).
   */
  replace: boolean;
}

/** What {@link Storage.writeStateParts} wrote. */
export interface StatePartsWriteResult {
  /** The version now current for the key (increasing). */
  version: number;
  /** Parts written in this version (deletions included). */
  parts: number;
}

/** A chunked state value read with {@link Storage.readStateParts}. */
export interface StoredStateParts {
  /** The version's head value. */
  head: unknown;
  /** The version's current parts in id order, in batches read lazily (memory bounded by one batch). */
  batches: AsyncIterable<StatePart[]>;
}

/**
 * Where the engine keeps findings, series points, the remediation history, the inventory and analyzer state.
 * Implementations: `MemoryStorage` (core), `@iac-dharma/storage-sqlite`, `@iac-dharma/storage-postgres`.
 * All of them pass the conformance suite in `@iac-dharma/core/testing`.
 */
export interface Storage {
  readonly specificationVersion: 'v1';
  /** Adapter name for health reports, e.g. `sqlite`. */
  readonly name: string;

  /** Saves findings; saving a finding with an existing id replaces it. */
  saveFindings(options: { findings: readonly Finding[] } & CallOptions): Promise<void>;
  queryFindings(query: FindingQuery): Promise<Finding[]>;

  /** Appends series points. Points with the same series and timestamp replace each other. */
  appendPoints(options: { points: readonly SeriesPoint[] } & CallOptions): Promise<void>;
  rangePoints(query: PointRangeQuery): Promise<SeriesPoint[]>;

  /**
   * Appends one record to the remediation history. The history is append-only: `seq` must be exactly one
   * more than the last stored record's (a conflict throws `StorageError`). Adapters never rewrite records.
   */
  appendHistory(options: { record: HistoryRecord } & CallOptions): Promise<void>;
  readHistory(query: HistoryQuery): Promise<HistoryRecord[]>;

  /** Creates or replaces an inventory resource. */
  putResource(options: { resource: Resource } & CallOptions): Promise<void>;
  getResource(options: { id: string } & CallOptions): Promise<Resource | undefined>;
  listResources(query: ResourceQuery): Promise<Resource[]>;
  /** Deletes a resource; resolves `true` when it existed. */
  deleteResource(options: { id: string } & CallOptions): Promise<boolean>;

  /** Saves a JSON-serialisable state value (analyzer snapshots, learner state) under a key. */
  putState(options: { key: string; value: unknown } & CallOptions): Promise<void>;
  getState(options: { key: string } & CallOptions): Promise<unknown | undefined>;

  /**
   * Writes a new version of a chunked state value (the engine saves analyzer state this way, one part per
   * series, so no row grows with the number of series and a snapshot can write only what changed).
   * Atomic: until the call resolves, readers (and a process restarted after a crash at any point, even
   * kill -9) see the previous complete version; afterwards, the new one. A failed or aborted write leaves
   * the previous version. Committing a version removes a plain {@link putState} value of the same key.
   * One writer per key at a time: a concurrent write to the same key is refused with `StorageError`.
   * Optional for adapters written before it (the engine then saves one value with `putState`); the
   * adapters of this SDK implement it, and the conformance suite checks it when present.
   */
  writeStateParts?(write: StatePartsWrite): Promise<StatePartsWriteResult>;
  /**
   * The current version of a chunked state value, or `undefined` when the key has none (a value saved with
   * {@link putState} is read with `getState`). Parts are read in batches of `batchSize` (default 1000).
   */
  readStateParts?(options: { key: string; batchSize?: number } & CallOptions): Promise<StoredStateParts | undefined>;

  health(): Promise<ComponentHealth>;
  /** Flushes and releases connections/files. Further calls reject with `StateError`. */
  close(): Promise<void>;
}
