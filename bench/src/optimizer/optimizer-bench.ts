/**
 * PerformanceOptimizer on the simulated service (known optimum): how close it gets (regret of the
 * configuration it would keep) and how fast (evaluations until that configuration is within 5% of the
 * optimal reward), over seeded runs, against a random search of the whole range with the same budget.
 *
 * Also measures ResourceOptimizer's CPU target against known distributions (see rightsizing-accuracy.ts).
 *
 * Run: cd /work/main && npx tsx --conditions=@iac-dharma/source bench/src/optimizer/optimizer-bench.ts [--runs 20] [--budget 60]
 * Writes bench/results/optimizer.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PerformanceOptimizer, createSimulatedService, type KnobConfiguration } from '@iac-dharma/core';
import { measureRightsizing } from './rightsizing-accuracy.js';

/** mulberry32: a seeded uniform [0, 1) source for the random-search baseline. */
function createSeededRandom(seed: number): { next(): number } {
  let state = seed >>> 0;
  return {
    next() {
      state = (state + 0x6d2b79f5) >>> 0;
      let mixed = Math.imul(state ^ (state >>> 15), state | 1);
      mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
      return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
    },
  };
}

const here = dirname(fileURLToPath(import.meta.url));
const resultsFile = resolve(here, '../../results/optimizer.json');

function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
}

interface Run {
  finalRegret: number;
  finalRelativeRegret: number;
  evaluationsTo5Percent: number | null;
  meanRelativeRegretOfApplied: number;
  reverts: number;
  stepViolations: number;
  millisecondsPerEvaluation: number;
}

function runOptimizer(surface: 'pool' | 'pool-and-cache', seed: number, budget: number): Run {
  const service = createSimulatedService({ surface, seed });
  const optimum = service.optimum.reward;
  const optimizer = new PerformanceOptimizer({ knobs: service.knobs });
  let reached: number | null = null;
  let appliedRegret = 0;
  let stepViolations = 0;
  let previous = optimizer.currentConfig;
  let elapsed = 0;
  for (let evaluation = 1; evaluation <= budget; evaluation++) {
    const started = performance.now();
    const suggestion = optimizer.suggest();
    elapsed += performance.now() - started;
    if (suggestion.reason !== 'revert') {
      for (const knob of service.knobs)
        if (Math.abs(suggestion.config[knob.name]! - previous[knob.name]!) > knob.maxStep! + 1e-9) stepViolations += 1;
    }
    previous = suggestion.config;
    appliedRegret += (optimum - service.expectedReward(suggestion.config)) / Math.abs(optimum);
    const observeStarted = performance.now();
    optimizer.observe(suggestion.config, service.measure(suggestion.config));
    elapsed += performance.now() - observeStarted;
    const kept = optimizer.best()!.config;
    if (reached === null && optimum - service.expectedReward(kept) <= 0.05 * Math.abs(optimum)) reached = evaluation;
  }
  const finalRegret = optimum - service.expectedReward(optimizer.best()!.config);
  return {
    finalRegret,
    finalRelativeRegret: finalRegret / Math.abs(optimum),
    evaluationsTo5Percent: reached,
    meanRelativeRegretOfApplied: appliedRegret / budget,
    reverts: optimizer.revertCount,
    stepViolations,
    millisecondsPerEvaluation: elapsed / budget,
  };
}

/** Baseline: uniform random configurations over the whole range (no step limit), keeping the best measured. */
function runRandomSearch(
  surface: 'pool' | 'pool-and-cache',
  seed: number,
  budget: number,
): { finalRelativeRegret: number; evaluationsTo5Percent: number | null; meanRelativeRegretOfApplied: number } {
  const service = createSimulatedService({ surface, seed });
  const random = createSeededRandom(seed + 1000);
  const optimum = service.optimum.reward;
  let best: { config: KnobConfiguration; measured: number } | undefined;
  let reached: number | null = null;
  let applied = 0;
  for (let evaluation = 1; evaluation <= budget; evaluation++) {
    const config: KnobConfiguration = Object.fromEntries(
      service.knobs.map((knob) => {
        const value = knob.min + random.next() * (knob.max - knob.min);
        return [knob.name, knob.integer ? Math.round(value) : value];
      }),
    );
    const measured = service.measure(config);
    applied += (optimum - service.expectedReward(config)) / Math.abs(optimum);
    if (!best || measured > best.measured) best = { config, measured };
    if (reached === null && optimum - service.expectedReward(best.config) <= 0.05 * Math.abs(optimum))
      reached = evaluation;
  }
  return {
    finalRelativeRegret: (optimum - service.expectedReward(best!.config)) / Math.abs(optimum),
    evaluationsTo5Percent: reached,
    meanRelativeRegretOfApplied: applied / budget,
  };
}

