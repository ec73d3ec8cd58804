import { parseWith } from '../errors/validation-error.js';
import { insight } from '../optimization/insight-finding-input.js';
import type { Severity } from '../schemas/common.js';
import type { IngestRecord, LogRecord } from '../schemas/records.js';
import type { Analyzer, AnalyzerContext, AnalyzerFinding } from '../spec/analyzer.js';
import type { LogFindingClassifier } from '../spec/log-finding-classifier.js';
import {
  LogAnomalyDetectorOptionsSchema,
  type LogAnomalyDetectorOptions,
  type LogAnomalyDetectorOptionsInput,
} from './log-anomaly-detector-options.js';
import { LogTemplateMiner } from './log-template-miner.js';

/** Kinds of log finding, in `finding.data.type` (insight findings with topic `log`). */
export type LogFindingType = 'new-template' | 'burst' | 'silence' | 'error-rate';

/** The topic of the insight findings a {@link LogAnomalyDetector} emits. */
export const LOG_FINDING_TOPIC = 'log';

/** What a {@link LogAnomalyDetector} works with besides its options. */
export interface LogAnomalyDetectorDependencies {
  /** Classifies each finding (category, similar past incidents) before it is returned. */
  classifier?: LogFindingClassifier;
}

interface TemplateStats {
  mean: number;
  variance: number;
  windows: number;
  silentFor: number;
  meanBeforeSilence: number;
}

interface ResourceState {
  windowStart: number;
  windowsSeen: number;
  records: number;
  errors: number;
  errorMean: number;
  errorVariance: number;
  counts: Map<number, number>;
  examples: Map<number, string[]>;
  stats: Map<number, TemplateStats>;
}

const SNAPSHOT_VERSION = 1;
const ERROR_LEVELS = new Set<LogRecord['level']>(['error', 'fatal']);

/**
 * Finds anomalies in log records: messages of a template never seen before, bursts of a known template,
 * silence of a template that usually comes regularly, and a rise of the error-level share. Templates come from
 * a {@link LogTemplateMiner} shared by all resources; counts are kept per resource in windows of `windowMs`.
 * Emits `insight` findings with topic `log` and `data` = `{ type, templateId, template, examples, count,
 * expected }`. Nothing is reported for a resource before `warmupWindows` windows.
 */
export class LogAnomalyDetector implements Analyzer {
  /** Version of the contract implemented. */
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly accepts = ['log'] as const;
  readonly tickIntervalMs: number;
  /** The resolved options. */
  readonly options: LogAnomalyDetectorOptions;
  /** The template miner (templates, ids, examples). */
  readonly miner: LogTemplateMiner;
  readonly #resources = new Map<string, ResourceState>();
  readonly #classifier: LogFindingClassifier | undefined;

  constructor(options: LogAnomalyDetectorOptionsInput = {}, dependencies: LogAnomalyDetectorDependencies = {}) {
    this.options = parseWith(LogAnomalyDetectorOptionsSchema, options, 'LogAnomalyDetector options');
    this.#classifier = dependencies.classifier;
    this.name = this.options.name;
    this.tickIntervalMs = this.options.tickIntervalMs;
    this.miner = new LogTemplateMiner(this.options.miner);
  }

