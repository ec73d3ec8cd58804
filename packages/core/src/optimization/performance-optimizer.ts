import { z } from 'zod';
import { parseWith } from '../errors/validation-error.js';
import type { IngestRecord } from '../schemas/records.js';
import type { Analyzer, AnalyzerFinding } from '../spec/analyzer.js';
import { insight } from './insight-finding-input.js';
import { expectedImprovement } from './expected-improvement.js';
import {
  fitBestGaussianProcess,
  type GaussianProcess,
  type GaussianProcessHyperparameters,
} from './gaussian-process.js';
import {
  PerformanceOptimizerOptionsSchema,
  type Knob,
  type KnobConfiguration,
  type PerformanceOptimizerOptions,
  type PerformanceOptimizerOptionsInput,
  type TuningSuggestion,
} from './performance-optimizer-options.js';
import { candidateGrid } from './candidate-grid.js';

/** One evaluated configuration. */
export interface TuningObservation {
  config: KnobConfiguration;
  reward: number;
}

/** Hyperparameter grid searched by marginal likelihood on every suggestion. */
const HYPERPARAMETERS: GaussianProcessHyperparameters[] = [0.05, 0.1, 0.2, 0.35, 0.6].flatMap((lengthScale) =>
  [1e-4, 1e-2, 0.1, 0.3].map((noise) => ({ lengthScale, noise })),
);
const SNAPSHOT_VERSION = 1;

/**
 * Online tuning of one or two numeric knobs (pool size, autoscaling target, cache size) against a reward
 * you measure, by Bayesian optimisation: a Gaussian process over the knobs and expected improvement,
 * searched only within `maxStep` of the current configuration and within `[min, max]`, and only where the
 * model's pessimistic estimate stays above the collapse line (`safetyStandardDeviations`). A reward that
 * collapses anyway (see `collapseFraction`) makes the next proposal revert to the best configuration seen.
 *
 * Ask/tell: `suggest()` → apply the config → measure → `observe(config, reward)`. As an engine analyzer
 * (set `rewardMetric`), every `samplesPerEvaluation` reward samples close an evaluation and the next
 * configuration is published as an `insight` finding with topic `tuning`.
 */
export class PerformanceOptimizer implements Analyzer {
  /** Version of the contract implemented. */
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly accepts = ['metric'] as const;
  /** The resolved options. */
  readonly options: PerformanceOptimizerOptions;
  private readonly knobs: readonly Knob[];
  private observations: TuningObservation[] = [];
  private current: KnobConfiguration;
  private revertNext = false;
  private reverts = 0;
  private pendingRewards: number[] = [];

  constructor(options: PerformanceOptimizerOptionsInput) {
    this.options = parseWith(PerformanceOptimizerOptionsSchema, options, 'PerformanceOptimizer options');
    this.name = this.options.name;
    this.knobs = this.options.knobs;
    this.current = Object.fromEntries(
      this.knobs.map((knob) => [knob.name, this.snap(knob, knob.initial ?? (knob.min + knob.max) / 2)]),
    );
  }

  /** The configuration most recently proposed (the one assumed to be applied). */
  get currentConfig(): KnobConfiguration {
    return { ...this.current };
  }

  /** Every observation kept, oldest first. */
  get history(): readonly TuningObservation[] {
    return this.observations;
  }

  /** How many times a collapse made the optimizer revert. */
  get revertCount(): number {
    return this.reverts;
  }

