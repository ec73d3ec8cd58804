import { describe, expect, it } from 'vitest';
import { MetricSampleSchema } from '../schemas/records.js';
import { ManualClock } from '../testing/manual-clock.js';
import { createFleetSimulator } from './fleet-simulator.js';
import { FLEET_METRICS, INCIDENT_CATALOG, INCIDENT_KINDS, type FleetAction } from './incident-catalog.js';
import { createThresholdAnalyzer } from './threshold-analyzer.js';

const ACTIONS: FleetAction[] = ['restart', 'scale-out', 'clean-disk', 'rollback-deploy', 'migrate'];
const context = (resourceId: string, clock: ManualClock) => ({
  remediationId: 'r',
  resourceId,
  signal: new AbortController().signal,
  logger: console,
  clock,
  dryRun: false,
});

describe('FleetSimulator', () => {
  it('is deterministic for a seed and produces valid, healthy samples', () => {
    const run = (seed: number) => {
      const clock = new ManualClock();
      const fleet = createFleetSimulator({ clock, seed, services: 3 });
      return [fleet.sample(), fleet.sample()];
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
    const [samples] = run(1);
    expect(samples).toHaveLength(3 * FLEET_METRICS.length);
    for (const sample of samples!) {
      expect(MetricSampleSchema.safeParse(sample).success).toBe(true);
      expect(sample.value).toBeLessThan(FLEET_METRICS.find((metric) => metric.name === sample.metric)!.threshold);
    }
  });

  for (const kind of INCIDENT_KINDS) {
    it(`${kind}: breaches its primary metric, ignores wrong actions, ends with the right one`, async () => {
      const clock = new ManualClock();
      const fleet = createFleetSimulator({ clock, seed: 5, services: 2, noise: 0 });
      const { primaryMetric, fixedBy } = INCIDENT_CATALOG[kind];
      const threshold = FLEET_METRICS.find((metric) => metric.name === primaryMetric)!.threshold;
      fleet.inject({ service: 'svc-1', kind });
      await clock.advance(10 * 60_000);
      expect(fleet.currentValues('svc-1')[primaryMetric]).toBeGreaterThan(threshold);
      expect(fleet.currentValues('svc-2')[primaryMetric]).toBeLessThan(threshold);
      const plugin = fleet.plugin();
      for (const action of ACTIONS.filter((candidate) => !fixedBy.includes(candidate))) {
        await plugin.actions[action]!.execute(action === 'scale-out' ? { replicas: 1 } : {}, context('svc-1', clock));
      }
      expect(fleet.activeIncidents()).toHaveLength(1);
      await plugin.actions[fixedBy[0]!]!.execute({ replicas: 1 }, context('svc-1', clock));
      expect(fleet.activeIncidents()).toEqual([]);
      expect(fleet.currentValues('svc-1')[primaryMetric]).toBeLessThan(threshold);
      expect(fleet.incidents()[0]).toMatchObject({ kind, resolvedBy: fixedBy[0], resolvedAt: clock.now() });
      expect(fleet.actionLog().filter((entry) => entry.fixed)).toHaveLength(1);
    });
  }

  it('runs a compressed timeline through a threshold analyzer', async () => {
    const clock = new ManualClock();
    const fleet = createFleetSimulator({ clock, seed: 9, services: 3 });
    const analyzer = createThresholdAnalyzer({ rules: fleet.thresholdRules() });
    const findings: string[] = [];
    fleet.inject({ service: 'svc-2', kind: 'disk-filling' });
    await fleet.runFor(15 * 60_000, {
      stepMs: 10_000,
      ingest: async (samples) => {
        const records = samples.map((sample) => ({
          kind: 'metric' as const,
          ...sample,
          timestamp: sample.timestamp as number,
        }));
        for (const finding of await analyzer.analyze(records, undefined as never)) findings.push(finding.series!);
      },
      until: () => findings.length > 0,
    });
    expect(findings[0]).toBe('svc-2/disk_utilization');
    await expect(fleet.plugin().actions.restart!.execute({}, context('nope', clock))).rejects.toThrow(
      /No simulated service/,
    );
  });
});
