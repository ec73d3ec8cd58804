import { runDemo } from '../src/run-demo.ts';
const r = await runDemo({ seed: 7, hours: 24, models: '/tmp/art' });
const end = r.scenario.start + r.scenario.durationMs;
const by: Record<string, number[]> = {};
for (const f of r.findings) {
  if (f.kind !== 'anomaly' || !r.scenario.services.includes(f.resource)) continue;
  const inc = r.incidents.some((i) => i.service === f.resource && f.timestamp >= i.startedAt && f.timestamp <= (i.resolvedAt ?? end) + 1800000);
  if (inc) continue;
  const m = f.series!.split('/')[1]!;
  (by[m] ??= []).push(Math.round(f.score * 100) / 100);
  if (m === 'cpu_utilization' || m==='memory_utilization') console.log(((f.timestamp - r.scenario.start)/3600000).toFixed(2), f.summary, f.score.toFixed(2));
}
console.log(by);
for (const f of r.findings.filter(f=>f.kind==='forecast')) console.log(f.summary);
