import type { RootCauseTarget } from './anomaly-context.js';
import { splitRows, type NodeMetrics } from './metric-change.js';

/** One incident window: per-node metrics and the time its symptom was observed. */
export interface IncidentWindow {
  metrics: ReadonlyMap<string, NodeMetrics>;
  target: Pick<RootCauseTarget, 'time'>;
}

/**
 * A baseline assembled from the pre-incident rows of several incident windows — for systems without a
 * recording of normal operation, where each incident's window still starts before its symptom.
 */
export function pooledBaseline(windows: Iterable<IncidentWindow>): Map<string, NodeMetrics> {
  const pooled = new Map<string, { timestamps: number[]; values: Record<string, Array<number | null>> }>();
  for (const window of windows) {
    for (const [node, series] of window.metrics) {
      const { before } = splitRows(series.timestamps, window.target.time, 1);
      if (before.length === 0) continue;
      let entry = pooled.get(node);
      if (entry === undefined) {
        entry = { timestamps: [], values: {} };
        pooled.set(node, entry);
      }
      const offset = entry.timestamps.length;
      for (const row of before) entry.timestamps.push(series.timestamps[row]!);
      for (const [metric, values] of Object.entries(series.values)) {
        const target = (entry.values[metric] ??= new Array<number | null>(offset).fill(null));
        while (target.length < offset) target.push(null);
        for (const row of before) target.push(values[row] ?? null);
      }
      for (const values of Object.values(entry.values))
        while (values.length < entry.timestamps.length) values.push(null);
    }
  }
  return pooled;
}
