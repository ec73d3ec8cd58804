// Deterministic synthetic metrics for the anomaly tests (not exported from the package).

/** mulberry32: a small seeded PRNG giving numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 5-minute series with a daily cycle and noise: `length` points from 2026-01-01. */
export function dailySeries(options: {
  length: number;
  seed?: number;
  level?: number;
  amplitude?: number;
  noise?: number;
}): Array<{ timestamp: number; value: number }> {
  const random = seededRandom(options.seed ?? 1);
  const start = Date.UTC(2026, 0, 1);
  return Array.from({ length: options.length }, (_, index) => ({
    timestamp: start + index * 300_000,
    value:
      (options.level ?? 50) +
      (options.amplitude ?? 10) * Math.sin((2 * Math.PI * index) / 288) +
      (options.noise ?? 1) * (random() - 0.5),
  }));
}
