import { parseWith } from '../errors/validation-error.js';
import { NotFoundError } from '../errors/errors.js';
import { IdSchema } from '../schemas/common.js';
import type { IngestRecord } from '../schemas/records.js';
import type { Analyzer, AnalyzerContext, AnalyzerFinding } from '../spec/analyzer.js';
import { allocationFromResource, computeRecommendation } from './compute-recommendation.js';
import { rightsizingFinding } from './rightsizing-finding.js';
import {
  ResourceAllocationSchema,
  ResourceOptimizerOptionsSchema,
  type Recommendation,
  type ResourceAllocation,
  type ResourceAllocationInput,
  type ResourceOptimizerOptions,
  type ResourceOptimizerOptionsInput,
} from './resource-optimizer-options.js';
import { WorkloadUsage } from './workload-usage.js';

/** Counters of a {@link ResourceOptimizer}. */
export interface ResourceOptimizerStats {
  cpuSamples: number;
  memorySamples: number;
  oomEvents: number;
  /** Records skipped, by reason: negative usage, a memory sample for an already closed window, an OOM with no known usage. */
  skipped: { 'negative-value': number; 'late-memory-sample': number; 'oom-without-usage': number };
  workloads: number;
  findings: number;
}

const SNAPSHOT_VERSION = 1;

/**
 * CPU and memory right-sizing per workload, in the manner of the Kubernetes VPA recommender. CPU samples
 * and per-window memory peaks go into decaying histograms (exponential buckets, 24 h half-life); the
 * CPU target is P90 + 15%, memory P95 of peaks + 15%, raised after an OOM kill to
 * max(1.2 × usage at the kill, usage + 100 MiB). Each recommendation carries bounds that widen when the
 * history is short, the savings against the current request, and the risk of exceeding the new value.
 *
 * ```ts
 * const optimizer = new ResourceOptimizer({ workloadLabel: 'app' });
 * const engine = new Engine({ analyzers: [optimizer] }); // `insight` findings, topic `rightsizing`, on tick
 * optimizer.recommend('checkout', { current: { cpuCores: 2, memoryBytes: 4 * 2 ** 30 } });
 * ```
 */
export class ResourceOptimizer implements Analyzer {
  /** Version of the contract implemented. */
  readonly specificationVersion = 'v1' as const;
  readonly name: string;
  readonly accepts = ['metric', 'event'] as const;
  readonly tickIntervalMs: number;
  /** The resolved options. */
  readonly options: ResourceOptimizerOptions;
  private readonly workloads = new Map<string, WorkloadUsage>();
  private readonly published = new Map<string, { at: number; cpu: number; memory: number }>();
  private readonly counters: ResourceOptimizerStats = {
    cpuSamples: 0,
    memorySamples: 0,
    oomEvents: 0,
    skipped: { 'negative-value': 0, 'late-memory-sample': 0, 'oom-without-usage': 0 },
    workloads: 0,
    findings: 0,
  };

  constructor(options: ResourceOptimizerOptionsInput = {}) {
    this.options = parseWith(ResourceOptimizerOptionsSchema, options, 'ResourceOptimizer options');
    this.name = this.options.name;
    this.tickIntervalMs = this.options.tickIntervalMs;
  }

  /** Workloads with history, by name. */
  get workloadNames(): string[] {
    return [...this.workloads.keys()];
  }

  /** Learns from CPU and memory samples and OOM events; other records are ignored, bad ones counted in `stats()`. */
  analyze(records: readonly IngestRecord[]): AnalyzerFinding[] {
    const { cpuMetric, memoryMetric, oomEventType } = this.options;
    for (const record of records) {
      const workload = (this.options.workloadLabel && record.labels?.[this.options.workloadLabel]) || record.resource;
      if (record.kind === 'metric' && (record.metric === cpuMetric || record.metric === memoryMetric)) {
        if (!(record.value >= 0)) {
          this.counters.skipped['negative-value'] += 1;
          continue;
        }
        const usage = this.usage(workload);
        if (record.metric === cpuMetric) {
          usage.addCpu(record.timestamp, record.value);
          this.counters.cpuSamples += 1;
        } else if (usage.addMemory(record.timestamp, record.value)) this.counters.memorySamples += 1;
        else this.counters.skipped['late-memory-sample'] += 1;
      } else if (record.kind === 'event' && record.type === oomEventType) {
        this.recordOom(workload, record.timestamp, record.attributes[this.options.oomMemoryAttribute]);
      }
    }
    return [];
  }

  /**
   * The recommendation for one workload now. `current` (per replica) overrides the configured allocation.
   * Throws `NotFoundError` for a workload with no history and `ValidationError` for bad input.
   */
  recommend(workload: string, options: { current?: ResourceAllocationInput; now?: number } = {}): Recommendation {
    parseWith(IdSchema, workload, 'workload');
    const current =
      options.current === undefined
        ? this.options.currentAllocations[workload]
        : parseWith(ResourceAllocationSchema, options.current, 'current allocation');
    const usage = this.workloads.get(workload);
    if (!usage)
      throw new NotFoundError(
        `No usage history for workload "${workload}"; known workloads: ${this.workloadNames.slice(0, 10).join(', ') || 'none'}.`,
      );
    return computeRecommendation({
      workload,
      usage,
      options: this.options,
      current,
      now: options.now ?? usage.lastTimestamp ?? 0,
    });
  }

