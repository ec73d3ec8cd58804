/**
 * NAB's scoring rules (Numenta Anomaly Benchmark v1.1, `nab/sweeper.py`), re-implemented in TypeScript.
 *
 * - Each row gets a "sweep score": inside a window, a scaled sigmoid of its position (earlier = more),
 *   scaled so the first row of a window earns exactly `tpWeight`; outside, `fpWeight` times a negative
 *   scaled sigmoid of its distance past the previous window (−1 when there is no previous window or it is
 *   more than 3 window widths behind).
 * - Rows in the probationary period (the first 15% of a file, at most 750 rows) are not scored.
 * - For a threshold, a window scores the sweep score of its earliest detection (its maximum), or
 *   `−fnWeight` when nothing in it is detected; every detection outside windows adds its (negative) score.
 */

/** Weights of one NAB application profile (see the dataset's `config/profiles.json`). */
export interface CostMatrix {
  tpWeight: number;
  fnWeight: number;
  fpWeight: number;
  tnWeight: number;
}

/** One scored row: its detector score, its sweep score, and the window it belongs to (`null` outside). */
export interface AnomalyPoint {
  anomalyScore: number;
  sweepScore: number;
  /** `"<file>|<window index>"` inside a window, `null` outside, `"probationary"` when not scored. */
  windowName: string | null;
}

/** The corpus score reached with one threshold. */
export interface ThresholdScore {
  threshold: number;
  score: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** NAB's default probationary fraction. */
export const PROBATIONARY_PERCENT = 0.15;

/** NAB's `scaledSigmoid`: 2·σ(−5x) − 1, and −1 beyond 3 window widths. */
export function scaledSigmoid(relativePosition: number): number {
  if (relativePosition > 3) return -1;
  return 2 / (1 + Math.exp(5 * relativePosition)) - 1;
}

/** Number of rows of a file that are not scored (NAB: min(floor(15% of rows), 15% of 5000)). */
export function probationaryLength(rowCount: number, probationaryPercent = PROBATIONARY_PERCENT): number {
  return Math.min(Math.floor(probationaryPercent * rowCount), probationaryPercent * 5000);
}

/**
 * Sweep scores of every row of one file (NAB `calcSweepScore`). `windows` are `[startMs, endMs]`
 * pairs in time order; a window covers the rows whose timestamp lies within it.
 */
export function calcSweepScore(options: {
  timestamps: readonly number[];
  anomalyScores: ArrayLike<number>;
  windows: ReadonlyArray<readonly [number, number]>;
  costMatrix: CostMatrix;
  fileName: string;
  probationaryPercent?: number;
}): AnomalyPoint[] {
  const { timestamps, anomalyScores, costMatrix, fileName } = options;
  if (timestamps.length !== anomalyScores.length)
    throw new Error(`${fileName}: ${timestamps.length} timestamps but ${anomalyScores.length} scores`);
  const probation = probationaryLength(timestamps.length, options.probationaryPercent);
  const maxTP = scaledSigmoid(-1);
  // Window index ranges [left, right] of rows.
  const ranges = options.windows
    .map(([start, end], index) => {
      const left = timestamps.findIndex((time) => time >= start);
      let right = -1;
      for (let row = timestamps.length - 1; row >= 0; row -= 1)
        if ((timestamps[row] ?? Infinity) <= end) {
          right = row;
          break;
        }
      return { name: `${fileName}|${index}`, left, right };
    })
    .filter((range) => range.left >= 0 && range.right >= range.left);
  const points: AnomalyPoint[] = [];
  let next = 0;
  let current: (typeof ranges)[number] | undefined;
  let previous: (typeof ranges)[number] | undefined;
  for (let row = 0; row < timestamps.length; row += 1) {
    if (!current && ranges[next] && ranges[next]!.left === row) current = ranges[next++];
    let sweepScore: number;
    if (current) {
      const width = current.right - current.left + 1;
      const position = -(current.right - row + 1) / width;
      sweepScore = (scaledSigmoid(position) * costMatrix.tpWeight) / maxTP;
    } else if (!previous) {
      sweepScore = -costMatrix.fpWeight;
    } else {
      const width = previous.right - previous.left + 1;
      sweepScore = scaledSigmoid(Math.abs(previous.right - row) / (width - 1)) * costMatrix.fpWeight;
    }
    const windowName = row < probation ? 'probationary' : (current?.name ?? null);
    points.push({ anomalyScore: anomalyScores[row] ?? 0, sweepScore, windowName });
    if (current && row === current.right) {
      previous = current;
      current = undefined;
    }
  }
  return points;
}

/**
 * Corpus score for every distinct threshold (NAB `calcScoreByThreshold`), highest threshold first.
 * The first entry (threshold 1.1) is the null detector.
 */
export function calcScoreByThreshold(points: readonly AnomalyPoint[], costMatrix: CostMatrix): ThresholdScore[] {
  const scorable = points
    .filter((point) => point.windowName !== 'probationary')
    .sort((a, b) => b.anomalyScore - a.anomalyScore);
  const windowScores = new Map<string, number>();
  let tn = 0;
  let fn = 0;
  for (const point of scorable) {
    if (point.windowName === null) tn += 1;
    else {
      fn += 1;
      windowScores.set(point.windowName, -costMatrix.fnWeight);
    }
  }
  let windowTotal = -costMatrix.fnWeight * windowScores.size;
  let fpTotal = 0;
  let tp = 0;
  let fp = 0;
  let threshold = 1.1;
  const results: ThresholdScore[] = [];
  for (const point of scorable) {
    if (point.anomalyScore !== threshold) {
      results.push({ threshold, score: windowTotal + fpTotal, tp, fp, fn, tn });
      threshold = point.anomalyScore;
    }
    if (point.windowName === null) {
      fp += 1;
      tn -= 1;
      fpTotal += point.sweepScore;
    } else {
      tp += 1;
      fn -= 1;
      const before = windowScores.get(point.windowName)!;
      if (point.sweepScore > before) {
        windowScores.set(point.windowName, point.sweepScore);
        windowTotal += point.sweepScore - before;
      }
    }
  }
  results.push({ threshold, score: windowTotal + fpTotal, tp, fp, fn, tn });
  return results;
}
