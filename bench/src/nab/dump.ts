import { writeFileSync } from 'node:fs';
import { AnomalyDetector, ensembleStrategy } from '@iac-dharma/core';
import { loadNab } from './nab-data.js';
const [pattern = '', opts = '{}'] = process.argv.slice(2);
for (const s of loadNab({ labelledOnly: true }).filter((x) => x.name.includes(pattern))) {
  const d = new AnomalyDetector({ strategy: ensembleStrategy(JSON.parse(opts)) });
  const scores = s.values.map((v, i) => d.score('a', s.timestamps[i]!, v));
  writeFileSync(`/tmp/dump-${s.name.replace(/\//g, '_')}`, scores.join('\n'));
}
