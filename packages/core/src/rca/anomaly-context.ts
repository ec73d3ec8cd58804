import {
  defaultDirection,
  measureChange,
  metricFamily,
  splitRows,
  type MetricChange,
  type MetricDirection,
  type NodeMetrics,
} from './metric-change.js';
import type { RootCauseAnalyzerOptions } from './root-cause-options.js';
import { reachableCallees, type ServiceGraph } from './service-graph.js';

/** The symptom to explain: a metric of a node at a time (same clock as the metrics' timestamps). */
export interface RootCauseTarget {
  node: string;
  metric: string;
  time: number;
}

/** Everything the ranking methods share: per-node changes, anomaly scores and anomalous paths. */
export interface AnomalyContext {
  graph: ServiceGraph;
  target: RootCauseTarget;
  targetFamily: string;
  /** Node → its metric changes, strongest first. */
  changes: Map<string, MetricChange[]>;
  /** Node → anomaly score (strongest weighted change, ≥ 0). */
  anomaly: Map<string, number>;
  /** Node → anomaly score of the target's metric family only. */
  familyAnomaly: Map<string, number>;
  /** Node → the strongest change in the target's metric family (its delta is in the metric's unit). */
  familyChange: Map<string, MetricChange>;
  /** Nodes the target calls, directly or not (with the target itself), and their hop distance. */
  reachable: Map<string, number>;
  /** Node → weakest anomaly along the most anomalous call path from the target down to it. */
  bottleneck: Map<string, number>;
  /** Node → its predecessor on that path (towards the target). */
  via: Map<string, string>;
  rows: { before: number[]; after: number[] };
  metrics: ReadonlyMap<string, NodeMetrics>;
  baseline: ReadonlyMap<string, NodeMetrics> | undefined;
  directionOf(metric: string): MetricDirection;
}

/** Probability-like squashing of an anomaly score: 0.5 at the threshold. */
export function anomalyWeight(score: number, threshold: number): number {
  return score <= 0 ? 0 : (score * score) / (score * score + threshold * threshold);
}

/** Measures every node's changes and the anomalous paths from the target. */
export function buildAnomalyContext(
  graph: ServiceGraph,
  metrics: ReadonlyMap<string, NodeMetrics>,
  baseline: ReadonlyMap<string, NodeMetrics> | undefined,
  target: RootCauseTarget,
  options: RootCauseAnalyzerOptions,
): AnomalyContext {
  const targetFamily = metricFamily(target.metric);
  const directionOf = (metric: string): MetricDirection =>
    options.directions[metric] ?? options.directions[metricFamily(metric)] ?? defaultDirection(metric);
  const changes = new Map<string, MetricChange[]>();
  const anomaly = new Map<string, number>();
  const familyAnomaly = new Map<string, number>();
  const familyChange = new Map<string, MetricChange>();
  const patterns = options.include.map((pattern) => new RegExp(pattern));
  const included = (metric: string): boolean =>
    patterns.length === 0 || patterns.some((pattern) => pattern.test(metric));
  const targetSeries = metrics.get(target.node);
  const rows = splitRows(targetSeries?.timestamps ?? [], target.time, options.horizonSteps);
  for (const node of graph.nodes) {
    const series = metrics.get(node);
    const list: MetricChange[] = [];
    if (series !== undefined) {
      const nodeRows = series === targetSeries ? rows : splitRows(series.timestamps, target.time, options.horizonSteps);
      for (const [metric, values] of Object.entries(series.values)) {
        if (!included(metric)) continue;
        const change = measureChange(
          metric,
          values,
          nodeRows,
          baseline?.get(node)?.values[metric],
          directionOf(metric),
          options,
        );
        if (change !== undefined) list.push(change);
      }
    }
    list.sort((a, b) => b.score - a.score);
    changes.set(node, list);
    let own = 0;
    let family = 0;
    for (const change of list) {
      const inFamily = metricFamily(change.metric) === targetFamily;
      if (inFamily && change.score > family) {
        family = change.score;
        familyChange.set(node, change);
      }
      own = Math.max(own, inFamily ? change.score : change.score * options.otherFamilyWeight);
    }
    anomaly.set(node, Math.max(0, own));
    familyAnomaly.set(node, Math.max(0, family));
  }
  const reachable = reachableCallees(graph, target.node);
  // Widest path (max over paths of the min anomaly) from the target down each call edge.
  const bottleneck = new Map<string, number>([[target.node, Number.POSITIVE_INFINITY]]);
  const via = new Map<string, string>();
  const settled = new Set<string>();
  for (;;) {
    let best: string | undefined;
    for (const [node, width] of bottleneck)
      if (!settled.has(node) && (best === undefined || width > bottleneck.get(best)!)) best = node;
    if (best === undefined) break;
    settled.add(best);
    for (const callee of graph.callees(best)) {
      const width = Math.min(bottleneck.get(best)!, anomaly.get(callee) ?? 0);
      if (!settled.has(callee) && width > (bottleneck.get(callee) ?? -1)) {
        bottleneck.set(callee, width);
        via.set(callee, best);
      }
    }
  }
  bottleneck.set(target.node, anomaly.get(target.node) ?? 0);
  return {
    graph,
    target,
    targetFamily,
    changes,
    anomaly,
    familyAnomaly,
    familyChange,
    reachable,
    bottleneck,
    via,
    rows,
    metrics,
    baseline,
    directionOf,
  };
}

/** The anomalous call path from `node` up to the target (`[node, ..., target]`), or `[node]` if unreachable. */
export function pathToTarget(context: AnomalyContext, node: string): string[] {
  const path = [node];
  let current = node;
  while (current !== context.target.node) {
    const previous = context.via.get(current);
    if (previous === undefined) return [node];
    path.push(previous);
    current = previous;
  }
  return path;
}
