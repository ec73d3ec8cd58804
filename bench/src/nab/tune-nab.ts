// Tuning helper (not a benchmark): scores several ensemble configurations on the labelled NAB files.
//   npx tsx --conditions=@iac-dharma/source bench/src/nab/tune-nab.ts '{"restSamples":80}' '{"restSamples":120}'
import { AnomalyDetector, ensembleStrategy, type EnsembleOptions } from '@iac-dharma/core';
import { loadNab } from './nab-data.js';
import { scoreCorpus, type ScoredFile } from './nab-scorer.js';

const corpus = loadNab({ labelledOnly: true });
for (const text of process.argv.slice(2).length ? process.argv.slice(2) : ['{}']) {
  const options = JSON.parse(text) as EnsembleOptions;
  const files: ScoredFile[] = corpus.map((series) => {
    const detector = new AnomalyDetector({ strategy: ensembleStrategy(options) });
    const anomalyScores = new Float64Array(series.values.length);
    for (let row = 0; row < series.values.length; row += 1) anomalyScores[row] = detector.score('s', series.timestamps[row]!, series.values[row]!);
    return { name: series.name, timestamps: series.timestamps, anomalyScores, windows: series.windows ?? [] };
  });
  const [standard, lowFP, lowFN] = (['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const).map((profile) => scoreCorpus(files, profile));
  console.log(`${standard!.normalizedScore.toFixed(2)} ${lowFP!.normalizedScore.toFixed(2)} ${lowFN!.normalizedScore.toFixed(2)} thr=${standard!.threshold.toFixed(3)} ${text}`);
}
