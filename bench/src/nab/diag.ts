import { AnomalyDetector, ensembleStrategy } from '@iac-dharma/core';
import { loadNab } from './nab-data.js';
import { calcSweepScore } from './nab-sweeper.js';
import { NAB_PROFILES } from './nab-scorer.js';
const [pattern = 'IBM', thr = '0.47', opts = '{}'] = process.argv.slice(2);
for (const s of loadNab({ labelledOnly: true }).filter((x) => x.name.includes(pattern))) {
  const d = new AnomalyDetector({ strategy: ensembleStrategy(JSON.parse(opts)) });
  const scores = s.values.map((v, i) => d.score('a', s.timestamps[i]!, v));
  const pts = calcSweepScore({ timestamps: s.timestamps, anomalyScores: scores, windows: s.windows ?? [], costMatrix: NAB_PROFILES.standard, fileName: s.name });
  let max = -Infinity, min = Infinity, sm = s.values[0]!, smax = -Infinity, smin = Infinity;
  pts.forEach((p, i) => {
    const v = s.values[i]!;
    sm += 0.05 * (v - sm);
    const tag = v > max ? 'NEWMAX' : v < min ? 'NEWMIN' : sm > smax ? 'SMAX' : sm < smin ? 'SMIN' : '';
    if (p.anomalyScore >= Number(thr) && p.windowName !== 'probationary') console.log(i, p.windowName ? 'TP' : 'FP', p.anomalyScore.toFixed(3), v, tag);
    max = Math.max(max, v); min = Math.min(min, v); smax = Math.max(smax, sm); smin = Math.min(smin, sm);
  });
}
