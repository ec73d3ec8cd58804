/** Scores every RootCauseAnalyzer method on faults injected into random simulated service graphs. */
import { performance } from 'node:perf_hooks';
import { ROOT_CAUSE_METHODS, RootCauseAnalyzer, type RootCauseMethod } from '@iac-dharma/core';
import { simulateCallGraphIncident } from '@iac-dharma/core/simulator';
import type { HitCounts } from './petshop-eval.js';

export interface SimulatedEvaluation {
  incidents: number;
  methods: Array<{
    method: RootCauseMethod;
    overall: HitCounts;
    byFault: Record<string, HitCounts>;
    msPerIssue: number;
  }>;
}

export function evaluateSimulated(incidents = 200, firstSeed = 1000): SimulatedEvaluation {
  const cases = Array.from({ length: incidents }, (_, index) => simulateCallGraphIncident({ seed: firstSeed + index }));
  const methods = ROOT_CAUSE_METHODS.map((method) => {
    const analyzer = new RootCauseAnalyzer({ method, maxCandidates: 5 });
    const overall: HitCounts = { n: 0, top1: 0, top3: 0, top5: 0 };
    const byFault: Record<string, HitCounts> = {};
    let elapsed = 0;
    for (const incident of cases) {
      const started = performance.now();
      const { ranking } = analyzer.analyze(incident);
      elapsed += performance.now() - started;
      const rank = ranking.indexOf(incident.rootCause) + 1 || Number.POSITIVE_INFINITY;
      for (const counts of [overall, (byFault[incident.fault] ??= { n: 0, top1: 0, top3: 0, top5: 0 })]) {
        counts.n += 1;
        if (rank <= 1) counts.top1 += 1;
        if (rank <= 3) counts.top3 += 1;
        if (rank <= 5) counts.top5 += 1;
      }
    }
    return { method, overall, byFault, msPerIssue: elapsed / incidents };
  });
  return { incidents, methods };
}

if (process.argv[1]?.endsWith('simulated-faults.ts')) {
  const result = evaluateSimulated(Number(process.argv[2] ?? 200));
  const r = (c: HitCounts): string =>
    `${(c.top1 / c.n).toFixed(2)}/${(c.top3 / c.n).toFixed(2)}/${(c.top5 / c.n).toFixed(2)}`;
  for (const m of result.methods)
    console.log(
      `${m.method.padEnd(10)} ${r(m.overall)} ${Object.entries(m.byFault)
        .map(([f, c]) => `${f} ${r(c)}`)
        .join(' | ')} ${m.msPerIssue.toFixed(2)} ms`,
    );
}
