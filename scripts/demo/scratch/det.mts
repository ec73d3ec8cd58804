import { AnomalyDetector, zScoreStrategy, ensembleStrategy } from '@iac-dharma/core';
import { createFleetSimulator } from '@iac-dharma/core/simulator';
import { ManualClock } from '@iac-dharma/core/testing';
const configs: Record<string, () => AnomalyDetector> = {
  ensemble: () => new AnomalyDetector(),
  'ensemble tol0.2': () => new AnomalyDetector({ strategy: ensembleStrategy({ spatialTolerance: 0.2 }) }),
  'z 0.8': () => new AnomalyDetector({ strategy: zScoreStrategy(), threshold: 0.8 }),
  'z 0.7': () => new AnomalyDetector({ strategy: zScoreStrategy(), threshold: 0.7 }),
  'z a.02 0.8': () => new AnomalyDetector({ strategy: zScoreStrategy({alpha:0.02}), threshold: 0.8 }),
};
for (const seed of [7, 1, 2]) for (const [name, make] of Object.entries(configs)) {
  const clock = new ManualClock();
  const fleet = createFleetSimulator({ clock, seed, services: 5 });
  const d = make();
  let fa = 0; const det: string[] = [];
  let inc: any;
  for (let s = 0; s < 1440; s++) {
    await clock.advance(60000);
    if (s === 600) inc = fleet.inject({ service: 'svc-2', kind: 'memory-leak' });
    if (s === 800) fleet.inject({ service: 'svc-3', kind: 'cpu-saturation' });
    if (s === 1000) fleet.inject({ service: 'svc-4', kind: 'bad-deploy' });
    if (s === 1200) fleet.inject({ service: 'svc-5', kind: 'noisy-neighbour' });
    const f = d.analyze(fleet.sample().map((x: any) => ({ kind: 'metric', ...x })) as any);
    for (const x of f) {
      const active = fleet.activeIncidents().find((i) => i.service === x.resource);
      if (active) { det.push(`${active.kind}@+${(x.timestamp - active.startedAt)/60000}`); fleet.applyAction(x.resource, ({'memory-leak':'restart','cpu-saturation':'scale-out','bad-deploy':'rollback-deploy','noisy-neighbour':'migrate'} as any)[active.kind]); }
      else fa++;
    }
  }
  console.log(seed, name.padEnd(16), 'false alarms', fa, det.join(' '));
}
