import { createSeededRandom } from '@iac-dharma/core/simulator';

/** One metric sample of the demo stream. */
export interface StreamSample {
  resource: string;
  metric: string;
  /** Sample time, ms since the epoch. */
  timestamp: number;
  value: number;
}

/** Options of {@link createMetricStream}. */
export interface MetricStreamOptions {
  /** Seed of the noise; the same seed gives the same stream in Node and in the browser. @default 7 */
  seed?: number;
  /** Time of the first sample, ms. @default 1_700_000_000_000 */
  start?: number;
  /** Time between samples, ms. @default 10000 */
  intervalMs?: number;
}

/**
 * A live-looking stream of web-server metrics (CPU % with a daily cycle, p95 latency in ms) with a CPU
 * spike at tick 400 and a latency level shift from tick 700. Deterministic, so tests can replay it.
 */
export function createMetricStream(options: MetricStreamOptions = {}): () => StreamSample[] {
  const random = createSeededRandom(options.seed ?? 7);
  const start = options.start ?? 1_700_000_000_000;
  const interval = options.intervalMs ?? 10_000;
  let tick = 0;
  return () => {
    const timestamp = start + tick * interval;
    const daily = Math.sin((2 * Math.PI * tick) / 360);
    const cpu = 45 + 15 * daily + 2 * random.normal() + (tick >= 400 && tick < 403 ? 40 : 0);
    const latency = 120 + 10 * daily + 4 * random.normal() + (tick >= 700 ? 60 : 0);
    tick += 1;
    return [
      { resource: 'web-1', metric: 'cpu', timestamp, value: cpu },
      { resource: 'web-1', metric: 'latency_p95', timestamp, value: latency },
    ];
  };
}

/** The first `ticks` ticks of a stream as one list. */
export function metricStreamSamples(ticks: number, options: MetricStreamOptions = {}): StreamSample[] {
  const next = createMetricStream(options);
  return Array.from({ length: ticks }, () => next()).flat();
}