  /**
   * Recommendations for every workload with at least `minSamples` CPU samples, taking current allocations
   * from the options or else the inventory (`compute` and `deployment` resources with the workload's id).
   */
  async recommendAll(context: Pick<AnalyzerContext, 'storage' | 'clock'>): Promise<Recommendation[]> {
    const now = context.clock.now();
    const recommendations: Recommendation[] = [];
    for (const [workload, usage] of this.workloads) {
      if (usage.cpuSamples < this.options.minSamples) continue;
      const current = this.options.currentAllocations[workload] ?? (await this.fromInventory(workload, context));
      recommendations.push(computeRecommendation({ workload, usage, options: this.options, current, now }));
    }
    return recommendations;
  }

  /** Publishes a `rightsizing` insight for each workload whose target moved enough (see `minChangeRatio`, `renotifyMs`). */
  async tick(context: AnalyzerContext): Promise<AnalyzerFinding[]> {
    const now = context.clock.now();
    const findings: AnalyzerFinding[] = [];
    for (const recommendation of await this.recommendAll(context)) {
      if (!this.worthReporting(recommendation, now)) continue;
      this.published.set(recommendation.workload, {
        at: now,
        cpu: recommendation.cpu.target,
        memory: recommendation.memory.target,
      });
      findings.push(rightsizingFinding(recommendation, now));
    }
    this.counters.findings += findings.length;
    return findings;
  }

  /** Counters: samples used and skipped, workloads tracked, findings published. */
  stats(): ResourceOptimizerStats {
    return { ...this.counters, skipped: { ...this.counters.skipped }, workloads: this.workloads.size };
  }

  /** Forgets one workload's history. */
  forget(workload: string): void {
    this.workloads.delete(workload);
    this.published.delete(workload);
  }

  /** A JSON-serialisable copy of every workload's histograms. */
  snapshot(): unknown {
    const workloads: Record<string, unknown> = {};
    for (const [key, usage] of this.workloads) workloads[key] = usage.toJSON();
    return {
      version: SNAPSHOT_VERSION,
      halfLifeMs: this.options.halfLifeMs,
      workloads,
      published: Object.fromEntries(this.published),
    };
  }

  /** Restores a {@link snapshot}; other versions, a different half-life and unreadable workloads are ignored. */
  restore(state: unknown): void {
    if (typeof state !== 'object' || state === null) return;
    const data = state as { version?: unknown; halfLifeMs?: unknown; workloads?: unknown; published?: unknown };
    if (
      data.version !== SNAPSHOT_VERSION ||
      data.halfLifeMs !== this.options.halfLifeMs ||
      typeof data.workloads !== 'object' ||
      data.workloads === null
    )
      return;
    for (const [key, raw] of Object.entries(data.workloads)) {
      const usage = WorkloadUsage.fromJSON(raw, this.options);
      if (usage) this.workloads.set(key, usage);
    }
    if (typeof data.published === 'object' && data.published !== null) {
      for (const [key, raw] of Object.entries(
        data.published as Record<string, { at?: unknown; cpu?: unknown; memory?: unknown }>,
      )) {
        if (typeof raw?.at === 'number' && typeof raw.cpu === 'number' && typeof raw.memory === 'number')
          this.published.set(key, { at: raw.at, cpu: raw.cpu, memory: raw.memory });
      }
    }
  }

  private usage(workload: string): WorkloadUsage {
    let usage = this.workloads.get(workload);
    if (usage) {
      this.workloads.delete(workload); // keep least-recently-updated order for eviction
    } else {
      usage = new WorkloadUsage(this.options);
      if (this.workloads.size >= this.options.maxWorkloads)
        this.workloads.delete(this.workloads.keys().next().value as string);
    }
    this.workloads.set(workload, usage);
    return usage;
  }

  private recordOom(workload: string, at: number, attribute: unknown): void {
    const known = this.workloads.get(workload);
    const usageBytes =
      typeof attribute === 'number' && attribute > 0
        ? attribute
        : (known?.lastMemoryBytes ?? this.options.currentAllocations[workload]?.memoryBytes);
    if (usageBytes === undefined) {
      this.counters.skipped['oom-without-usage'] += 1;
      return;
    }
    const bumpBytes = Math.max(this.options.oomBumpRatio * usageBytes, usageBytes + this.options.oomMinBumpBytes);
    this.usage(workload).addOom({ at, usageBytes, bumpBytes });
    this.counters.oomEvents += 1;
  }

  private async fromInventory(
    workload: string,
    context: Pick<AnalyzerContext, 'storage'>,
  ): Promise<ResourceAllocation | undefined> {
    const resource = await context.storage.getResource({ id: workload }).catch(() => undefined);
    return resource ? allocationFromResource(resource) : undefined;
  }

  private worthReporting(recommendation: Recommendation, now: number): boolean {
    const ratio = this.options.minChangeRatio;
    const moved = (from: number | undefined, to: number) => from === undefined || Math.abs(to - from) >= ratio * from;
    const { cpu, memory } = recommendation;
    const knowsCurrent = cpu.current !== undefined || memory.current !== undefined;
    const differs =
      (cpu.current !== undefined && moved(cpu.current, cpu.target)) ||
      (memory.current !== undefined && moved(memory.current, memory.target));
    if (knowsCurrent && !differs) return false;
    const last = this.published.get(recommendation.workload);
    if (!last) return true;
    return now - last.at >= this.options.renotifyMs || moved(last.cpu, cpu.target) || moved(last.memory, memory.target);
  }
}
