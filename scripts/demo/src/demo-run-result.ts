import type { Finding, ForecastFinding, RemediationResult } from '@iac-dharma/core';
import type { AppliedFleetAction, SimulatedIncident } from '@iac-dharma/core/simulator';
import type { ApprovalDecision } from './demo-policies.js';
import type { DemoScenario } from './demo-scenario.js';
import type { ScoredSeries } from './recording-anomaly-detector.js';

/** The capacity forecast as it stood when the forecaster first warned (recomputed from the same stored points). */
export interface ForecastSnapshot {
  finding: ForecastFinding;
  series: string;
  /** Grid the forecaster used (5-minute steps). */
  history: { timestamps: number[]; values: number[] };
  forecast: { timestamps: number[]; point: number[]; lower: number[]; upper: number[] };
  /** When the fill really reaches the threshold (noise-free, from the scenario's fill rate). */
  trueCrossingAt: number;
}

/** The turbofan replay and what the failure predictor said about it. */
export interface TurbofanOutcome {
  engine: string;
  /** Whether the model card lists this engine among its validation (held-out) engines. */
  validationEngine: boolean | undefined;
  cycles: number;
  /** Time of the last recorded cycle: the engine's end of life. */
  endOfLifeAt: number;
  /** Per cycle: time, failure probability within the horizon, predicted remaining cycles. */
  curve: { timestamps: number[]; cycles: number[]; probability: number[]; rul: number[]; trueRul: number[] };
  horizon: number;
  /** The first prediction finding, with the cycle it was raised at. */
  firstWarning?: { finding: Finding; cycle: number };
}

/** The port scan and what the threat detector made of the traffic. */
export interface ThreatOutcome {
  scanSource: string;
  scanConnections: number;
  normalConnections: number;
  /** Threat findings on the scanner's connections, and on ordinary traffic (false alarms). */
  flaggedScan: number;
  flaggedNormal: number;
  categories: Record<string, number>;
  firstFlagAt?: number;
  /** Per step: normal connections, scan connections, flagged connections. */
  perStep: { timestamps: number[]; normal: number[]; scan: number[]; flagged: number[] };
}

/** A model the demo could not load, with the reason. */
export interface MissingModel {
  id: string;
  reason: string;
}

/** Everything a demo run produced, for the summary table and the HTML report. */
export interface DemoRunResult {
  scenario: DemoScenario;
  /** The anomaly detector's strategy. */
  strategy: 'z-score' | 'ensemble';
  /** Real time the run took, ms. */
  elapsedMs: number;
  findings: Finding[];
  remediations: RemediationResult[];
  approvals: ApprovalDecision[];
  incidents: SimulatedIncident[];
  /** Incident id → first time its primary metric crossed the alert threshold (absent: never did). */
  breaches: Record<string, number>;
  actions: AppliedFleetAction[];
  scored: Map<string, ScoredSeries>;
  forecast?: ForecastSnapshot;
  turbofan?: TurbofanOutcome;
  threat?: ThreatOutcome;
  missingModels: MissingModel[];
  historyVerified: { ok: boolean; reason?: string; records: number };
  engineStats: { ingested: number; rejected: number; findings: number; errors: number };
  storage: string;
}
