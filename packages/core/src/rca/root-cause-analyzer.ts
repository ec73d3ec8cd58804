import { ValidationError } from '../errors/validation-error.js';
import { buildAnomalyContext, pathToTarget, type RootCauseTarget } from './anomaly-context.js';
import type { MetricChange, NodeMetrics } from './metric-change.js';
import { rankNodes } from './ranking-methods.js';
import {
  RootCauseAnalyzerOptionsSchema,
  type RootCauseAnalyzerOptions,
  type RootCauseAnalyzerOptionsInput,
  type RootCauseMethod,
} from './root-cause-options.js';
import type { ServiceGraph } from './service-graph.js';

/** What to explain, and with what. */
export interface RootCauseInput {
  /** Who calls whom. */
  graph: ServiceGraph;
  /** Per-node metrics around the incident (a window that includes some time before it, if possible). */
  metrics: ReadonlyMap<string, NodeMetrics> | Readonly<Record<string, NodeMetrics>>;
  /** Per-node metrics of normal operation: spreads come from here, and `regression` fits on it. */
  baseline?: ReadonlyMap<string, NodeMetrics> | Readonly<Record<string, NodeMetrics>> | undefined;
  /** The symptom. */
  target: RootCauseTarget;
  /** Overrides the analyzer's method for this call. */
  method?: RootCauseMethod;
}

/** One ranked root-cause candidate. */
export interface RootCauseCandidate {
  node: string;
  /** 1-based rank. */
  rank: number;
  /** Relative strength in [0, 1] (1 = the top candidate's score). */
  score: number;
  /** The anomalous call path from this node up to the target, `[node, ..., target]`; `[node]` if none. */
  path: string[];
  /** Its metrics that moved most (strongest first, at most five). */
  changes: MetricChange[];
  /** One sentence for humans. */
  explanation: string;
}

/** The ranking for one symptom. */
export interface RootCauseResult {
  target: RootCauseTarget;
  /** The method that produced the ranking (after any fallback). */
  method: RootCauseMethod;
  /** Every graph node, most likely root cause first, cut to `maxCandidates`. */
  candidates: RootCauseCandidate[];
  /** The full order of every node (for scoring top-k beyond `maxCandidates`). */
  ranking: string[];
}

function toMap(source: RootCauseInput['metrics'] | undefined): ReadonlyMap<string, NodeMetrics> | undefined {
  if (source === undefined) return undefined;
  return source instanceof Map ? source : new Map(Object.entries(source as Record<string, NodeMetrics>));
}

function formatChange(change: MetricChange): string {
  const relative =
    change.before === 0
      ? ''
      : ` (${change.delta >= 0 ? '+' : ''}${((change.delta / Math.abs(change.before)) * 100).toFixed(0)}%)`;
  const digits = (value: number): string => (Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3));
  return `${change.metric} ${digits(change.before)} → ${digits(change.after)}${relative}`;
}

/**
 * Ranks the nodes of a service graph by how likely each started a symptom observed at a target node: which
 * component made the entry service slow or unavailable. Browser-safe; the method is chosen by options.
 */
export class RootCauseAnalyzer {
  readonly options: RootCauseAnalyzerOptions;

  constructor(options: RootCauseAnalyzerOptionsInput = {}) {
    const parsed = RootCauseAnalyzerOptionsSchema.safeParse(options);
    if (!parsed.success) throw ValidationError.fromZod(parsed.error, 'options');
    this.options = parsed.data;
  }

  /** Ranks every node of `input.graph` as a root cause of `input.target`. */
  analyze(input: RootCauseInput): RootCauseResult {
    const { graph, target } = input;
    if (!graph.has(target.node)) {
      throw new ValidationError(`target.node: "${target.node}" is not a node of the graph`, [
        { path: 'target.node', message: 'must be a node of the graph', code: 'custom' },
      ]);
    }
    if (!Number.isFinite(target.time)) {
      throw new ValidationError('target.time: must be a finite timestamp', [
        { path: 'target.time', message: 'must be a finite timestamp', code: 'custom' },
      ]);
    }
    const context = buildAnomalyContext(graph, toMap(input.metrics)!, toMap(input.baseline), target, this.options);
    const { scores, method } = rankNodes(context, input.method ?? this.options.method, this.options);
    const order = graph.nodes.map((node, index) => ({ node, index, score: scores.get(node) ?? 0 }));
    // Ties break on anomaly, then on hop distance from the target (closer first), never on names.
    order.sort(
      (a, b) =>
        b.score - a.score ||
        (context.anomaly.get(b.node) ?? 0) - (context.anomaly.get(a.node) ?? 0) ||
        (context.reachable.get(a.node) ?? 1e9) - (context.reachable.get(b.node) ?? 1e9) ||
        a.index - b.index,
    );
    const top = Math.max(order[0]?.score ?? 0, 0);
    const candidates = order.slice(0, this.options.maxCandidates).map((entry, index): RootCauseCandidate => {
      const path = pathToTarget(context, entry.node);
      const changes = (context.changes.get(entry.node) ?? []).filter((change) => change.score > 0).slice(0, 5);
      const moved = changes.filter((change) => change.score >= this.options.threshold).map(formatChange);
      const route =
        path.length > 1
          ? `; path ${path.join(' → ')}`
          : entry.node === target.node
            ? ''
            : `; no anomalous path to ${target.node}`;
      return {
        node: entry.node,
        rank: index + 1,
        score: top > 0 ? Math.max(0, entry.score) / top : 0,
        path,
        changes,
        explanation: `${entry.node}: ${moved.length > 0 ? moved.join(', ') : 'no metric moved beyond normal'}${route}`,
      };
    });
    return { target, method, candidates, ranking: order.map((entry) => entry.node) };
  }
}
