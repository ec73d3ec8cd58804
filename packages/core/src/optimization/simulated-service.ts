import { createSeededRandom, type SeededRandom } from '../simulator/seeded-random.js';
import type { KnobConfiguration, KnobInput } from './performance-optimizer-options.js';

/** Options of {@link createSimulatedService}. */
export interface SimulatedServiceOptions {
  /** `pool`: tune `poolSize` alone; `pool-and-cache`: `poolSize` and `cacheMiB` together. @default 'pool' */
  surface?: 'pool' | 'pool-and-cache';
  /** Seed of the measurement noise. @default 1 */
  seed?: number;
  /** Standard deviation of the multiplicative latency noise (0.05 = ±5%). @default 0.05 */
  noise?: number;
  /** Requests per second arriving. @default 400 */
  arrivalRate?: number;
}

/** A deterministic knob → reward surface with a known optimum, for tests and benchmarks of tuners. */
export interface SimulatedService {
  /** The knobs and their safe ranges (initial values set to a poor but safe configuration). */
  readonly knobs: KnobInput[];
  /** Noise-free reward (higher is better) = −(latency ms + cost in ms-equivalents). */
  expectedReward(config: KnobConfiguration): number;
  /** One noisy measurement of the reward. */
  measure(config: KnobConfiguration): number;
  /** The best configuration and its reward, found by exhaustive search of the noise-free surface. */
  readonly optimum: { config: KnobConfiguration; reward: number };
}

/** Service time of a request without cache (and with a cache hit), in ms; latency of a saturated pool, in ms. */
const MISS_MS = 50;
const CACHED_MS = 10;
const LATENCY_CAP_MS = 5000;

/**
 * A service (400 requests/s, 50 ms per request) whose latency follows a queueing curve in the pool size — latency = service time / (1 − ρ)
 * with utilisation ρ = arrivals × service time / pool, plus lock contention growing with the pool —
 * and whose cost grows with the pool (and the cache). An under-sized pool saturates (latency capped at
 * 5 s: a reward collapse). With `pool-and-cache`, a cache with hit ratio 1 − e^(−MiB/256) cuts the service time toward 10 ms.
 * Reward = −(latency ms + 0.5 ms × pool of contention + 3 × pool + 0.04 × cache MiB of cost).
 */
export function createSimulatedService(options: SimulatedServiceOptions = {}): SimulatedService {
  const surface = options.surface ?? 'pool';
  const arrivalRate = options.arrivalRate ?? 400;
  const noise = options.noise ?? 0.05;
  const random: SeededRandom = createSeededRandom(options.seed ?? 1);
  const knobs: KnobInput[] = [{ name: 'poolSize', min: 1, max: 128, maxStep: 16, integer: true, initial: 96 }];
  if (surface === 'pool-and-cache') knobs.push({ name: 'cacheMiB', min: 0, max: 2048, maxStep: 256, initial: 1024 });

  const expectedReward = (config: KnobConfiguration): number => {
    const pool = config.poolSize ?? 1;
    const cache = surface === 'pool-and-cache' ? (config.cacheMiB ?? 0) : 0;
    const hitRatio = surface === 'pool-and-cache' ? 1 - Math.exp(-cache / 256) : 0;
    const serviceMs = surface === 'pool-and-cache' ? CACHED_MS + (MISS_MS - CACHED_MS) * (1 - hitRatio) : MISS_MS;
    const utilisation = (arrivalRate * serviceMs) / 1000 / pool;
    const queueing = utilisation >= 0.98 ? LATENCY_CAP_MS : Math.min(LATENCY_CAP_MS, serviceMs / (1 - utilisation));
    const latency = queueing + 0.5 * pool;
    const cost = 3 * pool + 0.04 * cache;
    return -(latency + cost);
  };

  let best = { config: {} as KnobConfiguration, reward: -Infinity };
  for (let pool = 1; pool <= 128; pool++) {
    const caches = surface === 'pool-and-cache' ? Array.from({ length: 2049 }, (_, index) => index) : [0];
    for (const cache of caches) {
      const config: KnobConfiguration =
        surface === 'pool-and-cache' ? { poolSize: pool, cacheMiB: cache } : { poolSize: pool };
      const reward = expectedReward(config);
      if (reward > best.reward) best = { config, reward };
    }
  }

  return {
    knobs,
    expectedReward,
    measure: (config) => {
      const value = expectedReward(config);
      return value * Math.exp(noise * random.normal());
    },
    optimum: best,
  };
}
