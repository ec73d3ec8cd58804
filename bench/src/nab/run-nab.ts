// Runs the default AnomalyDetector over the labelled NAB files, as live streams, and scores the result
// with NAB's rules (all three profiles). Usage:
//   npx tsx --conditions=@iac-dharma/source bench/src/nab/run-nab.ts [--per-file] [--options '{"restSamples":120}']
// Writes bench/results/nab.json unless --options is given (tuning runs are not the shipped configuration).
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AnomalyDetector, ensembleStrategy, type EnsembleOptions } from '@iac-dharma/core';
import { loadNab } from './nab-data.js';
import { scoreCorpus, scorePerFile, type NabProfileName, type ScoredFile } from './nab-scorer.js';

const { values: args } = parseArgs({ options: { 'per-file': { type: 'boolean' }, options: { type: 'string' } } });
const tuning = args.options ? (JSON.parse(args.options) as EnsembleOptions) : undefined;
const corpus = loadNab({ labelledOnly: true });
const started = performance.now();
const files: ScoredFile[] = corpus.map((series) => {
  const detector = new AnomalyDetector({ strategy: tuning ? ensembleStrategy(tuning) : undefined });
  const anomalyScores = new Float64Array(series.values.length);
  for (let row = 0; row < series.values.length; row += 1) anomalyScores[row] = detector.score(series.name, series.timestamps[row]!, series.values[row]!);
  return { name: series.name, timestamps: series.timestamps, anomalyScores, windows: series.windows ?? [] };
});
const elapsedMs = performance.now() - started;
const profiles: NabProfileName[] = ['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'];
const results = profiles.map((profile) => scoreCorpus(files, profile));
for (const result of results) {
  console.log(`${result.profile.padEnd(20)} ${result.normalizedScore.toFixed(2).padStart(7)}  (raw ${result.rawScore.toFixed(3)}, threshold ${result.threshold.toFixed(4)}, windows ${result.windowCount}, tp rows ${result.counts.tp}, fp rows ${result.counts.fp})`);
}
console.log(`files ${files.length}, rows ${files.reduce((sum, file) => sum + file.timestamps.length, 0)}, detector time ${elapsedMs.toFixed(0)} ms`);
if (args['per-file']) {
  for (const row of scorePerFile(files, 'standard', results[0]!.threshold)) {
    console.log(`${row.score.toFixed(3).padStart(8)}  ${row.detectedWindows}/${row.windows} windows  ${String(row.falsePositives).padStart(3)} fp  ${row.name}`);
  }
}
if (!tuning) {
  mkdirSync(new URL('../../results/', import.meta.url), { recursive: true });
  const output = { dataset: 'NAB v1.1, 31 labelled files', detector: 'AnomalyDetector default (ensemble)', scores: Object.fromEntries(results.map((result) => [result.profile, result])) };
  writeFileSync(new URL('../../results/nab.json', import.meta.url), `${JSON.stringify(output, null, 2)}\n`);
}
