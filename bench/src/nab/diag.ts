import { AnomalyDetector, ensembleStrategy } from '@iac-dharma/core';
import { loadNab } from './nab-data.js';
import { calcSweepScore } from './nab-sweeper.js';
import { NAB_PROFILES } from './nab-scorer.js';
const [pattern = 'IBM', thr = '0.5', opts = '{}'] = process.argv.slice(2);
for (const s of loadNab({ labelledOnly: true }).filter((x) => x.name.includes(pattern))) {
  const d = new AnomalyDetector({ strategy: ensembleStrategy(JSON.parse(opts)) });
  const scores = s.values.map((v, i) => d.score('a', s.timestamps[i]!, v));
  const pts = calcSweepScore({ timestamps: s.timestamps, anomalyScores: scores, windows: s.windows ?? [], costMatrix: NAB_PROFILES.standard, fileName: s.name });
  console.log(s.name, s.values.length, JSON.stringify(s.windows?.map(([a, b]) => [s.timestamps.findIndex((t) => t >= a), s.timestamps.findIndex((t) => t >= b)])));
  pts.forEach((p, i) => { if (p.anomalyScore >= Number(thr)) console.log(i, p.windowName ?? 'FP', p.anomalyScore.toFixed(3), p.sweepScore.toFixed(3), s.values[i]); });
}
