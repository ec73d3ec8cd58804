import { InsufficientDataError } from '../errors/errors.js';
import { parseWith } from '../errors/validation-error.js';
import { seriesKey, type IngestRecord } from '../schemas/records.js';
import type { Severity } from '../schemas/common.js';
import type { Analyzer, AnalyzerContext, AnalyzerFinding } from '../spec/analyzer.js';
import type { AugursRuntime } from './augurs-runtime.js';
import {
  CapacityForecasterOptionsSchema,
  type CapacityForecasterOptions,
  type CapacityForecasterOptionsInput,
  type ForecastTarget,
} from './capacity-forecaster-options.js';
import { forecastSeries } from './forecast-series.js';
import { toRegularGrid } from './regular-grid.js';

/** Largest grid (points) built from one series; sparser histories are reported, not forecast. */
const MAX_GRID = 100_000;

/**
 * Re-forecasts the series that have a threshold (on every engine tick, by default every 5 minutes) and
 * publishes a `forecast` finding when the pessimistic exhaustion time (the interval bound crossing the
 * threshold) falls within the warning window. History comes from the engine's stored samples
 * (`context.storage.rangePoints`).
 *
 * ```ts
 * const forecaster = new CapacityForecaster({ seasonLengths: [24, 168], targets: [{ metric: 'disk_used_bytes', threshold: 9e11 }] });
 * const engine = new Engine({ analyzers: [forecaster] });
 * ```
 * Severity: `critical` when already crossed, `high` when the point forecast crosses within the window,
 * `medium` when only the bound does. Score: 0.5 when only the bound crosses, 1 when the point does,
 * less the fraction of the window left before the bound crossing (×0.5).
 */
export class CapacityForecaster implements Analyzer {
  /** Version of the contract implemented. */
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly accepts = ['metric'] as const;
  readonly tickIntervalMs: number;
  private readonly options: CapacityForecasterOptions;
  private readonly augurs: AugursRuntime | undefined;
  /** Series key → the target that applies to it. */
  private readonly tracked = new Map<string, { resource: string; metric: string; target: ForecastTarget }>();
  /** Series key → last published severity and time (epoch ms). */
  private readonly published = new Map<string, { severity: Severity; at: number }>();

  constructor(options: CapacityForecasterOptionsInput = {}, dependencies: { augurs?: AugursRuntime } = {}) {
    this.options = parseWith(CapacityForecasterOptionsSchema, options, 'CapacityForecaster options');
    this.name = this.options.name;
    this.tickIntervalMs = this.options.tickIntervalMs;
    this.augurs = dependencies.augurs;
    for (const target of this.options.targets) if (target.resource) this.track(target.resource, target.metric, target);
  }

  /** Series (`resource/metric`) currently forecast on each tick. */
  get series(): string[] {
    return [...this.tracked.keys()];
  }

  /** Notes which series match a target; the engine has already stored the samples. */
  analyze(records: readonly IngestRecord[]): AnalyzerFinding[] {
    for (const record of records) {
      if (record.kind !== 'metric') continue;
      const key = seriesKey(record);
      if (this.tracked.has(key)) continue;
      const target = this.options.targets.find(
        (candidate) =>
          candidate.metric === record.metric && (candidate.resource ?? record.resource) === record.resource,
      );
      if (target) this.track(record.resource, record.metric, target);
    }
    return [];
  }

  /** Forecasts every tracked series; a series that cannot be forecast is logged and skipped. */
  async tick(context: AnalyzerContext): Promise<AnalyzerFinding[]> {
    const findings: AnalyzerFinding[] = [];
    for (const [key, entry] of this.tracked) {
      try {
        const finding = await this.forecastOne(key, entry, context);
        if (finding) findings.push(finding);
      } catch (error) {
        context.logger.warn(
          `capacity forecast skipped for ${key}: ${error instanceof Error ? error.message : String(error)}`,
          { series: key },
        );
      }
    }
    return findings;
  }

