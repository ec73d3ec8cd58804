import { anomalyWeight, type AnomalyContext } from './anomaly-context.js';
import { metricFamily, robustLevel } from './metric-change.js';
import type { RootCauseAnalyzerOptions, RootCauseMethod } from './root-cause-options.js';

/** Node → raw score (higher = more likely the root cause). Every graph node gets a score. */
export type NodeScores = Map<string, number>;

const log1p = (value: number): number => Math.log1p(Math.max(0, value));

/** Nodes the target does not call can still be blamed, but only after every reachable one. */
function demoteUnreachable(context: AnomalyContext, scores: NodeScores): NodeScores {
  let floor = Number.POSITIVE_INFINITY;
  for (const node of context.reachable.keys()) floor = Math.min(floor, scores.get(node) ?? 0);
  for (const node of context.graph.nodes) {
    if (!context.reachable.has(node))
      scores.set(node, Math.min(floor, 0) - 1 + anomalyWeight(context.anomaly.get(node) ?? 0, 1) * 0.5);
  }
  return scores;
}

/** Largest change of any metric, ignoring the graph. */
export function rankByMaxChange(context: AnomalyContext): NodeScores {
  return new Map(context.graph.nodes.map((node) => [node, context.anomaly.get(node) ?? 0]));
}

/** The dataset authors' walk: follow anomalous callees from the target; anomalous dead ends come first. */
export function rankByTraversal(context: AnomalyContext, options: RootCauseAnalyzerOptions): NodeScores {
  const anomalous = (node: string): boolean => (context.anomaly.get(node) ?? 0) > options.threshold;
  const visited = new Set<string>([context.target.node]);
  const stack = [context.target.node];
  while (stack.length > 0) {
    const node = stack.pop()!;
    for (const callee of context.graph.callees(node)) {
      if (!visited.has(callee) && anomalous(callee)) {
        visited.add(callee);
        stack.push(callee);
      }
    }
  }
  const scores: NodeScores = new Map();
  for (const node of context.graph.nodes) {
    const own = anomalyWeight(context.anomaly.get(node) ?? 0, options.threshold);
    let tier = 0;
    if (visited.has(node) && anomalous(node)) tier = context.graph.callees(node).some(anomalous) ? 2 : 3;
    else if (visited.has(node)) tier = 1;
    scores.set(node, tier + own);
  }
  return demoteUnreachable(context, scores);
}

/**
 * Blame: anomalous, reached from the target through anomalous callers, and not explained by an anomalous callee
 * in the target's metric family.
 */
export function rankByBlame(context: AnomalyContext, options: RootCauseAnalyzerOptions): NodeScores {
  const weightOf = (node: string): number => anomalyWeight(context.familyAnomaly.get(node) ?? 0, options.threshold);
  const scores: NodeScores = new Map();
  for (const node of context.graph.nodes) {
    const own = context.anomaly.get(node) ?? 0;
    const mine = context.familyChange.get(node);
    // A callee explains this node's change only as far as its own change (same unit) is as large.
    let explained = 0;
    for (const callee of context.graph.callees(node)) {
      const theirs = context.familyChange.get(callee);
      const ratio =
        mine === undefined || theirs === undefined || mine.delta === 0
          ? mine === undefined
            ? 1
            : 0
          : Math.min(1, Math.max(0, theirs.delta / mine.delta));
      explained = Math.max(explained, weightOf(callee) * (options.explainByMagnitude ? ratio : 1));
    }
    // Counterfactual coverage: anomalous nodes that call this one (directly or not) would recover if it did.
    let coverage = 0;
    const seen = new Set<string>([node]);
    const queue = [node];
    for (let head = 0; head < queue.length; head += 1) {
      for (const caller of context.graph.callers(queue[head]!)) {
        if (seen.has(caller)) continue;
        seen.add(caller);
        queue.push(caller);
        if (caller !== context.target.node) coverage += weightOf(caller);
      }
    }
    const path = anomalyWeight(context.bottleneck.get(node) ?? 0, options.threshold);
    // A node whose callees are observed and normal is confirmed as the origin; a leaf may hide unmodelled callees.
    const evidence = context.graph.callees(node).length === 0 ? options.leafWeight : 1;
    scores.set(node, path * (1 - explained) * evidence * log1p(own) * (1 + options.coverageWeight * coverage));
  }
  return demoteUnreachable(context, scores);
}

