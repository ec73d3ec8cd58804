// Tuning helper (not a benchmark): scores several ensemble configurations on the labelled NAB files.
//   npx tsx --conditions=@iac-dharma/source bench/src/nab/tune-nab.ts '{"restSamples":80}' '{"restSamples":120}'
import { AnomalyDetector, ensembleStrategy, type EnsembleOptions } from '@iac-dharma/core';
import { loadNab } from './nab-data.js';
import { NAB_PROFILES, corpusPoints, scoreCorpus, type ScoredFile } from './nab-scorer.js';

const corpus = loadNab({ labelledOnly: true });
for (const text of process.argv.slice(2).length ? process.argv.slice(2) : ['{}']) {
  const options = JSON.parse(text) as EnsembleOptions;
  const files: ScoredFile[] = corpus.map((series) => {
    const detector = new AnomalyDetector({ strategy: ensembleStrategy(options) });
    const anomalyScores = new Float64Array(series.values.length);
    for (let row = 0; row < series.values.length; row += 1)
      anomalyScores[row] = detector.score('s', series.timestamps[row]!, series.values[row]!);
    return { name: series.name, timestamps: series.timestamps, anomalyScores, windows: series.windows ?? [] };
  });
  const [standard, lowFP, lowFN] = (['standard', 'reward_low_FP_rate', 'reward_low_FN_rate'] as const).map((profile) =>
    scoreCorpus(files, profile),
  );
  const points = corpusPoints(files, NAB_PROFILES.standard).filter(
    (point) => point.windowName !== 'probationary' && point.anomalyScore >= standard!.threshold,
  );
  const best = new Map<string, number>();
  let fpCost = 0;
  for (const point of points) {
    if (point.windowName === null) fpCost += point.sweepScore;
    else best.set(point.windowName, Math.max(best.get(point.windowName) ?? -1, point.sweepScore));
  }
  const tpSum = [...best.values()].reduce((sum, value) => sum + value, 0);
  console.log(
    `  detected ${best.size}/${standard!.windowCount} tpSum ${tpSum.toFixed(2)} (avg ${(tpSum / best.size).toFixed(3)}) fpCost ${fpCost.toFixed(2)}`,
  );
  console.log(
    `${standard!.normalizedScore.toFixed(2)} ${lowFP!.normalizedScore.toFixed(2)} ${lowFN!.normalizedScore.toFixed(2)} thr=${standard!.threshold.toFixed(3)} ${text}`,
  );
}
