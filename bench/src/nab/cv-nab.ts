// NAB cross-validation across files (not a benchmark, not a test): every detector setting is chosen on
// the training folds only and scored on the held-out files, so the figure predicts files never tuned on.
//
//   npx tsx --conditions=@iac-dharma/source bench/src/nab/cv-nab.ts [--folds 5] [--grid default|search] [--out bench/results/nab-cv.json]
//   … cv-nab.ts --configs '[{}, [{"averagingWindow":8},{},{"averagingWindow":12}]]' [--combine mean|max]
//
// --configs replaces the grid with the listed configurations; an entry that is a list runs one detector per
// member on the same series and combines their scores row by row (--combine, default mean): a bagged or a
// short-window + long-window detector. --extra '[…]' appends such configurations to the chosen grid (e.g. to
// measure the nested CV of the search grid with candidates added).
//
// Protocol: the 31 labelled files are dealt into k folds round-robin within each NAB category (sorted by
// name), so every fold mixes categories. For each fold, the configuration (ensemble options) AND the
// threshold are chosen by the best standard-profile raw score on the other folds; the held-out files are
// scored at that threshold. The held-out raw scores of all folds are summed and normalised with NAB's
// null/perfect scores of the whole corpus: the cross-validated score. Next to it: the in-sample score of
// every configuration (threshold optimised on all 31 files, as NAB's own scorer does) and how often each
// configuration won a fold. Also "leave one category out" (same procedure, one fold per category).
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AnomalyDetector, ensembleStrategy, type EnsembleOptions } from '@iac-dharma/core';
import { loadNab, type NabSeries } from './nab-data.js';
import { NAB_PROFILES, normalizeScore, type ScoredFile } from './nab-scorer.js';
import { calcScoreByThreshold, calcSweepScore, type AnomalyPoint } from './nab-sweeper.js';

const { values: args } = parseArgs({
  options: {
    folds: { type: 'string', default: '5' },
    grid: { type: 'string', default: 'default' },
    out: { type: 'string' },
    configs: { type: 'string' },
    extra: { type: 'string' },
    combine: { type: 'string', default: 'mean' },
  },
});
if (args.combine !== 'mean' && args.combine !== 'max') throw new Error(`--combine: mean or max, not ${args.combine}`);
/** One configuration, or several whose scores are combined (see --combine). */
type Configuration = EnsembleOptions | EnsembleOptions[];
const folds = Number(args.folds);
const costMatrix = NAB_PROFILES.standard;

/** The candidate configurations: `default` = the shipped defaults only (CV then only chooses the threshold); `search` = the grid the defaults were chosen from. */
function grid(name: string): Array<{ label: string; options: Configuration }> {
  if (args.configs)
    return (JSON.parse(args.configs) as Configuration[]).map((options) => ({
      label: JSON.stringify(options),
      options,
    }));
  const base: Array<{ label: string; options: Configuration }> = [{ label: 'default', options: {} }];
  if (name === 'default') return base;
  const out = [...base];
  const add = (options: EnsembleOptions) => out.push({ label: JSON.stringify(options), options });
  // The grid the shipped outlier settings were chosen from (issue 21 / 17.8); 0/0 = the detector before them.
  for (const outlierCap of [0, 0.5, 1, 2])
    for (const outlierForgetting of [0, 0.001, 0.01]) add({ outlierCap, outlierForgetting });
  // One-step moves of the older settings around the defaults (the neighbourhood they were tuned in).
  const moves: Array<[keyof EnsembleOptions, unknown[]]> = [
    ['restSamples', [60, 90, 160, 240]],
    ['averagingWindow', [5, 20]],
    ['likelihoodAlpha', [0.002, 0.008]],
    ['spatialTolerance', [0.01, 0.1]],
    ['smoothSpatialTolerance', [0.05, 0.2]],
    ['warmupSamples', [100, 250]],
    ['contextLength', [3, 5]],
    ['restBreakExcess', [0, 0.5]],
    ['detectionLevel', [0.4, 0.5]],
    ['resolutions', [[8, 32]]],
    ['runContext', [false]],
  ];
  for (const [key, values] of moves) for (const value of values) add({ [key]: value } as EnsembleOptions);
  return out;
}

function run(series: NabSeries, options: Configuration): ScoredFile {
  if (Array.isArray(options)) {
    const members = options.map((member) => run(series, member).anomalyScores);
    const anomalyScores = new Float64Array(series.values.length);
    for (let row = 0; row < anomalyScores.length; row += 1) {
      let combined = 0;
      for (const member of members)
        combined = args.combine === 'max' ? Math.max(combined, member[row]!) : combined + member[row]! / members.length;
      anomalyScores[row] = combined;
    }
    return { name: series.name, timestamps: series.timestamps, anomalyScores, windows: series.windows ?? [] };
  }
  const detector = new AnomalyDetector({ strategy: ensembleStrategy(options) });
  const anomalyScores = new Float64Array(series.values.length);
  for (let row = 0; row < series.values.length; row += 1)
    anomalyScores[row] = detector.score('s', series.timestamps[row]!, series.values[row]!);
  return { name: series.name, timestamps: series.timestamps, anomalyScores, windows: series.windows ?? [] };
}

