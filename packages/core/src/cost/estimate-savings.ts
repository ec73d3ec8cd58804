import { z } from 'zod';
import { parseWith } from '../errors/validation-error.js';
import type { Recommendation } from '../optimization/resource-optimizer-options.js';
import { UnitPricesSchema, type UnitPrices } from './cost-predictor-options.js';

const GIB = 2 ** 30;
/** Hours in an average month (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** What adopting one recommendation would save (negative: it costs more, to remove a risk). */
export interface WorkloadSavings {
  workload: string;
  replicas: number;
  /** Cores freed across all replicas (current − target) × replicas; 0 when the current CPU request is unknown. */
  cpuCores: number;
  /** GiB freed across all replicas; 0 when the current memory request is unknown. */
  memoryGiB: number;
  /** Money per hour. */
  hourly: number;
  /** Money per 730-hour month. */
  monthly: number;
}

/** Savings over a set of recommendations. */
export interface SavingsEstimate {
  workloads: WorkloadSavings[];
  /** Sum of positive and negative savings, per hour and per month. */
  totalHourly: number;
  totalMonthly: number;
}

/** The parts of a recommendation the arithmetic needs (a full `Recommendation` fits). */
const RecommendationLikeSchema = z.object({
  workload: z.string().min(1),
  replicas: z.number().int().min(0),
  cpu: z.object({ target: z.number().nonnegative().finite(), current: z.number().positive().finite().optional() }),
  memory: z.object({ target: z.number().nonnegative().finite(), current: z.number().positive().finite().optional() }),
});

/**
 * Money saved by applying right-sizing recommendations: per workload,
 * `replicas × ((currentCores − targetCores) × cpuCoreHour + (currentGiB − targetGiB) × memoryGiBHour)` per hour,
 * × 730 per month. A resource whose current request is unknown contributes nothing.
 * Throws `ValidationError` for bad prices or recommendations.
 */
export function estimateSavings(
  recommendations: readonly Pick<Recommendation, 'workload' | 'replicas' | 'cpu' | 'memory'>[],
  prices: UnitPrices,
): SavingsEstimate {
  const checkedPrices = parseWith(UnitPricesSchema, prices, 'prices');
  const checked = parseWith(z.array(RecommendationLikeSchema), recommendations, 'recommendations');
  const workloads = checked.map((recommendation): WorkloadSavings => {
    const cpuCores =
      recommendation.cpu.current === undefined
        ? 0
        : (recommendation.cpu.current - recommendation.cpu.target) * recommendation.replicas;
    const memoryGiB =
      recommendation.memory.current === undefined
        ? 0
        : ((recommendation.memory.current - recommendation.memory.target) / GIB) * recommendation.replicas;
    const hourly = cpuCores * checkedPrices.cpuCoreHour + memoryGiB * checkedPrices.memoryGiBHour;
    return {
      workload: recommendation.workload,
      replicas: recommendation.replicas,
      cpuCores,
      memoryGiB,
      hourly,
      monthly: hourly * HOURS_PER_MONTH,
    };
  });
  const totalHourly = workloads.reduce((sum, entry) => sum + entry.hourly, 0);
  return { workloads, totalHourly, totalMonthly: totalHourly * HOURS_PER_MONTH };
}