/** Personalised PageRank from the symptom towards its anomalous callees (MicroRCA / MonitorRank family). */
export function rankByPageRank(context: AnomalyContext, options: RootCauseAnalyzerOptions): NodeScores {
  const nodes = [...context.reachable.keys()];
  const weight = new Map(nodes.map((node) => [node, anomalyWeight(context.anomaly.get(node) ?? 0, options.threshold)]));
  const total = nodes.reduce((sum, node) => sum + weight.get(node)!, 0) || 1;
  const personal = new Map(nodes.map((node) => [node, weight.get(node)! / total]));
  let rank = new Map(personal);
  const damping = 0.85;
  for (let iteration = 0; iteration < 60; iteration += 1) {
    const next = new Map(nodes.map((node) => [node, (1 - damping) * personal.get(node)!]));
    for (const node of nodes) {
      const mass = rank.get(node)!;
      // Out-links: anomalous callees (forward), a self-loop for unexplained anomaly, weak back-links to callers.
      const links: [string, number][] = [];
      for (const callee of context.graph.callees(node)) links.push([callee, weight.get(callee) ?? 0]);
      const calleeMax = links.reduce((max, [, w]) => Math.max(max, w), 0);
      links.push([node, weight.get(node)! * (1 - calleeMax)]);
      for (const caller of context.graph.callers(node))
        if (weight.has(caller)) links.push([caller, 0.1 * weight.get(caller)!]);
      const sum = links.reduce((acc, [, w]) => acc + w, 0);
      if (sum === 0) {
        next.set(node, next.get(node)! + damping * mass);
        continue;
      }
      for (const [to, w] of links) next.set(to, next.get(to)! + (damping * mass * w) / sum);
    }
    rank = next;
  }
  return demoteUnreachable(context, new Map(context.graph.nodes.map((node) => [node, rank.get(node) ?? 0])));
}

/** The main metric of a family at a node: the bare family name if present, else its first metric. */
function familyMetric(context: AnomalyContext, node: string, family: string): string | undefined {
  const values = context.metrics.get(node)?.values;
  if (values === undefined) return undefined;
  if (family in values) return family;
  return Object.keys(values).find((metric) => metricFamily(metric) === family);
}

/** Solves (XᵀX + λI) w = Xᵀy by Gaussian elimination; X rows already standardised. */
function ridgeSolve(rows: number[][], targets: number[], lambda: number): number[] {
  const width = rows[0]?.length ?? 0;
  const matrix = Array.from({ length: width }, (_, i) =>
    Array.from({ length: width + 1 }, (_, j) => (i === j ? lambda : 0)),
  );
  rows.forEach((row, r) => {
    for (let i = 0; i < width; i += 1) {
      for (let j = 0; j < width; j += 1) matrix[i]![j]! += row[i]! * row[j]!;
      matrix[i]![width]! += row[i]! * targets[r]!;
    }
  });
  for (let col = 0; col < width; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < width; r += 1) if (Math.abs(matrix[r]![col]!) > Math.abs(matrix[pivot]![col]!)) pivot = r;
    [matrix[col], matrix[pivot]] = [matrix[pivot]!, matrix[col]!];
    const lead = matrix[col]![col]!;
    for (let r = 0; r < width; r += 1) {
      if (r === col) continue;
      const factor = matrix[r]![col]! / lead;
      for (let j = col; j <= width; j += 1) matrix[r]![j]! -= factor * matrix[col]![j]!;
    }
  }
  return matrix.map((row, i) => row[width]! / row[i]!);
}

/**
 * CIRCA-style regression: each node's metric is regressed on its callees' metrics (same family) over the
 * baseline; the score is how far the incident departs from what the callees explain.
 */
