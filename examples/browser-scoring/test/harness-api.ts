// The API the harness page (harness.ts) exposes as `window.harness`, for Playwright tests and benchmarks.
import type { AnalyzerFinding } from '@iac-dharma/core';

/** Where a model runs: `main` = page thread, `worker` = the scoring worker. */
export type Placement = 'main' | 'worker';

/** A metric sample as the harness takes it. */
export interface HarnessSample {
  resource: string;
  metric: string;
  timestamp: number;
  value: number;
}

/** `window.harness`. */
export interface HarnessApi {
  /** Loads model `id` (wasm + fetch + sha256 + session) and scores one row; elapsed ms. */
  coldStart(
    id: string,
    placement: Placement,
    row: readonly number[],
  ): Promise<{ loadMs: number; firstScoreMs: number }>;
  /** Page-thread cold start split into phases (ms): fetchModel, sha256, createSession (incl. wasm on first use), firstRun. */
  coldPhases(id: string, row: readonly number[]): Promise<Record<string, number>>;
  /** Runs `rows` encoded rows (flattened) through model `id`; every output as numbers. */
  run(id: string, placement: Placement, input: readonly number[], rows: number): Promise<Record<string, number[]>>;
  /** Runs the same batch `iterations` times back to back; the total ms. */
  timeLoop(
    id: string,
    placement: Placement,
    input: readonly number[],
    rows: number,
    iterations: number,
  ): Promise<number>;
  /** Scores a stream with a fresh default AnomalyDetector: every sample's score, plus analyze()'s findings (mode 'both'). */
  detect(samples: HarnessSample[]): { scores: number[]; findings: AnalyzerFinding[] };
  /** Loads a model that does not exist; the error it threw. */
  loadMissing(placement: Placement): Promise<{ name: string; code: string; message: string }>;
}

declare global {
  interface Window {
    harness: HarnessApi;
  }
}
