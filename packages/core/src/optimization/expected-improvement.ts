/** Standard normal density. */
export function normalDensity(z: number): number {
  return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Standard normal cumulative distribution (Abramowitz–Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * Expected improvement of a point over `best` when maximising: E[max(f − best − exploration, 0)] for
 * f ~ N(mean, standardDeviation²). `exploration` (ξ ≥ 0, in the values' units) trades exploitation for exploration.
 */
export function expectedImprovement(mean: number, standardDeviation: number, best: number, exploration = 0): number {
  const gain = mean - best - exploration;
  if (standardDeviation <= 1e-12) return Math.max(0, gain);
  const z = gain / standardDeviation;
  return gain * normalCdf(z) + standardDeviation * normalDensity(z);
}
