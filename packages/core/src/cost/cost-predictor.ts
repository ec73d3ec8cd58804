import { AnomalyDetector } from '../anomaly/anomaly-detector.js';
import { anomalySeverity } from '../anomaly/anomaly-severity.js';
import { ensembleStrategy } from '../anomaly/ensemble-strategy.js';
import { parseWith } from '../errors/validation-error.js';
import { forecastSeries } from '../forecast/forecast-series.js';
import type { AugursRuntime } from '../forecast/augurs-runtime.js';
import { insight } from '../optimization/insight-finding-input.js';
import type { ResourceOptimizer } from '../optimization/resource-optimizer.js';
import type { Severity } from '../schemas/common.js';
import type { IngestRecord } from '../schemas/records.js';
import type { Analyzer, AnalyzerContext, AnalyzerFinding } from '../spec/analyzer.js';
import { budgetStatus, type BudgetStatus } from './budget-status.js';
import { budgetFinding, savingsFinding } from './cost-findings.js';
import {
  CostPredictorOptionsSchema,
  CostScopeSchema,
  type CostPredictorOptions,
  type CostPredictorOptionsInput,
  type CostScope,
} from './cost-predictor-options.js';
import { CostSeries } from './cost-series.js';
import { estimateSavings, type SavingsEstimate } from './estimate-savings.js';

/** Things a {@link CostPredictor} works with besides its options. */
export interface CostPredictorDependencies {
  /** Source of right-sizing recommendations to price (needs `prices` in the options). */
  resourceOptimizer?: ResourceOptimizer;
  /** Loaded augurs WebAssembly, for the `mstl-ets` forecast method. */
  augurs?: AugursRuntime;
}

/** A spend forecast for one resource or team. */
export interface CostForecast {
  scope: string;
  /** Start (epoch ms) of the first forecast bucket. */
  start: number;
  stepMs: number;
  point: number[];
  lower: number[];
  upper: number[];
  /** Sum of `point` (and of `upper`: pessimistic) over the horizon. */
  total: number;
  totalUpper: number;
  method: string;
}

const SNAPSHOT_VERSION = 1;

/**
 * Spend per resource and per team (by the `team` label) from cost samples: forecasts it (core
 * `forecastSeries`, the CapacityForecaster's engine), flags budgets the forecast overruns, flags spend
 * anomalies (core `AnomalyDetector`), and prices a `ResourceOptimizer`'s recommendations. Emits `insight`
 * findings with topic `cost` and `data.type` = `budget`, `anomaly` or `savings`.
 *
 * ```ts
 * const predictor = new CostPredictor({ budgets: [{ team: 'payments', amount: 5000, periodStart: '2026-01-01' }], prices: { cpuCoreHour: 0.03, memoryGiBHour: 0.004 } }, { resourceOptimizer });
 * ```
 */
export class CostPredictor implements Analyzer {
  /** Version of the contract implemented. */
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly accepts = ['metric'] as const;
  readonly tickIntervalMs: number;
  /** The resolved options. */
  readonly options: CostPredictorOptions;
  private readonly dependencies: CostPredictorDependencies;
  private readonly series = new Map<string, CostSeries>();
  private readonly detector: AnomalyDetector;
  private readonly lastAnomaly = new Map<string, number>();
  private readonly published = new Map<string, { severity: Severity; at: number }>();
  private skippedSamples = 0;

  constructor(options: CostPredictorOptionsInput = {}, dependencies: CostPredictorDependencies = {}) {
    this.options = parseWith(CostPredictorOptionsSchema, options, 'CostPredictor options');
    this.name = this.options.name;
    this.tickIntervalMs = this.options.tickIntervalMs;
    this.dependencies = dependencies;
    // Spend wanders more than infrastructure metrics: a 5% out-of-range tolerance (instead of the
    // NAB-tuned 3%) keeps ordinary drift in a bill from being reported as a spike.
    this.detector = new AnomalyDetector({
      name: `${this.name}-anomaly`,
      threshold: this.options.anomalyThreshold,
      dedupeMs: 0,
      strategy: ensembleStrategy({ spatialTolerance: 0.05 }),
    });
  }

