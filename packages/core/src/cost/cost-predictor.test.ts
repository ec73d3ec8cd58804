import { describe, expect, it } from 'vitest';
import {
  MemoryStorage,
  ValidationError,
  createEngine,
  noopLogger,
  type InsightFinding,
  type MetricSample,
} from '../index.js';
import { ManualClock } from '../testing/index.js';
import { createSeededRandom } from '../simulator/seeded-random.js';
import { ResourceOptimizer } from '../optimization/resource-optimizer.js';
import { CostPredictor } from './cost-predictor.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);

/** Hourly spend of one resource: `base` + a daily cycle + a daily `trend` rise + noise; optional spike. */
function hourlyCost(options: {
  resource: string;
  team?: string;
  hours: number;
  base: number;
  trend?: number;
  spikeAt?: number;
  seed?: number;
}): MetricSample[] {
  const random = createSeededRandom(options.seed ?? 1);
  return Array.from({ length: options.hours }, (_, hour) => {
    const daily = 0.2 * options.base * Math.sin((2 * Math.PI * hour) / 24);
    const value = Math.max(
      0,
      options.base + daily + ((options.trend ?? 0) * hour) / 24 + 0.03 * options.base * random.normal(),
    );
    return {
      kind: 'metric' as const,
      resource: options.resource,
      metric: 'cost',
      value: hour === options.spikeAt ? value * 5 : value,
      timestamp: START + hour * HOUR,
      ...(options.team ? { labels: { team: options.team } } : {}),
    };
  });
}

