/** Latency and throughput helpers for the scoring benchmark. */

/** Percentile (0..100) of sorted values, nearest-rank. */
export function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

/** Median of values. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Times `calls` sequential awaits of `fn`; returns p50 and p99 in ms. */
export async function latency(fn: () => Promise<unknown>, calls: number): Promise<{ p50: number; p99: number }> {
  const times: number[] = new Array(calls);
  for (let index = 0; index < calls; index++) {
    const start = performance.now();
    await fn();
    times[index] = performance.now() - start;
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Rows per second of `calls` sequential batch calls of `rows` rows each. */
export async function throughput(fn: () => Promise<unknown>, rows: number, calls: number): Promise<number> {
  const start = performance.now();
  for (let index = 0; index < calls; index++) await fn();
  return (rows * calls) / ((performance.now() - start) / 1000);
}

/** Runs `measure` `repetitions` times and summarises each figure as median with min–max spread. */
export async function repeated<T extends Record<string, number>>(
  repetitions: number,
  measure: () => Promise<T>,
): Promise<Record<keyof T, { median: number; min: number; max: number }>> {
  const runs: T[] = [];
  for (let index = 0; index < repetitions; index++) runs.push(await measure());
  const summary = {} as Record<keyof T, { median: number; min: number; max: number }>;
  for (const key of Object.keys(runs[0]!) as (keyof T)[]) {
    const values = runs.map((run) => run[key]);
    summary[key] = { median: median(values), min: Math.min(...values), max: Math.max(...values) };
  }
  return summary;
}