  /** Scopes (`resource:<id>`, `team:<name>`) with spend history. */
  get scopes(): string[] {
    return [...this.series.keys()];
  }

  /** Number of cost samples skipped (negative spend, or older than the kept history). */
  get skipped(): number {
    return this.skippedSamples;
  }

  /** Buckets cost samples per resource and team; returns `cost` insights for anomalous spend. */
  analyze(records: readonly IngestRecord[]): AnalyzerFinding[] {
    const findings: AnalyzerFinding[] = [];
    for (const record of records) {
      if (record.kind !== 'metric' || record.metric !== this.options.costMetric) continue;
      if (!(record.value >= 0)) {
        this.skippedSamples += 1;
        continue;
      }
      const resourceScope = `resource:${record.resource}`;
      if (!this.seriesOf(resourceScope).add(record.timestamp, record.value).accepted) {
        this.skippedSamples += 1;
        continue;
      }
      // A resource's samples are scored as they arrive; a team's spend when its bucket closes.
      this.score(resourceScope, record.resource, record.timestamp, record.value, findings);
      const team = record.labels?.[this.options.teamLabel];
      if (team) {
        const { closed } = this.seriesOf(`team:${team}`).add(record.timestamp, record.value);
        if (closed) this.score(`team:${team}`, team, closed.start, closed.total, findings);
      }
    }
    return findings;
  }

  /**
   * Forecasts `horizon` buckets of spend for a resource or team. Throws `ValidationError` for a bad scope or
   * horizon, and `InsufficientDataError` when the scope has fewer than 3 buckets of history (or none).
   */
  forecast(scope: CostScope, horizon: number): CostForecast {
    const checked = parseWith(CostScopeSchema, scope, 'cost scope');
    const key = checked.resource !== undefined ? `resource:${checked.resource}` : `team:${checked.team}`;
    const series = this.series.get(key) ?? new CostSeries(this.options.stepMs, this.options.historyLimit);
    const result = forecastSeries(
      series.buckets(),
      { horizon, level: this.options.level, seasonLengths: this.options.seasonLengths, nonNegative: true },
      { augurs: this.dependencies.augurs },
    );
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    return {
      scope: key,
      start: (series.lastBucketStart ?? 0) + this.options.stepMs,
      stepMs: this.options.stepMs,
      point: result.point,
      lower: result.lower,
      upper: result.upper,
      total: sum(result.point),
      totalUpper: sum(result.upper),
      method: result.method,
    };
  }

  /** Every configured budget's status (budgets without enough history are logged and left out). */
  budgets(logger?: AnalyzerContext['logger']): BudgetStatus[] {
    const statuses: BudgetStatus[] = [];
    for (const budget of this.options.budgets) {
      const scope = budget.resource !== undefined ? `resource:${budget.resource}` : `team:${budget.team}`;
      const series = this.series.get(scope);
      if (!series) continue;
      try {
        const status = budgetStatus({
          budget,
          scope,
          series,
          seasonLengths: this.options.seasonLengths,
          level: this.options.level,
          augurs: this.dependencies.augurs,
        });
        if (status) statuses.push(status);
      } catch (error) {
        logger?.warn(`budget check skipped for ${scope}: ${error instanceof Error ? error.message : String(error)}`, {
          scope,
        });
      }
    }
    return statuses;
  }

  /** Prices the resource optimizer's current recommendations (needs `prices` and a `resourceOptimizer`). */
  async savings(context: Pick<AnalyzerContext, 'storage' | 'clock'>): Promise<SavingsEstimate | undefined> {
    const { resourceOptimizer } = this.dependencies;
    if (!resourceOptimizer || !this.options.prices) return undefined;
    return estimateSavings(await resourceOptimizer.recommendAll(context), this.options.prices);
  }

