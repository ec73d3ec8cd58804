import { StateError, StorageError } from '../errors/errors.js';
import type { Finding } from '../schemas/finding.js';
import type { SeriesPoint } from '../schemas/records.js';
import type { HistoryRecord } from '../schemas/remediation.js';
import type { Resource } from '../schemas/resource.js';
import type { ComponentHealth } from '../spec/common.js';
import type {
  FindingQuery,
  HistoryQuery,
  PointRangeQuery,
  ResourceQuery,
  StatePart,
  StatePartsWrite,
  StatePartsWriteResult,
  Storage,
  StoredStateParts,
} from '../spec/storage.js';
import { storageInput } from './storage-input.js';

/**
 * The data a {@link MemoryStorage} holds. Pass the same store to a new `MemoryStorage` to "reopen" it
 * (useful in tests of restart behaviour).
 */
export interface MemoryStore {
  findings: Map<string, Finding>;
  series: Map<string, Map<number, number>>;
  history: HistoryRecord[];
  resources: Map<string, Resource>;
  state: Map<string, string>;
  /** Chunked state values (see `Storage.writeStateParts`): head and parts as JSON text. Created on first use when absent. */
  stateParts?: Map<string, MemoryStateParts>;
}

/** One chunked state value of a {@link MemoryStore}. */
export interface MemoryStateParts {
  version: number;
  head: string;
  parts: Map<string, string>;
}

/** Options of {@link MemoryStorage}. */
export interface MemoryStorageOptions {
  /** Existing data to reopen. @default a new empty store */
  store?: MemoryStore;
}

