/** Per-node metric series: aligned timestamps (epoch seconds or ms, consistently) and one array per metric. */
export interface NodeMetrics {
  timestamps: readonly number[];
  /** Metric name → values aligned with `timestamps`; `null`/`NaN` = missing. Names like `latency`, `latency.p99`. */
  values: Readonly<Record<string, ReadonlyArray<number | null>>>;
}

/** Which way a metric moves when things get worse. */
export type MetricDirection = 'up' | 'down' | 'both';

/** How one metric of one node moved at the incident. */
export interface MetricChange {
  metric: string;
  /** Reference level before the incident. */
  before: number;
  /** Most abnormal value at or after the incident time. */
  after: number;
  /** `after - before`, in the metric's unit. */
  delta: number;
  /** Deviation in units of normal spread, signed so that positive = worse. */
  score: number;
}

/** The family of a metric: its name up to the first dot (`latency.p99` → `latency`). */
export function metricFamily(metric: string): string {
  const dot = metric.indexOf('.');
  return dot === -1 ? metric : metric.slice(0, dot);
}

const UP = /latency|duration|time|error|fault|fail|cpu|memory|saturation|queue/i;
const DOWN = /availability|success|uptime|apdex/i;

/** Default direction of a metric from its family name. */
export function defaultDirection(metric: string): MetricDirection {
  const family = metricFamily(metric);
  if (DOWN.test(family)) return 'down';
  if (UP.test(family)) return 'up';
  return 'both';
}

function finite(values: Iterable<number | null | undefined>): number[] {
  const out: number[] = [];
  for (const value of values) if (value !== null && value !== undefined && Number.isFinite(value)) out.push(value);
  return out;
}

function median(sorted: number[]): number {
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median and robust spread (1.4826 × MAD, falling back to the standard deviation when the MAD is 0). */
export function robustLevel(values: number[]): { level: number; spread: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const level = median(sorted);
  const deviations = sorted.map((value) => Math.abs(value - level)).sort((a, b) => a - b);
  let spread = 1.4826 * median(deviations);
  if (spread === 0 && sorted.length > 1) {
    const mean = sorted.reduce((sum, value) => sum + value, 0) / sorted.length;
    spread = Math.sqrt(sorted.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (sorted.length - 1));
  }
  return { level, spread };
}

/** Settings of {@link measureChange} (resolved by the analyzer's options schema). */
export interface ChangeSettings {
  /** Smallest spread, as a share of the reference level. */
  relativeFloor: number;
  /** Smallest spread in absolute units. */
  absoluteFloor: number;
  /** Relative floor of `down` metrics. */
  downRelativeFloor: number;
  /** Absolute floor of `both` metrics (counts). */
  countFloor: number;
  /** Buckets at and after the incident that are examined. */
  horizonSteps: number;
}

/** Splits a window into rows fully before the incident and rows overlapping or after it. */
export function splitRows(
  timestamps: readonly number[],
  time: number,
  horizonSteps: number,
): { before: number[]; after: number[] } {
  const sorted = [...timestamps].sort((a, b) => a - b);
  const gaps = sorted
    .slice(1)
    .map((value, index) => value - sorted[index]!)
    .filter((gap) => gap > 0);
  const step = gaps.length === 0 ? 0 : median(gaps.sort((a, b) => a - b));
  const before: number[] = [];
  const after: { index: number; at: number }[] = [];
  timestamps.forEach((at, index) => {
    if (at + step <= time) before.push(index);
    else after.push({ index, at });
  });
  after.sort((a, b) => a.at - b.at);
  return { before, after: after.slice(0, horizonSteps).map((row) => row.index) };
}

/**
 * How a metric moved at the incident: its level before (the window's own pre-incident rows, else the
 * baseline's median) against the most abnormal value after, in units of the baseline's robust spread.
 */
export function measureChange(
  metric: string,
  window: ReadonlyArray<number | null>,
  rows: { before: number[]; after: number[] },
  baseline: ReadonlyArray<number | null> | undefined,
  direction: MetricDirection,
  settings: ChangeSettings,
): MetricChange | undefined {
  const pre = finite(rows.before.map((index) => window[index]));
  const post = rows.after
    .map((index) => window[index])
    .filter((value): value is number => value !== null && value !== undefined && Number.isFinite(value));
  const normal = finite(baseline ?? []);
  if (post.length === 0 || (pre.length === 0 && normal.length === 0)) return undefined;
  const reference = pre.length > 0 ? robustLevel(pre).level : robustLevel(normal).level;
  const spreadSource = normal.length >= 3 ? normal : pre;
  const spread = Math.max(
    spreadSource.length >= 2 ? robustLevel(spreadSource).spread : 0,
    (direction === 'down' ? settings.downRelativeFloor : settings.relativeFloor) * Math.abs(reference),
    direction === 'both' ? settings.countFloor : 0,
    settings.absoluteFloor,
  );
  let best: MetricChange | undefined;
  for (const value of post) {
    const raw = (value - reference) / spread;
    const score = direction === 'up' ? raw : direction === 'down' ? -raw : Math.abs(raw);
    if (best === undefined || score > best.score)
      best = { metric, before: reference, after: value, delta: value - reference, score };
  }
  return best;
}
