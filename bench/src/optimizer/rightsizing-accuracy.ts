/**
 * ResourceOptimizer accuracy on generated workloads with known answers: CPU drawn per minute from a known
 * distribution for 7 days; the right answer is the distribution's P90 × 1.15. Also the ingest rate of
 * `analyze` (samples per second).
 */
import { ResourceOptimizer } from '@iac-dharma/core';

/** mulberry32 + Box–Muller. */
function random(seed: number): { uniform(): number; normal(): number } {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { uniform, normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()) };
}

const Z90 = 1.2815515655446004;
/** Distributions with a closed-form P90. */
const DISTRIBUTIONS: { name: string; draw: (source: ReturnType<typeof random>) => number; p90: number }[] = [
  { name: 'lognormal(0, 0.3) cores', draw: (source) => Math.exp(0.3 * source.normal()), p90: Math.exp(0.3 * Z90) },
  {
    name: 'lognormal(-1, 0.8) cores',
    draw: (source) => Math.exp(-1 + 0.8 * source.normal()),
    p90: Math.exp(-1 + 0.8 * Z90),
  },
  { name: 'uniform(0.2, 2) cores', draw: (source) => 0.2 + 1.8 * source.uniform(), p90: 0.2 + 1.8 * 0.9 },
  { name: 'normal(4, 0.5) cores', draw: (source) => Math.max(0, 4 + 0.5 * source.normal()), p90: 4 + 0.5 * Z90 },
  {
    name: 'exponential(mean 0.5) cores',
    draw: (source) => -0.5 * Math.log(1 - source.uniform()),
    p90: -0.5 * Math.log(0.1),
  },
];

export interface RightsizingFigures {
  days: number;
  seeds: number;
  distributions: { name: string; truth: number; relativeError: { median: number; max: number } }[];
  samplesPerSecond: { median: number; min: number; max: number };
}

export function measureRightsizing(seeds = 5, days = 7): RightsizingFigures {
  const start = Date.UTC(2026, 0, 1);
  const minutes = days * 1440;
  const rates: number[] = [];
  const distributions = DISTRIBUTIONS.map((distribution) => {
    const errors: number[] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const source = random(seed);
      const records = Array.from({ length: minutes }, (_, minute) => ({
        kind: 'metric' as const,
        resource: 'w',
        metric: 'cpu_usage_cores',
        value: distribution.draw(source),
        timestamp: start + minute * 60_000,
      }));
      const optimizer = new ResourceOptimizer();
      const began = performance.now();
      optimizer.analyze(records);
      rates.push(records.length / ((performance.now() - began) / 1000));
      const truth = distribution.p90 * 1.15;
      errors.push(Math.abs(optimizer.recommend('w').cpu.target - truth) / truth);
    }
    errors.sort((a, b) => a - b);
    return {
      name: distribution.name,
      truth: distribution.p90 * 1.15,
      relativeError: { median: errors[Math.floor(errors.length / 2)]!, max: errors[errors.length - 1]! },
    };
  });
  rates.sort((a, b) => a - b);
  return {
    days,
    seeds,
    distributions,
    samplesPerSecond: { median: rates[Math.floor(rates.length / 2)]!, min: rates[0]!, max: rates[rates.length - 1]! },
  };
}
