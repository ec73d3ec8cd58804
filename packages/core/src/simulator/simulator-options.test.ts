import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { ManualClock } from '../testing/manual-clock.js';
import { createFleetPlugin } from './fleet-plugin.js';
import { createFleetSimulator } from './fleet-simulator.js';
import { createThresholdAnalyzer } from './threshold-analyzer.js';

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  return undefined;
}

describe('simulator options', () => {
  it('reject a wrong option with a ValidationError naming it', () => {
    const clock = new ManualClock(0);
    expect(fieldOf(() => createFleetSimulator({ clock, noise: -1 }))).toBe('noise');
    expect(fieldOf(() => createFleetSimulator({ clock: undefined as never }))).toBe('clock');
    expect(
      fieldOf(() => createThresholdAnalyzer({ rules: [{ metric: 'cpu', above: 1, severity: 'huge' as never }] })),
    ).toBe('rules.0.severity');
    expect(fieldOf(() => createFleetPlugin(createFleetSimulator({ clock }), { name: '' }))).toBe('name');
  });

  it('apply the defaults: five services, a high-severity rule, the analyzer and plugin names', async () => {
    const fleet = createFleetSimulator({ clock: new ManualClock(0) });
    expect(fleet.resources()).toHaveLength(5);
    expect(fleet.plugin().name).toBe('fleet');
    const analyzer = createThresholdAnalyzer({ rules: [{ metric: 'cpu', above: 0.9 }] });
    expect(analyzer.name).toBe('threshold');
    const findings = await analyzer.analyze(
      [{ kind: 'metric', resource: 'web-1', metric: 'cpu', value: 0.95, timestamp: 1 }],
      undefined as never,
    );
    expect(findings).toMatchObject([{ severity: 'high', expected: 0.9 }]);
  });
});
