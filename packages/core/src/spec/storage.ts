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

  health(): Promise<ComponentHealth>;
  /** Flushes and releases connections/files. Further calls reject with `StateError`. */
  close(): Promise<void>;
}
