import { AnomalyDetector, ensembleStrategy } from '@iac-dharma/core';
import { loadNab } from './nab-data.js';
const [pattern = '', opts = '{}'] = process.argv.slice(2);
for (const s of loadNab({ labelledOnly: true }).filter((x) => x.name.includes(pattern))) {
  const d = new AnomalyDetector({ strategy: ensembleStrategy(JSON.parse(opts)) });
  const scores = s.values.map((v, i) => d.score('a', s.timestamps[i]!, v));
  for (const [a, b] of s.windows ?? []) {
    const l = s.timestamps.findIndex((t) => t >= a), r = s.timestamps.findIndex((t) => t >= b);
    let m = 0, at = -1;
    for (let i = l; i <= r; i++) if (scores[i]! > m) { m = scores[i]!; at = i; }
    console.log(`${m.toFixed(3)} at ${at < 0 ? '-' : ((at - l) / (r - l)).toFixed(2)} win [${l},${r}] n=${s.values.length} ${s.name}`);
  }
}