  snapshot(): unknown {
    return {
      version: 1,
      series: [...this.tracked.entries()].map(([key, entry]) => ({
        key,
        resource: entry.resource,
        metric: entry.metric,
      })),
      published: Object.fromEntries(this.published),
    };
  }

  restore(state: unknown): void {
    if (typeof state !== 'object' || state === null || (state as { version?: unknown }).version !== 1) return;
    for (const item of (state as { series?: Array<{ resource: string; metric: string }> }).series ?? []) {
      const target = this.options.targets.find(
        (candidate) => candidate.metric === item.metric && (candidate.resource ?? item.resource) === item.resource,
      );
      if (target) this.track(item.resource, item.metric, target);
    }
  }

  private track(resource: string, metric: string, target: ForecastTarget): void {
    this.tracked.set(seriesKey({ resource, metric }), { resource, metric, target });
  }

  private async forecastOne(
    key: string,
    entry: { resource: string; target: ForecastTarget },
    context: AnalyzerContext,
  ): Promise<AnalyzerFinding | undefined> {
    const points = await context.storage.rangePoints({ series: key, limit: this.options.historyLimit });
    if (points.length < 3) return undefined;
    const span = points[points.length - 1]!.timestamp - points[0]!.timestamp;
    if (this.options.stepMs !== undefined && span / this.options.stepMs > MAX_GRID) {
      throw new InsufficientDataError(
        `series ${key}: ${points.length} points spread over ${Math.round(span / this.options.stepMs)} steps of stepMs; too sparse to forecast.`,
      );
    }
    const grid = toRegularGrid(points, this.options.stepMs);
    if (grid.values.length > MAX_GRID)
      throw new InsufficientDataError(
        `series ${key}: irregular timestamps give ${grid.values.length} grid steps; set stepMs.`,
      );
    const { target, resource } = { target: entry.target, resource: entry.resource };
    const { horizon, level } = this.options;
    const result = forecastSeries(
      grid.values,
      {
        horizon,
        level,
        seasonLengths: this.options.seasonLengths,
        methods: this.options.methods,
        strategy: this.options.strategy,
        nonNegative: target.nonNegative,
        threshold: target.threshold,
        direction: target.direction,
      },
      { augurs: this.augurs },
    );
    const exhaustion = result.exhaustion!;
    if (exhaustion.boundStep === undefined) return undefined;
    const window = this.options.warningWindowMs ?? horizon * grid.stepMs;
    const lastTimestamp = grid.start + (grid.values.length - 1) * grid.stepMs;
    const boundIn = exhaustion.boundStep * grid.stepMs;
    if (boundIn > window) return undefined;
    const pointIn = exhaustion.step === undefined ? undefined : exhaustion.step * grid.stepMs;
    const severity: Severity =
      exhaustion.step === 0 ? 'critical' : pointIn !== undefined && pointIn <= window ? 'high' : 'medium';
    const now = context.clock.now();
    const previous = this.published.get(key);
    if (previous && previous.severity === severity && now - previous.at < this.options.renotifyMs) return undefined;
    this.published.set(key, { severity, at: now });
    const score = Math.min(
      1,
      Math.max(0, (pointIn !== undefined && pointIn <= window ? 0.5 : 0) + 0.5 * (1 - boundIn / window)),
    );
    const side = target.direction === 'above' ? 'rise above' : 'fall below';
    const when = pointIn === undefined ? 'not within the horizon' : `in ${formatDuration(pointIn)}`;
    return {
      kind: 'forecast',
      resource,
      series: key,
      timestamp: now,
      severity,
      score,
      summary: `${key} is forecast to ${side} ${target.threshold} ${when} (pessimistic: in ${formatDuration(boundIn)}, ${Math.round(level * 100)}% interval, method ${result.method}).`,
      threshold: target.threshold,
      ...(pointIn === undefined ? {} : { exhaustionAt: lastTimestamp + pointIn }),
      exhaustionUpperAt: lastTimestamp + boundIn,
      level,
      horizon,
      method: result.method,
    };
  }
}

function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Math.round(ms / 1000)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 172_800_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}