  analyze(records: readonly IngestRecord[]): AnalyzerFinding[] | Promise<AnalyzerFinding[]> {
    const findings: AnalyzerFinding[] = [];
    for (const record of records) {
      if (record.kind !== 'log') continue;
      const state = this.#state(record.resource, record.timestamp);
      this.#advance(record.resource, state, record.timestamp, findings);
      const match = this.miner.add(record.message);
      state.counts.set(match.id, (state.counts.get(match.id) ?? 0) + 1);
      const examples = state.examples.get(match.id) ?? [];
      if (examples.length < this.options.maxExamples && !examples.includes(record.message))
        examples.push(record.message);
      state.examples.set(match.id, examples);
      state.records += 1;
      if (ERROR_LEVELS.has(record.level)) state.errors += 1;
      if (match.isNew && state.windowsSeen >= this.options.warmupWindows) {
        findings.push(
          this.#finding(
            record.resource,
            record.timestamp,
            'new-template',
            match.id,
            [record.message],
            1,
            0,
            levelSeverity(record.level),
            0.8,
            `new log template on ${record.resource}: "${match.template}"`,
            { level: record.level },
          ),
        );
      }
    }
    return this.#classified(findings);
  }

  /** Closes the windows of resources that went quiet (silences are found here too). */
  tick(context: AnalyzerContext): AnalyzerFinding[] | Promise<AnalyzerFinding[]> {
    const findings: AnalyzerFinding[] = [];
    const now = context.clock.now();
    for (const [resource, state] of this.#resources) this.#advance(resource, state, now, findings);
    return this.#classified(findings);
  }

  /** Adds `data.classification` to each finding when a classifier was given. */
  #classified(findings: AnalyzerFinding[]): AnalyzerFinding[] | Promise<AnalyzerFinding[]> {
    const classifier = this.#classifier;
    if (!classifier || findings.length === 0) return findings;
    return Promise.all(
      findings.map(async (finding) => {
        const insightFinding = finding as AnalyzerFinding & { data: Record<string, unknown> };
        const classification = await classifier.classifyFinding({
          summary: finding.summary,
          data: insightFinding.data,
        });
        return { ...finding, data: { ...insightFinding.data, classification } } as AnalyzerFinding;
      }),
    );
  }

  snapshot(): unknown {
    return {
      version: SNAPSHOT_VERSION,
      miner: this.miner.snapshot(),
      resources: [...this.#resources].map(([resource, state]) => ({
        resource,
        windowStart: state.windowStart,
        windowsSeen: state.windowsSeen,
        errorMean: state.errorMean,
        errorVariance: state.errorVariance,
        stats: [...state.stats].map(([id, stats]) => [
          id,
          stats.mean,
          stats.variance,
          stats.windows,
          stats.silentFor,
          stats.meanBeforeSilence,
        ]),
      })),
    };
  }

  restore(state: unknown): void {
    const saved = state as { version?: unknown; miner?: unknown; resources?: unknown } | undefined;
    if (
      !saved ||
      saved.version !== SNAPSHOT_VERSION ||
      !Array.isArray(saved.resources) ||
      !this.miner.restore(saved.miner)
    )
      return;
    this.#resources.clear();
    for (const entry of saved.resources as Array<{
      resource: string;
      windowStart: number;
      windowsSeen: number;
      errorMean: number;
      errorVariance: number;
      stats: number[][];
    }>) {
      this.#resources.set(entry.resource, {
        windowStart: entry.windowStart,
        windowsSeen: entry.windowsSeen,
        records: 0,
        errors: 0,
        errorMean: entry.errorMean,
        errorVariance: entry.errorVariance,
        counts: new Map(),
        examples: new Map(),
        stats: new Map(
          entry.stats.map(([id, mean, variance, windows, silentFor, meanBeforeSilence]) => [
            id!,
            {
              mean: mean!,
              variance: variance!,
              windows: windows!,
              silentFor: silentFor!,
              meanBeforeSilence: meanBeforeSilence!,
            },
          ]),
        ),
      });
    }
  }

  #state(resource: string, timestamp: number): ResourceState {
    let state = this.#resources.get(resource);
    if (!state) {
      state = {
        windowStart: timestamp,
        windowsSeen: 0,
        records: 0,
        errors: 0,
        errorMean: 0,
        errorVariance: 0,
        counts: new Map(),
        examples: new Map(),
        stats: new Map(),
      };
      this.#resources.set(resource, state);
    }
    return state;
  }

  /** Closes every window that ended by `timestamp` (at most `silenceWindows + 1` empty ones are counted one by one). */
  #advance(resource: string, state: ResourceState, timestamp: number, findings: AnalyzerFinding[]): void {
    const { windowMs, silenceWindows } = this.options;
    let closed = 0;
    while (timestamp >= state.windowStart + windowMs) {
      this.#closeWindow(resource, state, findings);
      state.windowStart += windowMs;
      closed += 1;
      if (closed > silenceWindows + 1 && timestamp >= state.windowStart + windowMs) {
        // A long gap: skip ahead rather than closing every empty window of it.
        state.windowStart += Math.floor((timestamp - state.windowStart) / windowMs) * windowMs;
      }
    }
  }

  #closeWindow(resource: string, state: ResourceState, findings: AnalyzerFinding[]): void {
    const { smoothing, burstSigmas, minBurstCount, silenceWindows, minSilenceRate, warmupWindows } = this.options;
    const reporting = state.windowsSeen >= warmupWindows;
    const end = state.windowStart + this.options.windowMs;
    // Templates merged since they were counted: fold the counts into the surviving id.
    const counts = new Map<number, number>();
    const examples = new Map<number, string[]>();
    for (const [id, count] of state.counts) {
      const current = this.miner.resolve(id);
      counts.set(current, (counts.get(current) ?? 0) + count);
      examples.set(
        current,
        [...(examples.get(current) ?? []), ...(state.examples.get(id) ?? [])].slice(0, this.options.maxExamples),
      );
    }
    for (const [id, stats] of [...state.stats]) {
      const current = this.miner.resolve(id);
      if (current !== id) {
        state.stats.delete(id);
        if (!state.stats.has(current)) state.stats.set(current, stats);
      }
    }
    for (const [id, count] of counts) {
      const stats = state.stats.get(id);
      if (stats && reporting && stats.windows >= warmupWindows && count >= minBurstCount) {
        const deviation = Math.sqrt(Math.max(stats.variance, stats.mean, 1));
        if (count > stats.mean + burstSigmas * deviation) {
          const template = this.miner.template(id)?.template ?? '';
          const score = Math.min(1, (count - stats.mean) / (count + stats.mean));
          findings.push(
            this.#finding(
              resource,
              end,
              'burst',
              id,
              examples.get(id) ?? [],
              count,
              stats.mean,
              score > 0.8 ? 'high' : 'medium',
              score,
              `log burst on ${resource}: ${count} × "${template}" in one window (usually ${stats.mean.toFixed(1)})`,
            ),
          );
        }
      }
    }
    for (const [id, stats] of state.stats) {
      if (counts.has(id)) continue;
      stats.silentFor += 1;
      if (stats.silentFor === 1) stats.meanBeforeSilence = stats.mean;
      if (
        reporting &&
        stats.silentFor === silenceWindows &&
        stats.windows >= warmupWindows &&
        stats.meanBeforeSilence >= minSilenceRate
      ) {
        const template = this.miner.template(id);
        findings.push(
          this.#finding(
            resource,
            end,
            'silence',
            id,
            template?.examples ?? [],
            0,
            stats.meanBeforeSilence,
            'medium',
            Math.min(1, stats.meanBeforeSilence / (stats.meanBeforeSilence + 2)),
            `log silence on ${resource}: "${template?.template ?? id}" stopped (usually ${stats.meanBeforeSilence.toFixed(1)} per window, none for ${silenceWindows} windows)`,
          ),
        );
      }
    }
    for (const [id, count] of counts) {
      let stats = state.stats.get(id);
      if (!stats)
        state.stats.set(id, (stats = { mean: count, variance: 0, windows: 0, silentFor: 0, meanBeforeSilence: 0 }));
      stats.silentFor = 0;
    }
    for (const [id, stats] of state.stats) {
      const count = counts.get(id) ?? 0;
      const difference = count - stats.mean;
      stats.mean += smoothing * difference;
      stats.variance = (1 - smoothing) * (stats.variance + smoothing * difference * difference);
      stats.windows += 1;
    }
    if (state.records > 0) {
      const share = state.errors / state.records;
      const deviation = Math.sqrt(
        Math.max(state.errorVariance, (state.errorMean * (1 - state.errorMean)) / state.records, 1e-4),
      );
      if (
        reporting &&
        state.errors >= this.options.minErrorCount &&
        share > state.errorMean + burstSigmas * deviation
      ) {
        findings.push({
          ...this.#finding(
            resource,
            end,
            'error-rate',
            -1,
            [],
            state.errors,
            state.errorMean * state.records,
            share > 0.5 ? 'high' : 'medium',
            Math.min(1, share),
            `error logs on ${resource}: ${(share * 100).toFixed(0)}% of ${state.records} lines in one window (usually ${(state.errorMean * 100).toFixed(1)}%)`,
            { share, usualShare: state.errorMean },
          ),
        });
      }
      const difference = share - state.errorMean;
      state.errorMean += smoothing * difference;
      state.errorVariance = (1 - smoothing) * (state.errorVariance + smoothing * difference * difference);
    }
    state.windowsSeen += 1;
    state.counts.clear();
    state.examples.clear();
    state.records = 0;
    state.errors = 0;
  }

  #finding(
    resource: string,
    timestamp: number,
    type: LogFindingType,
    templateId: number,
    examples: readonly string[],
    count: number,
    expected: number,
    severity: Severity,
    score: number,
    summary: string,
    extra: Record<string, unknown> = {},
  ): AnalyzerFinding {
    const template = templateId >= 0 ? this.miner.template(templateId)?.template : undefined;
    return insight({
      kind: 'insight',
      topic: LOG_FINDING_TOPIC,
      resource,
      timestamp,
      severity,
      score: Math.max(0, Math.min(1, score)),
      summary,
      data: {
        type,
        ...(templateId >= 0 ? { templateId, template } : {}),
        examples: [...examples],
        count,
        expected,
        windowMs: this.options.windowMs,
        ...extra,
      },
    });
  }
}

function levelSeverity(level: LogRecord['level']): Severity {
  if (level === 'fatal') return 'critical';
  if (level === 'error') return 'high';
  if (level === 'warn') return 'medium';
  return 'low';
}