const corpus = loadNab({ labelledOnly: true });
const configurations = [
  ...grid(args.grid!),
  ...(args.extra
    ? (JSON.parse(args.extra) as Configuration[]).map((options) => ({ label: JSON.stringify(options), options }))
    : []),
];
// points[config][file]
const points: AnomalyPoint[][][] = configurations.map(({ options }) =>
  corpus.map((series) => calcSweepScore({ ...run(series, options), fileName: series.name, costMatrix })),
);
const windowsOf = corpus.map((series) => series.windows?.length ?? 0);
const totalWindows = windowsOf.reduce((a, b) => a + b, 0);
const nullOf = (windows: number) => -costMatrix.fnWeight * windows;
const perfectOf = (windows: number) => costMatrix.tpWeight * windows;

function best(configIndex: number, files: number[]): { threshold: number; score: number } {
  const all = files.flatMap((file) => points[configIndex]![file]!);
  let top = { threshold: 1, score: -Infinity };
  for (const candidate of calcScoreByThreshold(all, costMatrix)) if (candidate.score > top.score) top = candidate;
  return top;
}
function scoreAt(configIndex: number, files: number[], threshold: number): number {
  const all = files.flatMap((file) => points[configIndex]![file]!);
  let chosen = { score: nullOf(files.reduce((s, f) => s + windowsOf[f]!, 0)), threshold: Infinity };
  // NAB's scoreDataSet: the lowest listed threshold that is still >= the requested one.
  for (const candidate of calcScoreByThreshold(all, costMatrix))
    if (candidate.threshold >= threshold && candidate.threshold <= chosen.threshold) chosen = candidate;
  return chosen.score;
}

function crossValidate(assignment: number[], foldCount: number) {
  let heldOutRaw = 0;
  const wins: string[] = [];
  const perFold: Array<{
    fold: number;
    files: number;
    chosen: string;
    threshold: number;
    heldOutNormalized: number | null;
  }> = [];
  for (let fold = 0; fold < foldCount; fold++) {
    const train = corpus.map((_, i) => i).filter((i) => assignment[i] !== fold);
    const test = corpus.map((_, i) => i).filter((i) => assignment[i] === fold);
    if (test.length === 0) continue;
    let winner = 0;
    let winnerFit = best(0, train);
    for (let c = 1; c < configurations.length; c++) {
      const fit = best(c, train);
      if (fit.score > winnerFit.score) {
        winner = c;
        winnerFit = fit;
      }
    }
    const raw = scoreAt(winner, test, winnerFit.threshold);
    heldOutRaw += raw;
    wins.push(configurations[winner]!.label);
    const w = test.reduce((s, f) => s + windowsOf[f]!, 0);
    perFold.push({
      fold,
      files: test.length,
      chosen: configurations[winner]!.label,
      threshold: winnerFit.threshold,
      heldOutNormalized: w > 0 ? round(normalizeScore(raw, nullOf(w), perfectOf(w))) : null,
    });
  }
  return { score: round(normalizeScore(heldOutRaw, nullOf(totalWindows), perfectOf(totalWindows))), perFold, wins };
}

const round = (value: number) => Math.round(value * 100) / 100;
// k folds, round-robin within each category.
const byCategory = new Map<string, number[]>();
corpus.forEach((series, index) => {
  const category = series.name.split('/')[0]!;
  byCategory.set(category, [...(byCategory.get(category) ?? []), index]);
});
const kAssignment = new Array<number>(corpus.length);
let next = 0;
for (const members of byCategory.values()) for (const index of members) kAssignment[index] = next++ % folds;
const categories = [...byCategory.keys()];
const categoryAssignment = corpus.map((series) => categories.indexOf(series.name.split('/')[0]!));

const kFold = crossValidate(kAssignment, folds);
const leaveCategoryOut = crossValidate(categoryAssignment, categories.length);
const inSample = configurations.map((configuration, c) => {
  const fit = best(
    c,
    corpus.map((_, i) => i),
  );
  return {
    config: configuration.label,
    inSample: round(normalizeScore(fit.score, nullOf(totalWindows), perfectOf(totalWindows))),
    threshold: round(fit.threshold * 100) / 100,
  };
});
for (const row of inSample)
  console.log(`in-sample ${row.inSample.toFixed(2).padStart(6)} thr ${row.threshold}  ${row.config}`);
console.log(
  `${folds}-fold CV (config + threshold chosen on the other folds): ${kFold.score.toFixed(2)}   winners: ${kFold.wins.join(' | ')}`,
);
console.log(
  `leave-one-category-out CV: ${leaveCategoryOut.score.toFixed(2)}   winners: ${leaveCategoryOut.wins.join(' | ')}`,
);
if (args.out) {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    args.out,
    `${JSON.stringify({ title: 'NAB cross-validation (31 labelled files, standard profile)', command: `npx tsx --conditions=@iac-dharma/source bench/src/nab/cv-nab.ts ${process.argv.slice(2).join(' ')}`, measuredAt: new Date().toISOString(), folds, kFold, leaveCategoryOut, inSample }, null, 2)}\n`,
  );
}