  /** Proposes the next configuration to try and makes it the current one. */
  suggest(): TuningSuggestion {
    if (this.observations.length === 0) return { config: this.currentConfig, reason: 'initial' };
    const model = this.fit();
    const incumbent = this.incumbent(model);
    if (this.revertNext) {
      this.revertNext = false;
      this.reverts += 1;
      this.current = { ...incumbent.config };
      return { config: this.currentConfig, reason: 'revert', expectedReward: incumbent.mean };
    }
    const spread = this.rewardSpread();
    const collapseLine = this.collapseLine(incumbent.mean);
    let chosen: { point: number[]; score: number; mean: number; deviation: number } | undefined;
    let bestMean: { point: number[]; mean: number; deviation: number } | undefined;
    // (The current point is always in the grid, so at least one candidate survives the safety check.)
    for (const point of candidateGrid(this.knobs, this.current, this.options.gridSize)) {
      const { mean, standardDeviation } = model.predict(this.scale(point));
      // Safe set: skip points that may well collapse; the current point always stays eligible.
      const isCurrent = point.every((value, index) => value === this.current[this.knobs[index]!.name]);
      if (!isCurrent && mean - this.options.safetyStandardDeviations * standardDeviation < collapseLine) continue;
      const score = expectedImprovement(mean, standardDeviation, incumbent.mean, this.options.exploration * spread);
      if (!chosen || score > chosen.score) chosen = { point, score, mean, deviation: standardDeviation };
      if (!bestMean || mean > bestMean.mean) bestMean = { point, mean, deviation: standardDeviation };
    }
    // With no expected improvement left anywhere in reach, move to the best predicted point instead.
    const exploit = chosen!.score <= 1e-9 * Math.max(spread, 1e-12);
    const pick = exploit ? bestMean! : chosen!;
    this.current = this.toConfig(pick.point);
    return {
      config: this.currentConfig,
      reason: exploit ? 'exploit' : 'explore',
      expectedReward: pick.mean,
      uncertainty: pick.deviation,
    };
  }

  /**
   * Records the reward measured for `config` (higher is better). Returns whether it was a collapse, in
   * which case the next `suggest()` reverts to the best configuration seen.
   */
  observe(config: KnobConfiguration, reward: number): { collapsed: boolean } {
    const checked = parseWith(this.observationSchema(), { config, reward }, 'observation');
    const best = this.observations.length === 0 ? undefined : this.incumbent(this.fit()).mean;
    const collapsed = best !== undefined && checked.reward < this.collapseLine(best);
    this.observations.push({ config: { ...checked.config }, reward: checked.reward });
    if (this.observations.length > this.options.maxObservations) this.observations.shift();
    if (collapsed) this.revertNext = true;
    return { collapsed };
  }

  /** The observed configuration with the best predicted reward: the one to keep. */
  best(): { config: KnobConfiguration; expectedReward: number } | undefined {
    if (this.observations.length === 0) return undefined;
    const incumbent = this.incumbent(this.fit());
    return { config: incumbent.config, expectedReward: incumbent.mean };
  }

  /** Analyzer mode: averages reward samples into evaluations and publishes each next configuration. */
  analyze(records: readonly IngestRecord[]): AnalyzerFinding[] {
    const { rewardMetric, resource } = this.options;
    if (!rewardMetric) return [];
    const findings: AnalyzerFinding[] = [];
    for (const record of records) {
      if (
        record.kind !== 'metric' ||
        record.metric !== rewardMetric ||
        (resource !== undefined && record.resource !== resource)
      )
        continue;
      this.pendingRewards.push(this.options.rewardDirection === 'maximize' ? record.value : -record.value);
      if (this.pendingRewards.length < this.options.samplesPerEvaluation) continue;
      const reward = this.pendingRewards.reduce((sum, value) => sum + value, 0) / this.pendingRewards.length;
      this.pendingRewards = [];
      const previous = this.currentConfig;
      const { collapsed } = this.observe(previous, reward);
      const next = this.suggest();
      findings.push(
        insight({
          kind: 'insight',
          topic: 'tuning',
          resource: record.resource,
          timestamp: record.timestamp,
          severity: collapsed ? 'medium' : 'info',
          score: collapsed ? 0.8 : 0.1,
          summary: `${next.reason === 'revert' ? 'Reward collapsed; revert' : 'Try'} ${describe(next.config)} (was ${describe(previous)}, reward ${Number(reward.toPrecision(4))}).`,
          data: {
            config: next.config,
            reason: next.reason,
            previous,
            reward,
            ...(next.expectedReward === undefined ? {} : { expectedReward: next.expectedReward }),
          },
        }),
      );
    }
    return findings;
  }

