/**
 * Scores RootCauseAnalyzer methods on PetShop-format issues (top-1/3/5 by scenario, issue type and root cause).
 * Shared by the benchmark (petshop-rca.ts) and the quick validation command.
 */
import { performance } from 'node:perf_hooks';
import {
  pooledBaseline,
  RootCauseAnalyzer,
  type NodeMetrics,
  type RootCauseAnalyzerOptionsInput,
  type RootCauseMethod,
} from '@iac-dharma/core';
import type { PetshopScenario } from '@iac-dharma/core/node';

/** Where normal behaviour comes from. `noissue`: the scenario's normal recording (falls back to pooled). `pooled`: pre-incident rows of the scenario's issues. */
export type BaselineMode = 'noissue' | 'pooled' | 'none';

export interface HitCounts {
  n: number;
  top1: number;
  top3: number;
  top5: number;
}

export interface MethodEvaluation {
  method: RootCauseMethod;
  baseline: BaselineMode;
  overall: HitCounts;
  byScenario: Record<string, HitCounts>;
  byIssueType: Record<string, HitCounts>;
  byRootCause: Record<string, HitCounts>;
  /** Mean of the per-root-cause recalls: each distinct root cause counts once. */
  macroByRootCause: { top1: number; top3: number; top5: number };
  msPerIssue: number;
  misses: Array<{ id: string; rootCause: string; rank: number; top3: string[] }>;
}

const empty = (): HitCounts => ({ n: 0, top1: 0, top3: 0, top5: 0 });

function add(counts: HitCounts, rank: number): void {
  counts.n += 1;
  if (rank <= 1) counts.top1 += 1;
  if (rank <= 3) counts.top3 += 1;
  if (rank <= 5) counts.top5 += 1;
}

/** Baseline per scenario for a mode. */
export function baselineFor(scenario: PetshopScenario, mode: BaselineMode): Map<string, NodeMetrics> | undefined {
  if (mode === 'none') return undefined;
  if (mode === 'noissue' && scenario.baseline !== undefined) return scenario.baseline;
  return pooledBaseline(scenario.issues.map((issue) => ({ metrics: issue.metrics, target: issue.target })));
}

export function evaluate(
  scenarios: PetshopScenario[],
  method: RootCauseMethod,
  baseline: BaselineMode,
  filter: (id: string) => boolean = () => true,
  extra: RootCauseAnalyzerOptionsInput = {},
): MethodEvaluation {
  const analyzer = new RootCauseAnalyzer({ method, maxCandidates: 5, ...extra });
  const result: MethodEvaluation = {
    method,
    baseline,
    overall: empty(),
    byScenario: {},
    byIssueType: {},
    byRootCause: {},
    macroByRootCause: { top1: 0, top3: 0, top5: 0 },
    msPerIssue: 0,
    misses: [],
  };
  let elapsed = 0;
  for (const scenario of scenarios) {
    const normal = baselineFor(scenario, baseline);
    for (const issue of scenario.issues) {
      if (!filter(issue.id) || issue.rootCause === undefined) continue;
      const started = performance.now();
      const ranking = analyzer.analyze({
        graph: scenario.graph,
        metrics: issue.metrics,
        baseline: normal,
        target: issue.target,
      }).ranking;
      elapsed += performance.now() - started;
      const rank = ranking.indexOf(issue.rootCause) + 1 || ranking.length + 1;
      add(result.overall, rank);
      add((result.byScenario[scenario.name] ??= empty()), rank);
      add((result.byIssueType[issue.target.metric] ??= empty()), rank);
      add((result.byRootCause[issue.rootCause] ??= empty()), rank);
      if (rank > 1) result.misses.push({ id: issue.id, rootCause: issue.rootCause, rank, top3: ranking.slice(0, 3) });
    }
  }
  const causes = Object.values(result.byRootCause);
  for (const k of ['top1', 'top3', 'top5'] as const)
    result.macroByRootCause[k] = causes.reduce((sum, c) => sum + c[k] / c.n, 0) / (causes.length || 1);
  result.msPerIssue = elapsed / (result.overall.n || 1);
  return result;
}

export const recall = (counts: HitCounts): string =>
  `${(counts.top1 / counts.n).toFixed(2)}/${(counts.top3 / counts.n).toFixed(2)}/${(counts.top5 / counts.n).toFixed(2)}`;