describe('CostPredictor', () => {
  it('flags a budget the forecast will overrun, and not one it will meet', async () => {
    // $10/h rising by $2/h per day: 10 days so far; a 30-day budget of 9000 will be overrun (~ 30·24·10 + trend),
    // one of 20000 will not.
    const clock = new ManualClock(START + 10 * DAY);
    const predictor = new CostPredictor({
      budgets: [
        { team: 'payments', amount: 9000, periodStart: START },
        { resource: 'quiet', amount: 20_000, periodStart: START },
      ],
    });
    const engine = createEngine({ analyzers: [predictor], clock, persistSamples: false });
    await engine.ingest([
      ...hourlyCost({ resource: 'db', team: 'payments', hours: 240, base: 10, trend: 2 }),
      ...hourlyCost({ resource: 'quiet', hours: 240, base: 10, seed: 2 }),
    ]);
    const statuses = predictor.budgets();
    const payments = statuses.find((status) => status.scope === 'team:payments')!;
    // Truth: spent ≈ Σ_{h<240} (10 + 2h/24) ≈ 2400 + 2·Σh/24 ≈ 4790; rest ≈ Σ_{240≤h<720} (10 + 2h/24) ≈ 4800 + 19180 ≈ 24000.
    expect(payments.spent).toBeGreaterThan(4500);
    expect(payments.spent).toBeLessThan(5100);
    expect(payments.state).toBe('forecast');
    expect(payments.forecastTotal).toBeGreaterThan(20_000);
    expect(payments.forecastTotal).toBeLessThan(36_000);
    expect(statuses.find((status) => status.scope === 'resource:quiet')!.state).toBe('ok');
    const findings = (await engine.tick()) as InsightFinding[];
    const budget = findings.filter((finding) => finding.data.type === 'budget');
    expect(budget.map((finding) => finding.resource)).toEqual(['payments']);
    expect(budget[0]!.severity).toBe('high');
    expect(budget[0]!.topic).toBe('cost');
    expect((await engine.tick()).length).toBe(0); // not repeated within renotifyMs
    await engine.close();
  });

  it('flags an injected cost spike for the resource and its team', () => {
    const predictor = new CostPredictor();
    const findings = predictor.analyze(
      hourlyCost({ resource: 'gpu-1', team: 'ml', hours: 24 * 14, base: 50, spikeAt: 24 * 12 + 5 }),
    ) as InsightFinding[];
    const anomalies = findings.filter((finding) => finding.data.type === 'anomaly');
    const spikeTime = START + (24 * 12 + 5) * HOUR;
    expect(anomalies.some((finding) => finding.resource === 'gpu-1' && finding.timestamp === spikeTime)).toBe(true);
    expect(anomalies.some((finding) => finding.resource === 'ml' && finding.timestamp === spikeTime)).toBe(true); // the team's bucket, when it closed
    // Before the spike, two weeks of ordinary spend raise (almost) nothing.
    expect(anomalies.filter((finding) => finding.timestamp < spikeTime).length).toBeLessThanOrEqual(1);
  });

  it('forecasts spend with intervals', () => {
    const predictor = new CostPredictor();
    predictor.analyze(hourlyCost({ resource: 'vm', hours: 24 * 7, base: 20 }));
    const forecast = predictor.forecast({ resource: 'vm' }, 24);
    expect(forecast.point).toHaveLength(24);
    expect(forecast.total).toBeGreaterThan(24 * 20 * 0.9);
    expect(forecast.total).toBeLessThan(24 * 20 * 1.1);
    expect(forecast.totalUpper).toBeGreaterThan(forecast.total);
    expect(forecast.start).toBe(START + 24 * 7 * HOUR);
    expect(() => predictor.forecast({ resource: 'vm', team: 'x' }, 24)).toThrowError(
      /give exactly one of resource or team/,
    );
  });

  it('prices a ResourceOptimizer’s recommendations', async () => {
    const clock = new ManualClock(START + DAY);
    const storage = new MemoryStorage();
    await storage.putResource({
      resource: { type: 'compute', id: 'vm-1', name: 'vm-1', cpu: 8, memoryMiB: 16_384, labels: {}, status: 'running' },
    });
    const optimizer = new ResourceOptimizer();
    optimizer.analyze(
      Array.from({ length: 600 }, (_, minute) => [
        {
          kind: 'metric' as const,
          resource: 'vm-1',
          metric: 'cpu_usage_cores',
          value: 1,
          timestamp: START + minute * 60_000,
        },
        {
          kind: 'metric' as const,
          resource: 'vm-1',
          metric: 'memory_usage_bytes',
          value: 2 * 2 ** 30,
          timestamp: START + minute * 60_000,
        },
      ]).flat(),
    );
    const predictor = new CostPredictor(
      { prices: { cpuCoreHour: 0.05, memoryGiBHour: 0.01 } },
      { resourceOptimizer: optimizer },
    );
    const savings = (await predictor.savings({ storage, clock }))!;
    // Targets: 1 × 1.15 cores and 2 × 1.15 GiB → frees 6.85 cores and 13.7 GiB.
    expect(savings.workloads[0]!.cpuCores).toBeCloseTo(6.85, 1);
    expect(savings.workloads[0]!.memoryGiB).toBeCloseTo(13.7, 1);
    expect(savings.totalHourly).toBeCloseTo(6.85 * 0.05 + 13.7 * 0.01, 2);
    const findings = (await predictor.tick({
      storage,
      clock,
      logger: noopLogger,
      newId: () => 'x',
    })) as InsightFinding[];
    expect(findings).toHaveLength(1);
    expect(findings[0]!.data.type).toBe('savings');
    expect(findings[0]!.data.monthly).toBeCloseTo(savings.totalMonthly, 6);
  });

  it('validates options, skips bad samples and restores its state', () => {
    expect(() => new CostPredictor({ budgets: [{ amount: 10, periodStart: START }] })).toThrowError(
      /CostPredictor options\.budgets\.0\.resource: give exactly one/,
    );
    expect(() => new CostPredictor({ stepMs: 0 })).toThrowError(ValidationError);
    const predictor = new CostPredictor();
    predictor.analyze(hourlyCost({ resource: 'vm', hours: 48, base: 5 }));
    predictor.analyze([{ kind: 'metric', resource: 'vm', metric: 'cost', value: -3, timestamp: START }]);
    expect(predictor.skipped).toBe(1);
    const restored = new CostPredictor();
    restored.restore(JSON.parse(JSON.stringify(predictor.snapshot())));
    expect(restored.forecast({ resource: 'vm' }, 6)).toEqual(predictor.forecast({ resource: 'vm' }, 6));
    const otherStep = new CostPredictor({ stepMs: DAY });
    otherStep.restore(predictor.snapshot());
    expect(otherStep.scopes).toEqual([]);
  });
});
