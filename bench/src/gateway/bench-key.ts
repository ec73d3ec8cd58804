/** API key of the benchmark gateway (operator). */
export const BENCH_KEY = 'bench-operator-key';