function summary(values: number[]): { median: number; p25: number; p75: number; min: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (fraction: number) => {
    const position = fraction * (sorted.length - 1);
    const low = Math.floor(position);
    return sorted[low]! + (sorted[Math.min(sorted.length - 1, low + 1)]! - sorted[low]!) * (position - low);
  };
  return { median: at(0.5), p25: at(0.25), p75: at(0.75), min: sorted[0]!, max: sorted[sorted.length - 1]! };
}

function main(): void {
  const runs = argument('runs', 20);
  const budget = argument('budget', 60);
  const results: Record<string, unknown> = {};
  for (const surface of ['pool', 'pool-and-cache'] as const) {
    const service = createSimulatedService({ surface });
    const optimizerRuns = Array.from({ length: runs }, (_, index) => runOptimizer(surface, index + 1, budget));
    const randomRuns = Array.from({ length: runs }, (_, index) => runRandomSearch(surface, index + 1, budget));
    const reachedCounts = (list: { evaluationsTo5Percent: number | null }[]) =>
      list.filter((run) => run.evaluationsTo5Percent !== null).length;
    // Runs that never got within 5% count as budget + 1 so the median stays honest.
    const evaluations = (list: { evaluationsTo5Percent: number | null }[]) =>
      summary(list.map((run) => run.evaluationsTo5Percent ?? budget + 1));
    results[surface] = {
      knobs: service.knobs,
      optimum: service.optimum,
      initialRelativeRegret:
        (service.optimum.reward -
          service.expectedReward(Object.fromEntries(service.knobs.map((knob) => [knob.name, knob.initial!])))) /
        Math.abs(service.optimum.reward),
      performanceOptimizer: {
        finalRelativeRegret: summary(optimizerRuns.map((run) => run.finalRelativeRegret)),
        evaluationsTo5Percent: evaluations(optimizerRuns),
        runsWithin5Percent: reachedCounts(optimizerRuns),
        meanRelativeRegretOfApplied: summary(optimizerRuns.map((run) => run.meanRelativeRegretOfApplied)),
        reverts: summary(optimizerRuns.map((run) => run.reverts)),
        stepViolations: optimizerRuns.reduce((sum, run) => sum + run.stepViolations, 0),
        millisecondsPerEvaluation: summary(optimizerRuns.map((run) => run.millisecondsPerEvaluation)),
      },
      randomSearch: {
        finalRelativeRegret: summary(randomRuns.map((run) => run.finalRelativeRegret)),
        evaluationsTo5Percent: evaluations(randomRuns),
        runsWithin5Percent: reachedCounts(randomRuns),
        meanRelativeRegretOfApplied: summary(randomRuns.map((run) => run.meanRelativeRegretOfApplied)),
      },
    };
    process.stderr.write(`${surface}: ${JSON.stringify(results[surface], null, 1)}\n`);
  }
  const rightsizing = measureRightsizing();
  process.stderr.write(`rightsizing: ${JSON.stringify(rightsizing, null, 1)}\n`);
  const output = {
    benchmark:
      'PerformanceOptimizer (GP + expected improvement, safe steps) on the simulated service with a known optimum',
    command: 'npx tsx --conditions=@iac-dharma/source bench/src/optimizer/optimizer-bench.ts',
    runs,
    budget,
    noise: 0.05,
    generatedAt: new Date().toISOString(),
    results,
    rightsizing,
  };
  mkdirSync(dirname(resultsFile), { recursive: true });
  writeFileSync(resultsFile, `${JSON.stringify(output, null, 2)}\n`);
  process.stderr.write(`wrote ${join('bench/results', 'optimizer.json')}\n`);
}

main();