/** Creates an empty {@link MemoryStore}. */
export function createMemoryStore(): MemoryStore {
  return {
    findings: new Map(),
    series: new Map(),
    history: [],
    resources: new Map(),
    state: new Map(),
    stateParts: new Map(),
  };
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

function takeLast<T>(items: T[], limit: number | undefined): T[] {
  return limit !== undefined && items.length > limit ? items.slice(items.length - limit) : items;
}

/** In-memory {@link Storage}: no dependencies, nothing survives the process. The default in browsers and tests. */
export class MemoryStorage implements Storage {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'memory';
  /** The underlying data (exposed so tests can inspect or tamper with it). */
  readonly store: MemoryStore;
  private closed = false;
  private readonly writingKeys = new Set<string>();

  constructor(options: MemoryStorageOptions = {}) {
    this.store = options.store ?? createMemoryStore();
  }

  private check(signal?: AbortSignal): void {
    if (this.closed) throw new StateError('MemoryStorage is closed: create a new one to keep using storage.');
    signal?.throwIfAborted();
  }

  async saveFindings({ findings, signal }: { findings: readonly Finding[]; signal?: AbortSignal }): Promise<void> {
    this.check(signal);
    storageInput.parseFindings(findings);
    for (const finding of findings) this.store.findings.set(finding.id, clone(finding));
  }

  async queryFindings(query: FindingQuery): Promise<Finding[]> {
    this.check(query.signal);
    storageInput.checkFindingQuery(query);
    const matches = [...this.store.findings.values()]
      .filter(
        (finding) =>
          (query.resource === undefined || finding.resource === query.resource) &&
          (query.kind === undefined || finding.kind === query.kind) &&
          (query.from === undefined || finding.timestamp >= query.from) &&
          (query.to === undefined || finding.timestamp < query.to),
      )
      .sort((a, b) => a.timestamp - b.timestamp || a.id.localeCompare(b.id));
    return takeLast(matches, query.limit ?? 1000).map(clone);
  }

  async appendPoints({ points, signal }: { points: readonly SeriesPoint[]; signal?: AbortSignal }): Promise<void> {
    this.check(signal);
    storageInput.parsePoints(points);
    for (const point of points) {
      let series = this.store.series.get(point.series);
      if (!series) this.store.series.set(point.series, (series = new Map()));
      series.set(point.timestamp, point.value);
    }
  }

  async rangePoints(query: PointRangeQuery): Promise<SeriesPoint[]> {
    this.check(query.signal);
    storageInput.checkPointRangeQuery(query);
    const series = this.store.series.get(query.series);
    if (!series) return [];
    const points: SeriesPoint[] = [];
    for (const [timestamp, value] of series) {
      if ((query.from === undefined || timestamp >= query.from) && (query.to === undefined || timestamp < query.to)) {
        points.push({ series: query.series, timestamp, value });
      }
    }
    points.sort((a, b) => a.timestamp - b.timestamp);
    return takeLast(points, query.limit);
  }

  async appendHistory({ record, signal }: { record: HistoryRecord; signal?: AbortSignal }): Promise<void> {
    this.check(signal);
    storageInput.parseHistoryRecord(record);
    const last = this.store.history.at(-1);
    const expected = (last?.seq ?? 0) + 1;
    if (record.seq !== expected) {
      throw new StorageError(`History is append-only: record seq ${record.seq} given, ${expected} expected.`);
    }
    this.store.history.push(clone(record));
  }

  async readHistory(query: HistoryQuery): Promise<HistoryRecord[]> {
    this.check(query.signal);
    storageInput.checkHistoryQuery(query);
    const matches = this.store.history.filter(
      (record) =>
        (query.resource === undefined || record.resource === query.resource) &&
        (query.remediationId === undefined || record.remediationId === query.remediationId) &&
        (query.outcome === undefined || record.outcome === query.outcome) &&
        (query.from === undefined || record.timestamp >= query.from) &&
        (query.to === undefined || record.timestamp < query.to) &&
        (query.afterSeq === undefined || record.seq > query.afterSeq) &&
        (query.beforeSeq === undefined || record.seq < query.beforeSeq),
    );
    if (query.limit === undefined) return matches.map(clone);
    return (
      query.latest ? matches.slice(Math.max(0, matches.length - query.limit)) : matches.slice(0, query.limit)
    ).map(clone);
  }

  async putResource({ resource, signal }: { resource: Resource; signal?: AbortSignal }): Promise<void> {
    this.check(signal);
    storageInput.parseResource(resource);
    this.store.resources.set(resource.id, clone(resource));
  }

  async getResource({ id, signal }: { id: string; signal?: AbortSignal }): Promise<Resource | undefined> {
    this.check(signal);
    const resource = this.store.resources.get(id);
    return resource && clone(resource);
  }

  async listResources(query: ResourceQuery): Promise<Resource[]> {
    this.check(query.signal);
    return [...this.store.resources.values()]
      .filter((resource) => query.type === undefined || resource.type === query.type)
      .sort((a, b) => a.id.localeCompare(b.id))
      .map(clone);
  }

  async deleteResource({ id, signal }: { id: string; signal?: AbortSignal }): Promise<boolean> {
    this.check(signal);
    return this.store.resources.delete(id);
  }

  async putState({ key, value, signal }: { key: string; value: unknown; signal?: AbortSignal }): Promise<void> {
    this.check(signal);
    // Stored as JSON, like the database adapters, so what round-trips here round-trips everywhere.
    this.store.state.set(storageInput.parseStateKey(key), storageInput.stateToJson(key, value));
  }

  async getState({ key, signal }: { key: string; signal?: AbortSignal }): Promise<unknown | undefined> {
    this.check(signal);
    const text = this.store.state.get(key);
    return text === undefined ? undefined : JSON.parse(text);
  }

  async writeStateParts(write: StatePartsWrite): Promise<StatePartsWriteResult> {
    this.check(write.signal);
    const key = storageInput.parseStateKey(write.key);
    const head = storageInput.stateToJson(key, write.head);
    const all = (this.store.stateParts ??= new Map());
    const base = all.get(key);
    const writing = this.writingKeys;
    if (writing.has(key))
      throw new StorageError(`Another write of chunked state "${key}" is in progress: one writer per key at a time.`);
    writing.add(key);
    try {
      // Staged aside and applied at the end in one synchronous step: a failure leaves the previous version.
      const staged = new Map<string, string | null>();
      for await (const batch of write.batches) {
        this.check(write.signal);
        for (const part of batch) {
          const { id, json } = storageInput.statePartToJson(key, part);
          staged.set(id, json);
        }
      }
      this.check(write.signal);
      const parts = write.replace || !base ? new Map<string, string>() : base.parts;
      for (const [id, json] of staged) {
        if (json === null) parts.delete(id);
        else parts.set(id, json);
      }
      const version = (base?.version ?? 0) + 1;
      all.set(key, { version, head, parts });
      this.store.state.delete(key);
      return { version, parts: staged.size };
    } finally {
      writing.delete(key);
    }
  }

  async readStateParts({
    key,
    batchSize,
    signal,
  }: {
    key: string;
    batchSize?: number;
    signal?: AbortSignal;
  }): Promise<StoredStateParts | undefined> {
    this.check(signal);
    const size = storageInput.parseStateBatchSize(batchSize);
    const stored = this.store.stateParts?.get(key);
    if (!stored) return undefined;
    // A copy of the version as read: a later write does not change what this read returns.
    const entries = [...stored.parts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const check = () => this.check(signal);
    async function* batches(): AsyncGenerator<StatePart[]> {
      for (let start = 0; start < entries.length; start += size) {
        check();
        yield entries.slice(start, start + size).map(([id, json]) => ({ id, value: JSON.parse(json) as unknown }));
      }
    }
    return { head: JSON.parse(stored.head) as unknown, batches: batches() };
  }

  async health(): Promise<ComponentHealth> {
    return this.closed ? { status: 'down', detail: 'closed' } : { status: 'ok' };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
