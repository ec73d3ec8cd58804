import type { IngestRecord } from '@iac-dharma/core/kernel';

/** One resource's assembled history. */
export interface ResourceHistory {
  resource: string;
  /** Complete rows, oldest first, at most the window length. */
  history: number[][];
  /** Timestamp of the newest complete row. */
  timestamp: number;
  /** When the last finding was emitted (engine clock), `-Infinity` if never. */
  lastFindingAt: number;
  /** Rows still missing some metrics, by timestamp. */
  pending: Map<number, number[]>;
}

const MAX_PENDING = 64;

/**
 * Turns metric samples into multivariate rows per resource: samples of the mapped metrics that share a
 * timestamp form one row once every metric has arrived. Older incomplete rows are dropped when a newer
 * row completes (a sensor was missing at that time).
 */
export class FailureHistoryTracker {
  private metricIndex = new Map<string, number>();
  private width = 0;
  private length = 1;
  private readonly resources = new Map<string, ResourceHistory>();
  /** Incomplete rows dropped so far. */
  droppedRows = 0;

  /** Sets the metric names (in sensor order) and the window length. */
  configure(metrics: readonly string[], length: number): void {
    this.metricIndex = new Map(metrics.map((metric, index) => [metric, index]));
    this.width = metrics.length;
    this.length = length;
  }

  /** Adds samples; returns the resources that got at least one new complete row (each once). */
  add(records: readonly IngestRecord[]): ResourceHistory[] {
    const updated = new Set<ResourceHistory>();
    for (const record of records) {
      if (record.kind !== 'metric') continue;
      const index = this.metricIndex.get(record.metric);
      if (index === undefined) continue;
      const state = this.state(record.resource);
      if (state.history.length > 0 && record.timestamp <= state.timestamp) continue; // late sample of a finished row
      let row = state.pending.get(record.timestamp);
      if (!row) {
        row = new Array<number>(this.width).fill(Number.NaN);
        state.pending.set(record.timestamp, row);
        if (state.pending.size > MAX_PENDING) {
          const oldest = Math.min(...state.pending.keys());
          state.pending.delete(oldest);
          this.droppedRows++;
        }
      }
      row[index] = record.value;
      if (row.every((value) => !Number.isNaN(value))) {
        for (const timestamp of [...state.pending.keys()]) {
          if (timestamp < record.timestamp) (state.pending.delete(timestamp), this.droppedRows++);
        }
        state.pending.delete(record.timestamp);
        state.history.push(row);
        if (state.history.length > this.length) state.history.splice(0, state.history.length - this.length);
        state.timestamp = record.timestamp;
        updated.add(state);
      }
    }
    return [...updated];
  }

  /** JSON-serialisable histories. */
  snapshot(): unknown {
    return {
      version: 1,
      resources: [...this.resources.values()].map((state) => ({
        resource: state.resource,
        history: state.history,
        timestamp: state.timestamp,
      })),
    };
  }

  /** Restores {@link snapshot} output; ignores anything else. */
  restore(state: unknown): void {
    const value = state as {
      version?: number;
      resources?: Array<{ resource: string; history: number[][]; timestamp: number }>;
    };
    if (value?.version !== 1 || !Array.isArray(value.resources)) return;
    for (const saved of value.resources) {
      if (typeof saved?.resource !== 'string' || !Array.isArray(saved.history)) continue;
      this.resources.set(saved.resource, {
        resource: saved.resource,
        history: saved.history,
        timestamp: saved.timestamp,
        lastFindingAt: -Infinity,
        pending: new Map(),
      });
    }
  }

  private state(resource: string): ResourceHistory {
    let state = this.resources.get(resource);
    if (!state)
      this.resources.set(
        resource,
        (state = { resource, history: [], timestamp: -Infinity, lastFindingAt: -Infinity, pending: new Map() }),
      );
    return state;
  }
}
