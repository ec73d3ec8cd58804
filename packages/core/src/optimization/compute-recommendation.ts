import type { Resource } from '../schemas/resource.js';
import type {
  Recommendation,
  RecommendedAmount,
  ResourceAllocation,
  ResourceOptimizerOptions,
} from './resource-optimizer-options.js';
import type { DecayingHistogram } from './decaying-histogram.js';
import type { WorkloadUsage } from './workload-usage.js';

const DAY_MS = 86_400_000;
const MIB = 2 ** 20;
/** Percentiles behind the bounds (VPA's): P50 for the lower bound, P95 (CPU) / P99 (memory peaks) for the upper. */
const LOWER_PERCENTILE = 0.5;
const CPU_UPPER_PERCENTILE = 0.95;
const MEMORY_UPPER_PERCENTILE = 0.99;
/** Smallest confidence (days), so a single sample gives wide but finite bounds. */
const MIN_CONFIDENCE_DAYS = 1 / 1440;

/** Labels a `deployment` resource may carry with its per-replica requests. */
export const ALLOCATION_LABELS = {
  cpuCores: 'dharma.io/cpu-request-cores',
  memoryMiB: 'dharma.io/memory-request-mib',
} as const;

/**
 * Reads the current allocation of a workload from the inventory: a `compute` resource's `cpu` and
 * `memoryMiB`, or a `deployment`'s `replicas` with per-replica requests from the labels in
 * {@link ALLOCATION_LABELS}. Undefined when the resource says nothing usable.
 */
export function allocationFromResource(resource: Resource): ResourceAllocation | undefined {
  if (resource.type === 'compute')
    return { cpuCores: resource.cpu, memoryBytes: resource.memoryMiB * MIB, replicas: 1 };
  if (resource.type !== 'deployment') return undefined;
  const cpu = Number(resource.labels[ALLOCATION_LABELS.cpuCores]);
  const memory = Number(resource.labels[ALLOCATION_LABELS.memoryMiB]);
  const allocation: ResourceAllocation = { replicas: resource.replicas };
  if (Number.isFinite(cpu) && cpu > 0) allocation.cpuCores = cpu;
  if (Number.isFinite(memory) && memory > 0) allocation.memoryBytes = memory * MIB;
  return allocation.cpuCores === undefined && allocation.memoryBytes === undefined ? undefined : allocation;
}

/**
 * The VPA-style recommendation for one workload: target = percentile × (1 + margin); lower bound from the
 * median tightened by `(1 + 0.001/confidence)^-2`, upper bound from a high percentile widened by
 * `(1 + 1/confidence)`, where confidence is the history span in days. Memory is at least the bump of an
 * OOM kill held within `oomHoldMs` of `now`.
 */
export function computeRecommendation(input: {
  workload: string;
  usage: WorkloadUsage;
  options: ResourceOptimizerOptions;
  current: ResourceAllocation | undefined;
  now: number;
}): Recommendation {
  const { usage, options, current } = input;
  const confidenceDays = Math.max(MIN_CONFIDENCE_DAYS, usage.spanMs() / DAY_MS);
  const scale = 1 + options.safetyMargin;
  const lowerFactor = (1 + 0.001 / confidenceDays) ** -2;
  const upperFactor = 1 + 1 / confidenceDays;

  const cpuTarget = Math.max(options.minCpuCores, usage.cpu.percentile(options.cpuPercentile) * scale);
  const cpu = amount(usage.cpu, {
    target: cpuTarget,
    lower: usage.cpu.percentile(LOWER_PERCENTILE) * scale * lowerFactor,
    upper: usage.cpu.percentile(CPU_UPPER_PERCENTILE) * scale * upperFactor,
    current: current?.cpuCores,
  });

  const held = usage.oom && input.now - usage.oom.at <= options.oomHoldMs ? usage.oom : undefined;
  const fromPeaks = usage.memory.isEmpty ? 0 : usage.memory.percentile(options.memoryPercentile) * scale;
  const memoryTarget = Math.max(options.memoryFloorBytes, fromPeaks, held?.bumpBytes ?? 0);
  const memory = amount(usage.memory, {
    target: memoryTarget,
    lower: usage.memory.isEmpty ? memoryTarget : usage.memory.percentile(LOWER_PERCENTILE) * scale * lowerFactor,
    upper: Math.max(
      usage.memory.isEmpty ? memoryTarget : usage.memory.percentile(MEMORY_UPPER_PERCENTILE) * scale * upperFactor,
      held ? held.bumpBytes * upperFactor : 0,
    ),
    current: current?.memoryBytes,
  });

  return {
    workload: input.workload,
    timestamp: usage.lastTimestamp ?? input.now,
    cpu,
    memory,
    replicas: current?.replicas ?? 1,
    confidenceDays,
    cpuSamples: usage.cpuSamples,
    memoryPeaks: usage.memoryPeaks,
    ...(held ? { lastOomAt: held.at } : {}),
  };
}

function amount(
  histogram: DecayingHistogram,
  values: { target: number; lower: number; upper: number; current: number | undefined },
): RecommendedAmount {
  const { target, current } = values;
  const result: RecommendedAmount = {
    lowerBound: Math.min(values.lower, target),
    target,
    upperBound: Math.max(values.upper, target),
    riskAtTarget: histogram.exceedanceProbability(target),
  };
  if (current !== undefined) {
    result.current = current;
    result.savingsPerReplica = current - target;
    result.riskAtCurrent = histogram.exceedanceProbability(current);
  }
  return result;
}
