import {
  calcScoreByThreshold,
  calcSweepScore,
  type AnomalyPoint,
  type CostMatrix,
  type ThresholdScore,
} from './nab-sweeper.js';

/** The three NAB application profiles (from the dataset's `config/profiles.json`). */
export const NAB_PROFILES: Record<NabProfileName, CostMatrix> = {
  standard: { tpWeight: 1, fnWeight: 1, fpWeight: 0.11, tnWeight: 1 },
  reward_low_FP_rate: { tpWeight: 1, fnWeight: 1, fpWeight: 0.22, tnWeight: 1 },
  reward_low_FN_rate: { tpWeight: 1, fnWeight: 2, fpWeight: 0.11, tnWeight: 1 },
};

/** Name of a NAB profile. */
export type NabProfileName = 'standard' | 'reward_low_FP_rate' | 'reward_low_FN_rate';

/** One file's detector output with its labelled windows (epoch ms). */
export interface ScoredFile {
  name: string;
  timestamps: readonly number[];
  anomalyScores: ArrayLike<number>;
  windows: ReadonlyArray<readonly [number, number]>;
}

/** Result of scoring a corpus with one profile. */
export interface NabProfileResult {
  profile: NabProfileName;
  /** Threshold chosen by NAB's optimiser (best raw corpus score; highest threshold on ties). */
  threshold: number;
  /** Raw corpus score at that threshold. */
  rawScore: number;
  /** Raw score of the null detector (every window missed): −fnWeight × windows. */
  nullScore: number;
  /** Raw score of the perfect detector: tpWeight × windows. */
  perfectScore: number;
  /** 100 × (raw − null) / (perfect − null): 0 = null detector, 100 = perfect. */
  normalizedScore: number;
  /** Counts of rows at the chosen threshold. */
  counts: Pick<ThresholdScore, 'tp' | 'fp' | 'fn' | 'tn'>;
  /** Number of windows scored. */
  windowCount: number;
}

/** NAB normalisation: 100 × (raw − null) / (perfect − null). */
export function normalizeScore(rawScore: number, nullScore: number, perfectScore: number): number {
  return (100 * (rawScore - nullScore)) / (perfectScore - nullScore);
}

/** Sweep points of every file of a corpus for one cost matrix. */
export function corpusPoints(
  files: readonly ScoredFile[],
  costMatrix: CostMatrix,
  probationaryPercent?: number,
): AnomalyPoint[] {
  const points: AnomalyPoint[] = [];
  for (const file of files) {
    for (const point of calcSweepScore({ ...file, fileName: file.name, costMatrix, probationaryPercent }))
      points.push(point);
  }
  return points;
}

/** Scores a corpus with one profile the way NAB does: optimise one threshold over the corpus, then normalise. */
export function scoreCorpus(
  files: readonly ScoredFile[],
  profile: NabProfileName,
  options: { threshold?: number; probationaryPercent?: number } = {},
): NabProfileResult {
  const costMatrix = NAB_PROFILES[profile];
  const points = corpusPoints(files, costMatrix, options.probationaryPercent);
  const windowCount = new Set(
    points
      .filter((point) => point.windowName !== null && point.windowName !== 'probationary')
      .map((point) => point.windowName),
  ).size;
  const byThreshold = calcScoreByThreshold(points, costMatrix);
  let best = byThreshold[0]!;
  if (options.threshold === undefined) {
    for (const candidate of byThreshold) if (candidate.score > best.score) best = candidate;
  } else {
    // NAB's scoreDataSet: the lowest listed threshold that is still >= the requested one.
    for (const candidate of byThreshold) if (candidate.threshold >= options.threshold) best = candidate;
  }
  const nullScore = -costMatrix.fnWeight * windowCount;
  const perfectScore = costMatrix.tpWeight * windowCount;
  return {
    profile,
    threshold: best.threshold,
    rawScore: best.score,
    nullScore,
    perfectScore,
    normalizedScore: normalizeScore(best.score, nullScore, perfectScore),
    counts: { tp: best.tp, fp: best.fp, fn: best.fn, tn: best.tn },
    windowCount,
  };
}

/** Per-file raw scores at a fixed threshold (for finding where a detector loses points). */
export function scorePerFile(
  files: readonly ScoredFile[],
  profile: NabProfileName,
  threshold: number,
): Array<{ name: string; score: number; detectedWindows: number; windows: number; falsePositives: number }> {
  return files.map((file) => {
    const result = scoreCorpus([file], profile, { threshold });
    const points = corpusPoints([file], NAB_PROFILES[profile]);
    const detected = new Set(
      points
        .filter((point) => point.windowName && point.windowName !== 'probationary' && point.anomalyScore >= threshold)
        .map((point) => point.windowName),
    ).size;
    return {
      name: file.name,
      score: result.rawScore,
      detectedWindows: detected,
      windows: result.windowCount,
      falsePositives: result.counts.fp,
    };
  });
}
