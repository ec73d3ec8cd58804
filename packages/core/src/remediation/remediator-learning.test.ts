import { describe, expect, it } from 'vitest';
import { Engine } from '../engine/engine.js';
import { createFleetSimulator } from '../simulator/fleet-simulator.js';
import { INCIDENT_CATALOG } from '../simulator/incident-catalog.js';
import { createThresholdAnalyzer } from '../simulator/threshold-analyzer.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { ManualClock } from '../testing/manual-clock.js';
import { createRemediator } from './remediator.js';

describe('Remediator learning on the fleet simulator', () => {
  it('learns which action fixes which incident, persists it, and keeps the history intact', async () => {
    const clock = new ManualClock();
    const storage = new MemoryStorage();
    const fleet = createFleetSimulator({ clock, seed: 11, services: 4 });
    for (const resource of fleet.resources()) await storage.putResource({ resource });
    const remediator = createRemediator({
      storage,
      clock,
      plugins: [fleet.plugin()],
      learner: { seed: 11 },
      policies: [
        {
          name: 'fleet',
          match: { kinds: ['anomaly'] },
          mode: 'enforce',
          actions: ['restart', 'scale-out', 'clean-disk', 'rollback-deploy', 'migrate'].map((action) => ({
            plugin: 'fleet',
            action,
          })),
          verify: { windowMs: 30_000, intervalMs: 5_000, consecutive: 2 },
        },
      ],
      guards: {
        cooldown: { resourceMs: 10_000, actionMs: 600_000 },
        rateLimit: { perResource: { max: 20, windowMs: 3_600_000 }, perAction: { max: 200, windowMs: 3_600_000 } },
      },
    });
    const engine = new Engine({
      storage,
      clock,
      analyzers: [createThresholdAnalyzer({ rules: fleet.thresholdRules() })],
      handlers: [remediator],
      publishFindings: false,
      closeAdapters: false,
    });
    const ingest = (samples: ReturnType<typeof fleet.sample>) => engine.ingest(samples);
    const pendingWork = () => remediator.pendingWork();
    for (let episode = 0; episode < 60; episode++) {
      const incident = fleet.injectRandom()!;
      await fleet.runFor(20 * 60_000, {
        stepMs: 5_000,
        ingest,
        pendingWork,
        until: () => fleet.incidents().find((item) => item.id === incident.id)!.resolvedAt !== undefined,
      });
      await fleet.runFor(60_000, { stepMs: 5_000, ingest, pendingWork }); // let the verification finish and the learner update
    }
    const incidents = fleet.incidents();
    expect(incidents.every((incident) => incident.resolvedAt !== undefined)).toBe(true);
    for (const kind of ['memory-leak', 'disk-filling', 'noisy-neighbour'] as const) {
      const signature = `anomaly:${INCIDENT_CATALOG[kind].primaryMetric}:deployment`;
      expect(remediator.learner.best(signature), signature).toBe(`fleet.${INCIDENT_CATALOG[kind].fixedBy[0]}`);
    }
    const log = fleet.actionLog();
    const firstTryRight = incidents
      .slice(-20)
      .filter((incident) => log.find((entry) => entry.incidentId === incident.id)?.fixed).length;
    expect(firstTryRight).toBeGreaterThanOrEqual(16);
    expect(await storage.getState({ key: 'remediator:learner' })).toMatchObject({ version: 1 });
    expect(await remediator.verifyHistory()).toEqual({ ok: true });
    await engine.close();
  });
});
