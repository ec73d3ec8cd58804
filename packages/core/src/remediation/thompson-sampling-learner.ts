import { z } from 'zod';

/** Learner settings. Plain data, zod-validated. */
export const LearnerConfigSchema = z.object({
  /** Order a `learned` policy's actions by Thompson sampling; when false, always the listed order. @default true */
  enabled: z.boolean().default(true),
  /** Beta prior successes of every action. @default 1 */
  priorAlpha: z.number().positive().default(1),
  /** Beta prior failures of every action. @default 1 */
  priorBeta: z.number().positive().default(1),
  /** Storage state key the posteriors are saved under. @default 'remediator:learner' */
  stateKey: z.string().min(1).default('remediator:learner'),
  /** Seed for reproducible choices. @default unseeded (Math.random) */
  seed: z.number().int().optional(),
});
export type LearnerConfig = z.output<typeof LearnerConfigSchema>;
export type LearnerConfigInput = z.input<typeof LearnerConfigSchema>;

const SnapshotSchema = z.object({
  version: z.literal(1),
  arms: z.record(z.string(), z.record(z.string(), z.tuple([z.number().nonnegative(), z.number().nonnegative()]))),
});

/** A ranked candidate: its key and the value sampled from its posterior. */
export interface RankedAction {
  key: string;
  sample: number;
}

/**
 * A contextual bandit: for each incident signature (the context) and action it keeps a Beta posterior of
 * the probability that the action fixes that kind of incident, and ranks candidates by Thompson sampling
 * (one draw per posterior), so it mostly picks the best-known action while still trying the others.
 */
export class ThompsonSamplingLearner {
  /** signature → action key → [successes, failures] observed. */
  private arms = new Map<string, Map<string, [number, number]>>();

  constructor(private readonly options: { priorAlpha: number; priorBeta: number; random: () => number }) {}

  /** Orders `keys` by one posterior draw each, highest first. */
  rank(signature: string, keys: readonly string[]): RankedAction[] {
    return keys
      .map((key) => {
        const { alpha, beta } = this.posterior(signature, key);
        return { key, sample: sampleBeta(alpha, beta, this.options.random) };
      })
      .sort((a, b) => b.sample - a.sample);
  }

  /** Records a verified outcome. */
  update(signature: string, key: string, success: boolean): void {
    let bySignature = this.arms.get(signature);
    if (!bySignature) this.arms.set(signature, (bySignature = new Map()));
    const counts = bySignature.get(key) ?? [0, 0];
    counts[success ? 0 : 1]++;
    bySignature.set(key, counts);
  }

  /** The Beta posterior of `key` for `signature`, with its mean (estimated success probability). */
  posterior(signature: string, key: string): { alpha: number; beta: number; mean: number; observations: number } {
    const [successes, failures] = this.arms.get(signature)?.get(key) ?? [0, 0];
    const alpha = this.options.priorAlpha + successes;
    const beta = this.options.priorBeta + failures;
    return { alpha, beta, mean: alpha / (alpha + beta), observations: successes + failures };
  }

  /** The action with the highest posterior mean for `signature`, among those observed. */
  best(signature: string): string | undefined {
    const keys = [...(this.arms.get(signature)?.keys() ?? [])];
    return keys.sort((a, b) => this.posterior(signature, b).mean - this.posterior(signature, a).mean)[0];
  }

  /** JSON snapshot of every observation. */
  snapshot(): z.infer<typeof SnapshotSchema> {
    const arms: Record<string, Record<string, [number, number]>> = {};
    for (const [signature, bySignature] of this.arms) arms[signature] = Object.fromEntries(bySignature);
    return { version: 1, arms };
  }

  /** Restores a snapshot; anything else (another version, garbage) is ignored and returns false. */
  restore(state: unknown): boolean {
    const parsed = SnapshotSchema.safeParse(state);
    if (!parsed.success) return false;
    this.arms = new Map(
      Object.entries(parsed.data.arms).map(([signature, arms]) => [signature, new Map(Object.entries(arms))]),
    );
    return true;
  }
}

/** Gamma(shape, 1) sample (Marsaglia–Tsang), boosted for shape < 1. */
function sampleGamma(shape: number, random: () => number): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * Math.pow(random() || Number.MIN_VALUE, 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      const u1 = 1 - random();
      x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * random());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** Beta(alpha, beta) sample. */
export function sampleBeta(alpha: number, beta: number, random: () => number): number {
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  return x / (x + y);
}
