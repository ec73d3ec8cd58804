import type { DharmaError } from '../errors/dharma-error.js';
import type {
  AnomalyFinding,
  Finding,
  ForecastFinding,
  InsightFinding,
  PredictionFinding,
  RootCauseFinding,
  ThreatFinding,
} from '../schemas/finding.js';
import type { IngestRecord } from '../schemas/records.js';
import type { RemediationResult } from '../schemas/remediation.js';
import type { ComponentHealth } from '../spec/common.js';
import type { ValidationError } from '../errors/validation-error.js';

/** Where an error reported through the `error` event came from. */
export interface EngineErrorContext {
  source: 'ingest' | 'analyzer' | 'storage' | 'transport' | 'handler' | 'tick' | 'consume';
  /** Analyzer or handler name. */
  component?: string;
  /** Index of the rejected record within its batch. */
  index?: number;
  /** The rejected input, when a record was rejected. */
  record?: unknown;
}

/** The events an {@link Engine} emits (eventemitter3; listeners never break the engine). */
export interface EngineEvents {
  /** Every finding, after it is stored. */
  finding: (finding: Finding) => void;
  anomaly: (finding: AnomalyFinding) => void;
  prediction: (finding: PredictionFinding) => void;
  threat: (finding: ThreatFinding) => void;
  forecast: (finding: ForecastFinding) => void;
  insight: (finding: InsightFinding) => void;
  /** A root-cause finding linked to the finding whose symptom it explains (needs `rootCause` options). */
  'root-cause': (finding: RootCauseFinding) => void;
  /** A remediation attempt finished (any outcome). */
  remediation: (result: RemediationResult) => void;
  /** Accepted records, after validation, before analysis. */
  ingested: (records: readonly IngestRecord[]) => void;
  /** A rejected record or a background failure. Never thrown into your code. */
  error: (error: DharmaError | Error, context: EngineErrorContext) => void;
}

/** What one `ingest()` call did. */
export interface IngestResult {
  accepted: number;
  rejected: number;
  /** Findings produced by this call. */
  findings: Finding[];
  /** One error per rejected record, with `field` naming the problem. */
  errors: ValidationError[];
  /** Position in the batch of each rejected record, aligned with `errors`. */
  rejectedIndexes: number[];
}

/** Counters since the engine was created. */
export interface EngineStats {
  ingested: number;
  rejected: number;
  findings: number;
  errors: number;
}

/** `engine.health()`: the worst component decides the overall status. */
export interface EngineHealth extends ComponentHealth {
  components: Record<string, ComponentHealth>;
  stats: EngineStats;
}