export function rankByRegression(context: AnomalyContext, options: RootCauseAnalyzerOptions): NodeScores | undefined {
  const baseline = context.baseline;
  if (baseline === undefined) return undefined;
  const families = new Set<string>([context.targetFamily]);
  const scores: NodeScores = new Map();
  let fitted = false;
  for (const node of context.graph.nodes) {
    let best = 0;
    for (const family of families) {
      const metric = familyMetric(context, node, family);
      const normal = metric === undefined ? undefined : baseline.get(node)?.values[metric];
      const window = metric === undefined ? undefined : context.metrics.get(node)?.values[metric];
      if (metric === undefined || normal === undefined || window === undefined) continue;
      const inputs = context.graph
        .callees(node)
        .map((callee) => {
          const calleeMetric = familyMetric(context, callee, family);
          if (calleeMetric === undefined) return undefined;
          return {
            normal: baseline.get(callee)?.values[calleeMetric],
            window: context.metrics.get(callee)?.values[calleeMetric],
          };
        })
        .filter(
          (input): input is { normal: ReadonlyArray<number | null>; window: ReadonlyArray<number | null> } =>
            input?.normal !== undefined && input.window !== undefined,
        );
      // Standardise each input by its baseline level and spread; missing values become the level (no change).
      const stats = inputs.map((input) => {
        const values = input.normal.filter((value): value is number => value !== null && Number.isFinite(value));
        const { level, spread } = values.length > 1 ? robustLevel(values) : { level: 0, spread: 1 };
        return { level, spread: spread || 1 };
      });
      const features = (source: 'normal' | 'window', row: number): number[] =>
        inputs.map((input, i) => {
          const value = input[source][row];
          return value === null || value === undefined || !Number.isFinite(value)
            ? 0
            : (value - stats[i]!.level) / stats[i]!.spread;
        });
      const X: number[][] = [];
      const y: number[] = [];
      normal.forEach((value, row) => {
        if (value !== null && Number.isFinite(value)) {
          X.push(features('normal', row));
          y.push(value);
        }
      });
      if (y.length < options.minBaselineRows) continue;
      const mean = y.reduce((sum, value) => sum + value, 0) / y.length;
      const centred = y.map((value) => value - mean);
      const weights = inputs.length === 0 ? [] : ridgeSolve(X, centred, options.ridge * y.length * 0.01);
      const predict = (row: number[]): number => mean + row.reduce((sum, value, i) => sum + value * weights[i]!, 0);
      const residuals = X.map((row, r) => y[r]! - predict(row));
      const { spread } = robustLevel(residuals);
      const scale = Math.max(spread, options.relativeFloor * Math.abs(mean), options.absoluteFloor);
      const direction = context.directionOf(metric);
      for (const row of context.rows.after) {
        const value = window[row];
        if (value === null || value === undefined || !Number.isFinite(value)) continue;
        const raw = (value - predict(features('window', row))) / scale;
        best = Math.max(best, direction === 'up' ? raw : direction === 'down' ? -raw : Math.abs(raw));
      }
      fitted = true;
    }
    const path = anomalyWeight(context.bottleneck.get(node) ?? 0, options.threshold);
    scores.set(node, path * log1p(best));
  }
  return fitted ? demoteUnreachable(context, scores) : undefined;
}

/** Dispatches to a method; `regression` falls back to `blame` without enough baseline. */
export function rankNodes(
  context: AnomalyContext,
  method: RootCauseMethod,
  options: RootCauseAnalyzerOptions,
): { scores: NodeScores; method: RootCauseMethod } {
  switch (method) {
    case 'max-change':
      return { scores: rankByMaxChange(context), method };
    case 'traversal':
      return { scores: rankByTraversal(context, options), method };
    case 'pagerank':
      return { scores: rankByPageRank(context, options), method };
    case 'regression': {
      const scores = rankByRegression(context, options);
      return scores === undefined ? { scores: rankByBlame(context, options), method: 'blame' } : { scores, method };
    }
    default:
      return { scores: rankByBlame(context, options), method: 'blame' };
  }
}