  /** Publishes budget overruns (forecast or actual) and savings worth reporting. */
  async tick(context: AnalyzerContext): Promise<AnalyzerFinding[]> {
    const now = context.clock.now();
    const findings: AnalyzerFinding[] = [];
    for (const status of this.budgets(context.logger)) {
      if (status.state === 'ok') continue;
      const finding = budgetFinding(status, now, this.options.currency);
      if (this.shouldPublish(`budget:${status.scope}:${status.periodStart}`, finding.severity, now))
        findings.push(insight(finding));
    }
    const savings = await this.savings(context);
    for (const entry of savings?.workloads ?? []) {
      if (entry.monthly <= 0 || entry.monthly < this.options.minMonthlySavings) continue;
      const finding = savingsFinding(entry, now, this.options.currency);
      if (this.shouldPublish(`savings:${entry.workload}`, finding.severity, now)) findings.push(insight(finding));
    }
    return findings;
  }

  snapshot(): unknown {
    const series: Record<string, unknown> = {};
    for (const [key, value] of this.series) series[key] = value.toJSON();
    return {
      version: SNAPSHOT_VERSION,
      stepMs: this.options.stepMs,
      series,
      detector: this.detector.snapshot(),
      lastAnomaly: Object.fromEntries(this.lastAnomaly),
    };
  }

  /** Restores a {@link snapshot} taken with the same `stepMs`; anything else is ignored. */
  restore(state: unknown): void {
    if (typeof state !== 'object' || state === null) return;
    const data = state as {
      version?: unknown;
      stepMs?: unknown;
      series?: unknown;
      detector?: unknown;
      lastAnomaly?: unknown;
    };
    if (
      data.version !== SNAPSHOT_VERSION ||
      data.stepMs !== this.options.stepMs ||
      typeof data.series !== 'object' ||
      data.series === null
    )
      return;
    for (const [key, raw] of Object.entries(data.series)) {
      const series = new CostSeries(this.options.stepMs, this.options.historyLimit);
      if (series.load(raw)) this.series.set(key, series);
    }
    this.detector.restore(data.detector);
    for (const [key, value] of Object.entries((data.lastAnomaly as Record<string, unknown>) ?? {}))
      if (typeof value === 'number') this.lastAnomaly.set(key, value);
  }

  private seriesOf(scope: string): CostSeries {
    let series = this.series.get(scope);
    if (!series) {
      series = new CostSeries(this.options.stepMs, this.options.historyLimit);
      this.series.set(scope, series);
    }
    return series;
  }

  private score(scope: string, subject: string, timestamp: number, value: number, findings: AnalyzerFinding[]): void {
    const outcome = this.detector.observe(scope, timestamp, value);
    if (outcome.status !== 'scored' || outcome.score < this.options.anomalyThreshold) return;
    if (timestamp - (this.lastAnomaly.get(scope) ?? -Infinity) < this.options.anomalyDedupeMs) return;
    this.lastAnomaly.set(scope, timestamp);
    const expected = outcome.expected !== undefined && Number.isFinite(outcome.expected) ? outcome.expected : undefined;
    const kind = scope.startsWith('team:') ? 'team' : 'resource';
    findings.push(
      insight({
        kind: 'insight',
        topic: 'cost',
        resource: subject,
        timestamp,
        severity: anomalySeverity(outcome.score),
        score: outcome.score,
        summary: `Unusual spend for ${kind} ${subject}: ${round(value)} ${this.options.currency}${expected === undefined ? '' : ` (expected about ${round(expected)})`}.`,
        data: { type: 'anomaly', scope, value, ...(expected === undefined ? {} : { expected }) },
      }),
    );
  }

  private shouldPublish(key: string, severity: Severity, now: number): boolean {
    const previous = this.published.get(key);
    const order = ['info', 'low', 'medium', 'high', 'critical'];
    if (
      previous &&
      order.indexOf(severity) <= order.indexOf(previous.severity) &&
      now - previous.at < this.options.renotifyMs
    )
      return false;
    this.published.set(key, { severity, at: now });
    return true;
  }
}

function round(value: number): number {
  return Number(value.toPrecision(4));
}
