import { z } from 'zod';

/** How drift-prone one object is: a decayed Beta posterior over "drifted at a check". */
export interface DriftRisk {
  /** Posterior mean probability that the object is found drifted at a check, in [0, 1]. */
  score: number;
  /** Posterior standard deviation of `score`: wide with few checks, narrow with many. */
  uncertainty: number;
  /** Checks that found it drifted, and all checks, ever. */
  drifts: number;
  checks: number;
  /** When it was last found drifted (epoch ms). */
  lastDriftAt?: number;
}

/** Settings of {@link DriftProneness}. */
export const DriftPronenessOptionsSchema = z.object({
  /** Age at which an observation counts half, in ms: recent drift weighs more. @default 7 days */
  halfLifeMs: z
    .number()
    .positive()
    .default(7 * 24 * 3_600_000),
  /** Observations kept per object (oldest dropped). @default 200 */
  maxObservations: z.number().int().positive().default(200),
  /** Beta prior (pseudo-counts of drifted and clean checks). @default 1, 1 */
  priorDrifted: z.number().positive().default(1),
  priorClean: z.number().positive().default(1),
});
export type DriftPronenessOptions = z.output<typeof DriftPronenessOptionsSchema>;

interface History {
  observations: [number, 0 | 1][];
  drifts: number;
  checks: number;
  lastDriftAt?: number;
}

/**
 * Tracks, per object, how often and how recently it drifted. Each check adds an observation; the score is the
 * mean of a Beta posterior whose counts decay with age (half-life `halfLifeMs`), and `uncertainty` its standard
 * deviation. State is plain JSON (`snapshot`/`restore`) so it can live in the engine's storage.
 */
export class DriftProneness {
  readonly options: DriftPronenessOptions;
  private readonly histories = new Map<string, History>();

  constructor(options: z.input<typeof DriftPronenessOptionsSchema> = {}) {
    this.options = DriftPronenessOptionsSchema.parse(options);
  }

  /** Records a check of `key` at `at` (epoch ms) and returns the updated risk. */
  observe(key: string, drifted: boolean, at: number): DriftRisk {
    let history = this.histories.get(key);
    if (!history) this.histories.set(key, (history = { observations: [], drifts: 0, checks: 0 }));
    history.observations.push([at, drifted ? 1 : 0]);
    if (history.observations.length > this.options.maxObservations) history.observations.shift();
    history.checks++;
    if (drifted) {
      history.drifts++;
      history.lastDriftAt = at;
    }
    return this.risk(key, at);
  }

  /** The current risk of `key` as seen at `now`. */
  risk(key: string, now: number): DriftRisk {
    const history = this.histories.get(key);
    let alpha = this.options.priorDrifted;
    let beta = this.options.priorClean;
    for (const [at, drifted] of history?.observations ?? []) {
      const weight = 0.5 ** (Math.max(0, now - at) / this.options.halfLifeMs);
      if (drifted) alpha += weight;
      else beta += weight;
    }
    const total = alpha + beta;
    return {
      score: alpha / total,
      uncertainty: Math.sqrt((alpha * beta) / (total * total * (total + 1))),
      drifts: history?.drifts ?? 0,
      checks: history?.checks ?? 0,
      ...(history?.lastDriftAt === undefined ? {} : { lastDriftAt: history.lastDriftAt }),
    };
  }

  /** JSON state of every object. */
  snapshot(): Record<string, History> {
    return Object.fromEntries([...this.histories].map(([key, history]) => [key, structuredClone(history)]));
  }

  /** Restores a {@link snapshot}; ignores malformed entries. */
  restore(state: unknown): void {
    if (state === null || typeof state !== 'object') return;
    for (const [key, value] of Object.entries(state as Record<string, History>)) {
      if (Array.isArray(value?.observations) && typeof value.checks === 'number')
        this.histories.set(key, structuredClone(value));
    }
  }
}
