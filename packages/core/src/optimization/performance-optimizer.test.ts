import { describe, expect, it } from 'vitest';
import { ValidationError, type InsightFinding } from '../index.js';
import { PerformanceOptimizer } from './performance-optimizer.js';
import { createSimulatedService } from './simulated-service.js';

const START = Date.UTC(2026, 0, 1);

describe('PerformanceOptimizer', () => {
  it('converges near the known optimum of a simulated service, within the safety limits', () => {
    const service = createSimulatedService({ surface: 'pool', seed: 11 });
    const optimizer = new PerformanceOptimizer({ knobs: service.knobs });
    let previous = optimizer.currentConfig.poolSize!;
    for (let evaluation = 0; evaluation < 40; evaluation++) {
      const suggestion = optimizer.suggest();
      const pool = suggestion.config.poolSize!;
      expect(Number.isInteger(pool)).toBe(true);
      expect(pool).toBeGreaterThanOrEqual(1);
      expect(pool).toBeLessThanOrEqual(128);
      if (suggestion.reason !== 'revert') expect(Math.abs(pool - previous)).toBeLessThanOrEqual(16);
      previous = pool;
      optimizer.observe(suggestion.config, service.measure(suggestion.config));
    }
    const best = optimizer.best()!;
    const regret = service.optimum.reward - service.expectedReward(best.config);
    // The initial configuration (pool 96) is 67% worse than the optimum (pool 37); the tuned one is within 5%.
    expect(regret).toBeLessThan(0.05 * Math.abs(service.optimum.reward));
    expect(Math.abs(best.config.poolSize! - service.optimum.config.poolSize!)).toBeLessThanOrEqual(10);
  });

  it('tunes two knobs together', () => {
    const service = createSimulatedService({ surface: 'pool-and-cache', seed: 5 });
    const optimizer = new PerformanceOptimizer({ knobs: service.knobs });
    for (let evaluation = 0; evaluation < 40; evaluation++) {
      const suggestion = optimizer.suggest();
      expect(suggestion.config.cacheMiB).toBeGreaterThanOrEqual(0);
      expect(suggestion.config.cacheMiB).toBeLessThanOrEqual(2048);
      optimizer.observe(suggestion.config, service.measure(suggestion.config));
    }
    const reward = service.expectedReward(optimizer.best()!.config);
    // The initial configuration is 3.4× worse than the optimum; after 40 evaluations this seed is within ~10%.
    expect(service.optimum.reward - reward).toBeLessThan(0.12 * Math.abs(service.optimum.reward));
  });

  it('reverts to the best configuration when the reward collapses', () => {
    const optimizer = new PerformanceOptimizer({
      knobs: [{ name: 'poolSize', min: 1, max: 128, maxStep: 16, integer: true, initial: 30 }],
    });
    optimizer.observe(optimizer.suggest().config, -300);
    const next = optimizer.suggest();
    expect(optimizer.observe(next.config, -320)).toEqual({ collapsed: false });
    expect(optimizer.observe({ poolSize: 14 }, -5000)).toEqual({ collapsed: true }); // saturated pool
    const revert = optimizer.suggest();
    expect(revert.reason).toBe('revert');
    expect(revert.config).toEqual({ poolSize: 30 });
    expect(optimizer.revertCount).toBe(1);
    expect(optimizer.suggest().reason).not.toBe('revert');
  });

  it('publishes tuning insights as an engine analyzer', () => {
    const service = createSimulatedService({ surface: 'pool', seed: 2 });
    const optimizer = new PerformanceOptimizer({
      knobs: service.knobs,
      rewardMetric: 'latency_ms',
      rewardDirection: 'minimize',
      resource: 'api',
      samplesPerEvaluation: 3,
    });
    const findings: InsightFinding[] = [];
    for (let index = 0; index < 30; index++) {
      const config = optimizer.currentConfig;
      const records = [
        {
          kind: 'metric' as const,
          resource: 'api',
          metric: 'latency_ms',
          value: -service.measure(config),
          timestamp: START + index * 1000,
        },
        {
          kind: 'metric' as const,
          resource: 'other',
          metric: 'latency_ms',
          value: 1e9,
          timestamp: START + index * 1000,
        },
      ];
      findings.push(...(optimizer.analyze(records) as InsightFinding[]));
    }
    expect(findings).toHaveLength(10);
    expect(findings.every((finding) => finding.topic === 'tuning' && finding.resource === 'api')).toBe(true);
    expect(optimizer.history).toHaveLength(10);
    expect(optimizer.history[0]!.reward).toBeLessThan(0); // minimised latency became a negative reward
    expect(findings[0]!.data.config).toEqual(optimizer.history[1]!.config);
  });

  it('snapshots and restores its observations', () => {
    const optimizer = new PerformanceOptimizer({ knobs: [{ name: 'x', min: 0, max: 1 }] });
    for (let index = 0; index < 5; index++) {
      const { config } = optimizer.suggest();
      optimizer.observe(config, -((config.x! - 0.3) ** 2));
    }
    const restored = new PerformanceOptimizer({ knobs: [{ name: 'x', min: 0, max: 1 }] });
    restored.restore(JSON.parse(JSON.stringify(optimizer.snapshot())));
    expect(restored.history).toEqual(optimizer.history);
    expect(restored.suggest()).toEqual(optimizer.suggest());
    const other = new PerformanceOptimizer({ knobs: [{ name: 'y', min: 0, max: 1 }] });
    other.restore(optimizer.snapshot());
    expect(other.history).toHaveLength(0);
  });

  it('validates options and observations', () => {
    expect(() => new PerformanceOptimizer({ knobs: [] })).toThrowError(ValidationError);
    expect(() => new PerformanceOptimizer({ knobs: [{ name: 'a', min: 5, max: 1 }] })).toThrowError(
      /knobs\.0\.max: max must be greater than min/,
    );
    expect(() => new PerformanceOptimizer({ knobs: [{ name: 'a', min: 0, max: 1, initial: 3 }] })).toThrowError(
      /knobs\.0\.initial/,
    );
    expect(
      () =>
        new PerformanceOptimizer({
          knobs: [
            { name: 'a', min: 0, max: 1 },
            { name: 'a', min: 0, max: 1 },
          ],
        }),
    ).toThrowError(/knob names must be unique/);
    const optimizer = new PerformanceOptimizer({ knobs: [{ name: 'a', min: 0, max: 1 }] });
    expect(() => optimizer.observe({ a: 2 }, 1)).toThrowError(/observation\.config\.a: must be ≤ 1/);
    expect(() => optimizer.observe({ a: 0.5 }, Number.NaN)).toThrowError(/observation\.reward/);
    expect(() => optimizer.observe({}, 1)).toThrowError(ValidationError);
    expect(optimizer.history).toHaveLength(0);
  });
});
