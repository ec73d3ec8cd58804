import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../simulator/seeded-random.js';
import { sampleBeta, ThompsonSamplingLearner } from './thompson-sampling-learner.js';

describe('ThompsonSamplingLearner', () => {
  it('samples Beta distributions with the right mean', () => {
    const random = createSeededRandom(7).next;
    const draws = Array.from({ length: 4000 }, () => sampleBeta(8, 2, random));
    const mean = draws.reduce((sum, value) => sum + value, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.78);
    expect(mean).toBeLessThan(0.82);
    expect(draws.every((value) => value > 0 && value < 1)).toBe(true);
  });

  it('converges on the action that works for each signature, and snapshots round-trip', () => {
    const learner = new ThompsonSamplingLearner({ priorAlpha: 1, priorBeta: 1, random: createSeededRandom(3).next });
    const fixes: Record<string, string> = {
      'anomaly:memory:deployment': 'restart',
      'anomaly:disk:deployment': 'clean',
    };
    const choices: string[] = [];
    for (let round = 0; round < 60; round++) {
      for (const [signature, fix] of Object.entries(fixes)) {
        const chosen = learner.rank(signature, ['restart', 'clean', 'scale'])[0]!.key;
        choices.push(chosen === fix ? 'right' : 'wrong');
        learner.update(signature, chosen, chosen === fix);
      }
    }
    expect(learner.best('anomaly:memory:deployment')).toBe('restart');
    expect(learner.best('anomaly:disk:deployment')).toBe('clean');
    expect(choices.slice(-40).filter((choice) => choice === 'right').length).toBeGreaterThanOrEqual(36);
    const copy = new ThompsonSamplingLearner({ priorAlpha: 1, priorBeta: 1, random: Math.random });
    expect(copy.restore(learner.snapshot())).toBe(true);
    expect(copy.posterior('anomaly:disk:deployment', 'clean')).toEqual(
      learner.posterior('anomaly:disk:deployment', 'clean'),
    );
    expect(copy.restore({ version: 99 })).toBe(false);
  });
});
