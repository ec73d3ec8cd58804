// Runs the default AnomalyDetector over the labelled NAB files, as live streams, and scores the result
// with NAB's rules (all three profiles). Usage:
//   npx tsx --conditions=@iac-dharma/source bench/src/nab/run-nab.ts [--per-file] [--options '{"restSamples":120}']
//   npx tsx --conditions=@iac-dharma/source bench/src/nab/run-nab.ts --results <dir>
// --results scores NAB results files instead (e.g. the output of `dharma anomaly --input <nab>/data --out <dir>`):
// <dir>/<category>/<file>.csv with an anomaly_score column, one row per data row.
// Writes bench/results/nab.json for the default run only (not with --options or --results).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AnomalyDetector, ensembleStrategy, type EnsembleOptions } from '@iac-dharma/core';
import { loadNab } from './nab-data.js';
import { scoreCorpus, scorePerFile, type NabProfileName, type ScoredFile } from './nab-scorer.js';

const { values: args } = parseArgs({
  options: { 'per-file': { type: 'boolean' }, options: { type: 'string' }, results: { type: 'string' } },
});

/** Reads the anomaly_score column of a NAB results file. */
function readScores(path: string, rows: number): Float64Array {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const column = lines[0]!.split(',').indexOf('anomaly_score');
  if (column < 0 || lines.length - 1 !== rows)
    throw new Error(`${path}: expected an anomaly_score column and ${rows} rows`);
  return Float64Array.from(lines.slice(1), (line) => Number(line.split(',')[column]));
}
const tuning = args.options ? (JSON.parse(args.options) as EnsembleOptions) : undefined;
const corpus = loadNab({ labelledOnly: true });
const started = performance.now();
const files: ScoredFile[] = corpus.map((series) => {
  if (args.results)
    return {
      name: series.name,
      timestamps: series.timestamps,
      anomalyScores: readScores(join(args.results, series.name), series.values.length),
      windows: series.windows ?? [],
    };
  const detector = new AnomalyDetector({ strategy: tuning ? ensembleStrategy(tuning) : undefined });
  const anomalyScores = new Float64Array(series.values.length);
  for (let row = 0; row < series.values.length; row += 1)
    anomalyScores[row] = detector.score(series.name, series.timestamps[row]!, series.values[row]!);
  return { name: series.name, timestamps: series.timestamps, anomalyScores, windows: series.windows ?? [] };
});
const elapsedMs = performance.now() - started;
const profiles: NabProfileName[] = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];
const results = profiles.map((profile) => scoreCorpus(files, profile));
for (const result of results) {
  console.log(
    `${result.profile.padEnd(20)} ${result.normalizedScore.toFixed(2).padStart(7)}  (raw ${result.rawScore.toFixed(3)}, threshold ${result.threshold.toFixed(4)}, windows ${result.windowCount}, tp rows ${result.counts.tp}, fp rows ${result.counts.fp})`,
  );
}
console.log(
  `files ${files.length}, rows ${files.reduce((sum, file) => sum + file.timestamps.length, 0)}, detector time ${elapsedMs.toFixed(0)} ms`,
);
if (args['per-file']) {
  for (const row of scorePerFile(files, 'standard', results[0]!.threshold)) {
    console.log(
      `${row.score.toFixed(3).padStart(8)}  ${row.detectedWindows}/${row.windows} windows  ${String(row.falsePositives).padStart(3)} fp  ${row.name}`,
    );
  }
}
if (!tuning && !args.results) {
  mkdirSync(new URL('../../results/', import.meta.url), { recursive: true });
  const output = {
    dataset: 'NAB v1.1, 31 labelled files',
    detector: 'AnomalyDetector default (ensemble)',
    scores: Object.fromEntries(results.map((result) => [result.profile, result])),
  };
  writeFileSync(new URL('../../results/nab.json', import.meta.url), `${JSON.stringify(output, null, 2)}\n`);
}
