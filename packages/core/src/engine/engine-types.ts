import type { DharmaError } from '../errors/dharma-error.js';
import type { EngineMetrics } from '../metrics/engine-metrics.js';
import type {
  AnomalyFinding,
  Finding,
  FindingKind,
  ForecastFinding,
  InsightFinding,
  PredictionFinding,
  RootCauseFinding,
  ThreatFinding,
} from '../schemas/finding.js';
import type { RootCauseLinkOptions } from './root-cause-link.js';
import type { IngestRecord } from '../schemas/records.js';
import type { RemediationResult } from '../schemas/remediation.js';
import type { Analyzer } from '../spec/analyzer.js';
import type { Clock, ComponentHealth, Logger } from '../spec/common.js';
import type { FindingHandler } from '../spec/finding-handler.js';
import type { Storage } from '../spec/storage.js';
import type { Transport } from '../spec/transport.js';
import type { ValidationError } from '../errors/validation-error.js';

/** Options of {@link createEngine}. */
export interface EngineOptions {
  /** Where findings, points, history and state live. @default a new MemoryStorage */
  storage?: Storage;
  /** Where findings are published and streamed records come from. @default a new InProcessTransport */
  transport?: Transport;
  /** Analyzers to register now (more with `engine.use()`). */
  analyzers?: Analyzer[];
  /** Finding handlers, e.g. a `Remediator` (more with `engine.useHandler()`). */
  handlers?: FindingHandler[];
  /** @default noopLogger */
  logger?: Logger;
  /** @default systemClock */
  clock?: Clock;
  /** @default noopMetrics */
  metrics?: EngineMetrics;
  /** Store every metric sample as a series point (needed by forecasting and predictions on history). @default true */
  persistSamples?: boolean;
  /** Publish findings and remediation results to the transport. @default true */
  publishFindings?: boolean;
  /** Topic per finding kind (and `remediation`). @default anomaly/root-cause→anomalies, prediction/forecast/insight→predictions, threat→alerts, remediation→remediations */
  topics?: Partial<Record<FindingKind | 'remediation' | 'alert', string>>;
  /** Topic that receives records rejected while consuming from the transport. @default 'dead-letter' */
  deadLetterTopic?: string;
  /** Most finding batches waiting for the transport's acknowledgement at once; more make ingestion wait. @default 64 */
  maxInFlightPublishes?: number;
  /**
   * Root-cause analysis: when an anomaly fires on a node of this service graph, rank the nodes it calls and
   * emit a `root-cause` finding for the most likely origin, linked to the anomaly. Off when omitted.
   */
  rootCause?: RootCauseLinkOptions;
  /** Close the storage and transport in `engine.close()`. @default true */
  closeAdapters?: boolean;
}

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
