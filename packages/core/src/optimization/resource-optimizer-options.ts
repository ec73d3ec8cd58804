import { z } from 'zod';
import { IdSchema } from '../schemas/common.js';

const MIB = 2 ** 20;

/** The CPU and memory a workload (one replica) is given today. */
export const ResourceAllocationSchema = z.object({
  /** CPU request per replica, in cores. */
  cpuCores: z.number().positive().max(4096).optional(),
  /** Memory request per replica, in bytes. */
  memoryBytes: z
    .number()
    .positive()
    .max(2 ** 50)
    .optional(),
  /** Replicas sharing this allocation (savings are multiplied by it). @default 1 */
  replicas: z.number().int().min(0).max(10_000).default(1),
});
export type ResourceAllocationInput = z.input<typeof ResourceAllocationSchema>;
export type ResourceAllocation = z.output<typeof ResourceAllocationSchema>;

/** Options of `ResourceOptimizer`. */
export const ResourceOptimizerOptionsSchema = z.object({
  /** Analyzer name (unique per engine; the key of its saved state). @default 'resource-optimizer' */
  name: z.string().min(1).default('resource-optimizer'),
  /** Metric carrying CPU usage in cores. @default 'cpu_usage_cores' */
  cpuMetric: IdSchema.default('cpu_usage_cores'),
  /** Metric carrying memory usage (working set) in bytes. @default 'memory_usage_bytes' */
  memoryMetric: IdSchema.default('memory_usage_bytes'),
  /** Event type of an out-of-memory kill. @default 'oom' */
  oomEventType: IdSchema.default('oom'),
  /** Attribute of the OOM event holding the memory usage at the kill, in bytes. @default 'memory_bytes' */
  oomMemoryAttribute: z.string().min(1).default('memory_bytes'),
  /** Group records by this label's value (e.g. `app`) instead of by resource id; records without it use the resource id. */
  workloadLabel: z.string().min(1).optional(),
  /** Half-life of sample weights, in ms: a day-old sample counts half as much as a new one. @default 86400000 (24 h) */
  halfLifeMs: z.number().positive().default(86_400_000),
  /** Percentile of CPU usage the target covers, in (0, 1). @default 0.9 */
  cpuPercentile: z.number().gt(0).lt(1).default(0.9),
  /** Percentile of per-interval memory peaks the target covers, in (0, 1). @default 0.95 */
  memoryPercentile: z.number().gt(0).lt(1).default(0.95),
  /** Safety margin added to both targets (0.15 = +15%). @default 0.15 */
  safetyMargin: z.number().min(0).max(10).default(0.15),
  /** Length of the windows whose memory peak is recorded, in ms. @default 3600000 (1 h) */
  memoryPeakIntervalMs: z.number().positive().default(3_600_000),
  /** After an OOM kill memory is at least max(`oomBumpRatio` × usage at the kill, usage + `oomMinBumpBytes`). @default 1.2 */
  oomBumpRatio: z.number().min(1).max(10).default(1.2),
  /** See `oomBumpRatio`, in bytes. @default 104857600 (100 MiB) */
  oomMinBumpBytes: z
    .number()
    .nonnegative()
    .default(100 * MIB),
  /** How long an OOM keeps its bump as a floor on the memory target, in ms. @default 604800000 (7 days) */
  oomHoldMs: z
    .number()
    .nonnegative()
    .default(7 * 86_400_000),
  /** Smallest CPU recommendation, so idle workloads still get something, in cores. @default 0.01 */
  minCpuCores: z.number().nonnegative().default(0.01),
  /** Smallest memory recommendation, in bytes. @default 16777216 (16 MiB) */
  memoryFloorBytes: z
    .number()
    .nonnegative()
    .default(16 * MIB),
  /** Fewer CPU samples than this: no recommendation yet. @default 10 */
  minSamples: z.number().int().min(1).default(10),
  /** Findings are published only when the target differs from the current request by at least this fraction. @default 0.1 */
  minChangeRatio: z.number().min(0).default(0.1),
  /** A workload is not reported again for this long unless its target moves by `minChangeRatio`, in ms. @default 86400000 */
  renotifyMs: z.number().nonnegative().default(86_400_000),
  /** How often the engine asks for recommendations, in ms. @default 3600000 (1 h) */
  tickIntervalMs: z.number().int().positive().default(3_600_000),
  /** Current allocations by workload; take precedence over the inventory. @default {} */
  currentAllocations: z.record(z.string(), ResourceAllocationSchema).default({}),
  /** Most workloads tracked; the least recently updated is forgotten beyond it. @default 10000 */
  maxWorkloads: z.number().int().positive().default(10_000),
});
export type ResourceOptimizerOptionsInput = z.input<typeof ResourceOptimizerOptionsSchema>;
export type ResourceOptimizerOptions = z.output<typeof ResourceOptimizerOptionsSchema>;

/** Lower bound, target and upper bound of one resource, in its unit (cores or bytes). */
export interface RecommendedAmount {
  /** Below this the workload is clearly starved (P50-based, tightened when history is short). */
  lowerBound: number;
  /** The request to set. */
  target: number;
  /** Above this the workload is clearly over-provisioned (widens when history is short). */
  upperBound: number;
  /** Current request per replica, when known. */
  current?: number;
  /** current − target per replica (positive: the change frees resources), when the current request is known. */
  savingsPerReplica?: number;
  /** Probability (weighted by recency) that usage exceeds the target: CPU throttling, or an OOM for memory peaks. */
  riskAtTarget: number;
  /** The same probability at the current request, when known. */
  riskAtCurrent?: number;
}

/** A right-sizing recommendation for one workload (one replica). */
export interface Recommendation {
  workload: string;
  /** Time of the newest sample used (epoch ms). */
  timestamp: number;
  cpu: RecommendedAmount;
  memory: RecommendedAmount;
  /** Replicas the savings apply to. */
  replicas: number;
  /** History span behind the recommendation, in days; bounds narrow as it grows. */
  confidenceDays: number;
  cpuSamples: number;
  memoryPeaks: number;
  /** Time of the last OOM kill, if one is still being held. */
  lastOomAt?: number;
}
