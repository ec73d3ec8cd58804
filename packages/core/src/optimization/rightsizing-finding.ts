import type { Severity } from '../schemas/common.js';
import type { AnalyzerFinding } from '../spec/analyzer.js';
import { insight } from './insight-finding-input.js';
import type { Recommendation, RecommendedAmount } from './resource-optimizer-options.js';

const GIB = 2 ** 30;
/** Memory risk at the current request above this makes the finding `high`: OOM kills are likely. */
const MEMORY_RISK_HIGH = 0.05;
/** CPU risk at the current request above this makes the finding `medium`: throttling is likely. */
const CPU_RISK_MEDIUM = 0.2;

/**
 * The `insight` finding (topic `rightsizing`) for a recommendation. Severity: `high` when memory is
 * under-provisioned (OOM risk at the current request > 5%, or a held OOM kill), `medium` when CPU is
 * (throttling risk > 20%), `low` when only savings are on offer, `info` when the current request is unknown.
 * Score: the largest relative change between current and target (capped at 1), or the risk when larger.
 */
export function rightsizingFinding(recommendation: Recommendation, now: number): AnalyzerFinding {
  const { cpu, memory, workload, replicas } = recommendation;
  const memoryRisk = memory.riskAtCurrent ?? 0;
  const cpuRisk = cpu.riskAtCurrent ?? 0;
  const knowsCurrent = cpu.current !== undefined || memory.current !== undefined;
  const severity: Severity =
    (memory.current !== undefined && memoryRisk > MEMORY_RISK_HIGH) || recommendation.lastOomAt !== undefined
      ? 'high'
      : cpu.current !== undefined && cpuRisk > CPU_RISK_MEDIUM
        ? 'medium'
        : knowsCurrent
          ? 'low'
          : 'info';
  const change = Math.max(relativeChange(cpu), relativeChange(memory));
  const score = Math.min(1, Math.max(change, memoryRisk, cpuRisk, recommendation.lastOomAt !== undefined ? 0.8 : 0));
  // Savings across all replicas, for the resources whose current request is known.
  const savings = {
    ...(cpu.savingsPerReplica === undefined ? {} : { cpuCores: cpu.savingsPerReplica * replicas }),
    ...(memory.savingsPerReplica === undefined ? {} : { memoryBytes: memory.savingsPerReplica * replicas }),
  };
  return insight({
    kind: 'insight',
    topic: 'rightsizing',
    resource: workload,
    timestamp: now,
    severity,
    score,
    summary:
      `${workload}: set CPU to ${describe(cpu, (value) => `${round(value)} cores`)} and memory to ${describe(memory, (value) => `${round(value / GIB)} GiB`)} per replica` +
      (recommendation.lastOomAt !== undefined ? ' (raised after an OOM kill)' : '') +
      '.',
    data: { ...recommendation, savings },
  });
}

function relativeChange(amount: RecommendedAmount): number {
  return amount.current === undefined ? 0 : Math.abs(amount.target - amount.current) / amount.current;
}

function describe(amount: RecommendedAmount, format: (value: number) => string): string {
  return amount.current === undefined
    ? format(amount.target)
    : `${format(amount.target)} (now ${format(amount.current)})`;
}

function round(value: number): number {
  return Number(value.toPrecision(3));
}