  snapshot(): unknown {
    return {
      version: SNAPSHOT_VERSION,
      knobs: this.knobs.map((knob) => knob.name),
      observations: this.observations,
      current: this.current,
      revertNext: this.revertNext,
      reverts: this.reverts,
    };
  }

  /** Restores a {@link snapshot} taken with the same knobs; anything else is ignored. */
  restore(state: unknown): void {
    const parsed = z
      .object({
        version: z.literal(SNAPSHOT_VERSION),
        knobs: z.array(z.string()),
        observations: z.array(this.observationSchema()),
        current: z.record(z.string(), z.number()),
        revertNext: z.boolean(),
        reverts: z.number(),
      })
      .safeParse(state);
    if (!parsed.success || parsed.data.knobs.join('\u0000') !== this.knobs.map((knob) => knob.name).join('\u0000'))
      return;
    this.observations = parsed.data.observations.slice(-this.options.maxObservations);
    this.current = Object.fromEntries(
      this.knobs.map((knob) => [
        knob.name,
        this.snap(knob, parsed.data.current[knob.name] ?? this.current[knob.name]!),
      ]),
    );
    this.revertNext = parsed.data.revertNext;
    this.reverts = parsed.data.reverts;
  }

  private collapseLine(best: number): number {
    return best - this.options.collapseFraction * Math.abs(best);
  }

  /**
   * Fits the model. Rewards far below the best (collapses) are clipped to twice the collapse distance so a
   * saturated configuration's huge penalty does not flatten the rest of the surface.
   */
  private fit(): GaussianProcess {
    const rewards = this.observations.map((observation) => observation.reward);
    const best = Math.max(...rewards);
    const floor = best - 2 * this.options.collapseFraction * Math.abs(best);
    return fitBestGaussianProcess(
      this.observations.map((observation) => this.scale(this.knobs.map((knob) => observation.config[knob.name]!))),
      rewards.map((reward) => Math.max(reward, floor)),
      HYPERPARAMETERS,
    );
  }

  private incumbent(model: GaussianProcess): { config: KnobConfiguration; mean: number } {
    let best: { config: KnobConfiguration; mean: number } | undefined;
    for (const observation of this.observations) {
      const mean = model.predict(this.scale(this.knobs.map((knob) => observation.config[knob.name]!))).mean;
      if (!best || mean > best.mean) best = { config: observation.config, mean };
    }
    return { config: { ...best!.config }, mean: best!.mean };
  }

  private rewardSpread(): number {
    const rewards = this.observations.map((observation) => observation.reward);
    const average = rewards.reduce((sum, value) => sum + value, 0) / rewards.length;
    return Math.sqrt(rewards.reduce((sum, value) => sum + (value - average) ** 2, 0) / Math.max(1, rewards.length - 1));
  }

  private scale(point: readonly number[]): number[] {
    return point.map(
      (value, index) => (value - this.knobs[index]!.min) / (this.knobs[index]!.max - this.knobs[index]!.min),
    );
  }

  private toConfig(point: readonly number[]): KnobConfiguration {
    return Object.fromEntries(this.knobs.map((knob, index) => [knob.name, this.snap(knob, point[index]!)]));
  }

  private snap(knob: Knob, value: number): number {
    const clamped = Math.min(knob.max, Math.max(knob.min, value));
    return knob.integer ? Math.min(knob.max, Math.max(knob.min, Math.round(clamped))) : clamped;
  }

  private observationSchema() {
    const shape = Object.fromEntries(
      this.knobs.map((knob) => [
        knob.name,
        z.number().finite().min(knob.min, `must be ≥ ${knob.min}`).max(knob.max, `must be ≤ ${knob.max}`),
      ]),
    );
    return z.object({ config: z.object(shape), reward: z.number({ error: 'expected a finite number' }).finite() });
  }
}

function describe(config: KnobConfiguration): string {
  return Object.entries(config)
    .map(([name, value]) => `${name}=${Number(value.toPrecision(4))}`)
    .join(', ');
}
