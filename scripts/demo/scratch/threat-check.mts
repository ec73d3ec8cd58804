import { ThreatDetector, createBundledModelSource } from '@iac-dharma/models';
import { createEngine } from '@iac-dharma/core';
import { ConnectionGenerator } from '../src/connection-generator.ts';
const detector = new ThreatDetector({ source: createBundledModelSource({ directory: '/tmp/art' }) });
await detector.ready();
const engine = createEngine({ analyzers: [detector] });
const gen = new ConnectionGenerator(7);
let t = Date.UTC(2026,0,1);
let normalFlags = 0, scanFlags = 0;
const cats: Record<string, number> = {};
for (let m = 0; m < 300; m++) {
  const recs = gen.normal(t, 60_000);
  const scan = m === 150 ? gen.scan(t + 1000, 12_000, 240, '203.0.113.66') : [];
  const all = [...recs, ...scan].sort((a, b) => (a.timestamp as number) - (b.timestamp as number));
  const r = await engine.ingest(all);
  for (const f of r.findings) { if (f.labels?.source === '203.0.113.66') scanFlags++; else normalFlags++; if (f.kind==='threat') cats[f.category]=(cats[f.category]??0)+1; }
  t += 60_000;
}
console.log({ normalFlags, scanFlags, cats, stats: detector.stats() });
