import { describe, expect, it } from 'vitest';
import {
  createEngine,
  InProcessTransport,
  MemoryStorage,
  ValidationError,
  type Finding,
  type ForecastFinding,
} from '../index.js';
import { ManualClock, waitFor } from '../testing/index.js';
import { CapacityForecaster } from './capacity-forecaster.js';

const HOUR = 3_600_000;

/** Hourly disk usage growing 2 GB/h with a daily ripple, starting at `start`. */
function diskSamples(resource: string, start: number, hours: number) {
  return Array.from({ length: hours }, (_, t) => ({
    resource,
    metric: 'disk_used_gb',
    value: 100 + 2 * t + 4 * Math.sin((2 * Math.PI * t) / 24),
    timestamp: start + t * HOUR,
  }));
}

function setup(options: ConstructorParameters<typeof CapacityForecaster>[0]) {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const storage = new MemoryStorage();
  const transport = new InProcessTransport();
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, warn: (message: string) => void warnings.push(message), error() {} };
  const forecaster = new CapacityForecaster(options);
  const engine = createEngine({ storage, transport, clock, logger, analyzers: [forecaster], closeAdapters: false });
  return { clock, storage, transport, engine, forecaster, warnings };
}

describe('CapacityForecaster in an Engine', () => {
  it('publishes and emits a forecast finding when exhaustion falls within the warning window', async () => {
    const { clock, storage, transport, engine, forecaster } = setup({
      seasonLengths: [24],
      horizon: 48,
      targets: [{ metric: 'disk_used_gb', threshold: 500 }],
    });
    const published: unknown[] = [];
    await transport.subscribe({ topic: 'predictions', handler: async (message) => void published.push(message.value) });
    const emitted: ForecastFinding[] = [];
    engine.on('forecast', (finding) => emitted.push(finding));
    const start = clock.now();
    // 180 hours: last value ≈ 458 GB at t = 179; the trend reaches 500 GB near t = 200, ~21 h later.
    await engine.ingest(diskSamples('db-1', start, 180));
    await engine.ingest(diskSamples('web-1', start, 180).map((sample) => ({ ...sample, value: sample.value / 10 })));
    expect(forecaster.series.sort()).toEqual(['db-1/disk_used_gb', 'web-1/disk_used_gb']);
    clock.advance(180 * HOUR);

    const findings = await engine.tick();
    expect(findings).toHaveLength(1);
    const finding = findings[0] as ForecastFinding;
    expect(finding).toMatchObject({
      kind: 'forecast',
      resource: 'db-1',
      series: 'db-1/disk_used_gb',
      threshold: 500,
      level: 0.95,
      horizon: 48,
      analyzer: 'capacity-forecaster',
      severity: 'high',
    });
    const last = start + 179 * HOUR;
    expect((finding.exhaustionAt! - last) / HOUR).toBeGreaterThan(17);
    expect((finding.exhaustionAt! - last) / HOUR).toBeLessThan(26);
    expect(finding.exhaustionUpperAt!).toBeLessThanOrEqual(finding.exhaustionAt!);
    expect(finding.summary).toMatch(/db-1\/disk_used_gb is forecast to rise above 500/);
    expect(emitted).toHaveLength(1);
    await waitFor(() => published.length === 1);
    expect(published[0]).toMatchObject({ kind: 'forecast', resource: 'db-1' });
    expect(await storage.queryFindings({ kind: 'forecast' })).toHaveLength(1);

    // The same condition is not re-published until renotifyMs has passed.
    expect(await engine.tick()).toHaveLength(0);
    clock.advance(2 * HOUR);
    expect(await engine.tick()).toHaveLength(1);
    await engine.close();
  });

  it('publishes nothing when the threshold is beyond the warning window', async () => {
    const { clock, engine } = setup({
      seasonLengths: [24],
      targets: [{ metric: 'disk_used_gb', resource: 'db-1', threshold: 5000 }],
      warningWindowMs: 24 * HOUR,
    });
    await engine.ingest(diskSamples('db-1', clock.now(), 180));
    const findings: Finding[] = await engine.tick();
    expect(findings).toHaveLength(0);
    await engine.close();
  });

  it('reports series it cannot forecast through the logger without throwing into the engine', async () => {
    const { clock, engine, warnings } = setup({ targets: [{ metric: 'disk_used_gb', threshold: 10 }] });
    const samples = diskSamples('db-1', clock.now(), 30);
    samples[5]!.value = -3;
    await engine.ingest(samples);
    expect(await engine.tick()).toHaveLength(0);
    expect(warnings.join('\n')).toMatch(/db-1\/disk_used_gb.*values\.5.*negative/);
    await engine.close();
  });

  it('fills gaps in the stored history and restores tracked series from a snapshot', async () => {
    const { clock, engine, forecaster } = setup({
      seasonLengths: [24],
      targets: [{ metric: 'disk_used_gb', threshold: 500 }],
    });
    const samples = diskSamples('db-1', clock.now(), 180).filter((_, index) => index % 17 !== 3);
    await engine.ingest(samples);
    expect(await engine.tick()).toHaveLength(1);
    const restored = new CapacityForecaster({ targets: [{ metric: 'disk_used_gb', threshold: 500 }] });
    restored.restore(forecaster.snapshot());
    expect(restored.series).toEqual(['db-1/disk_used_gb']);
    restored.restore({ version: 99 });
    await engine.close();
  });

  it('rejects bad options with ValidationError naming the field', () => {
    expect(() => new CapacityForecaster({ targets: [{ metric: 'disk', threshold: Number.NaN }] })).toThrow(
      ValidationError,
    );
    expect(() => new CapacityForecaster({ level: 2 })).toThrow(/level/);
  });
});
