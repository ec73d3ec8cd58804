import { DecayingHistogram, type DecayingHistogramState } from './decaying-histogram.js';

/** Settings shared by every workload of a `ResourceOptimizer`. */
export interface WorkloadUsageSettings {
  halfLifeMs: number;
  memoryPeakIntervalMs: number;
}

/** The held effect of an OOM kill: memory at least `bumpBytes` until `at + hold`. */
export interface OomRecord {
  at: number;
  usageBytes: number;
  bumpBytes: number;
}

/** JSON form of a {@link WorkloadUsage}. */
export interface WorkloadUsageState {
  cpu: DecayingHistogramState;
  memory: DecayingHistogramState;
  firstTimestamp: number | null;
  lastTimestamp: number | null;
  cpuSamples: number;
  memoryPeaks: number;
  window: { start: number; peak: number } | null;
  lastMemoryBytes: number | null;
  oom: OomRecord | null;
}

/**
 * One workload's usage history, VPA style: a decaying histogram of CPU samples (cores) and one of memory
 * peaks (bytes; one peak per `memoryPeakIntervalMs` window, replaced while the window is open).
 */
export class WorkloadUsage {
  readonly cpu: DecayingHistogram;
  readonly memory: DecayingHistogram;
  firstTimestamp: number | undefined;
  lastTimestamp: number | undefined;
  cpuSamples = 0;
  memoryPeaks = 0;
  lastMemoryBytes: number | undefined;
  oom: OomRecord | undefined;
  private window: { start: number; peak: number } | undefined;

  constructor(private readonly settings: WorkloadUsageSettings) {
    // VPA's buckets: CPU from 0.01 core, memory from 10 MB, each 5% wider than the last.
    this.cpu = new DecayingHistogram({
      firstBucketSize: 0.01,
      ratio: 1.05,
      maxValue: 4096,
      halfLifeMs: settings.halfLifeMs,
    });
    this.memory = new DecayingHistogram({
      firstBucketSize: 1e7,
      ratio: 1.05,
      maxValue: 2 ** 50,
      halfLifeMs: settings.halfLifeMs,
    });
  }

  /** Adds a CPU usage sample (cores). */
  addCpu(timestamp: number, cores: number): void {
    this.cpu.add(cores, timestamp);
    this.cpuSamples += 1;
    this.touch(timestamp);
  }

  /** Adds a memory usage sample (bytes); returns false when it belongs to an already closed window (ignored). */
  addMemory(timestamp: number, bytes: number): boolean {
    if (!this.recordPeak(timestamp, bytes)) return false;
    this.lastMemoryBytes = bytes;
    this.touch(timestamp);
    return true;
  }

  /** Records an OOM kill at `timestamp` with the given bump; the bump also becomes that window's peak. */
  addOom(record: OomRecord): void {
    this.recordPeak(record.at, record.bumpBytes);
    if (!this.oom || record.at >= this.oom.at) this.oom = record;
    this.touch(record.at);
  }

  /** History span in ms. */
  spanMs(): number {
    return this.firstTimestamp === undefined || this.lastTimestamp === undefined
      ? 0
      : this.lastTimestamp - this.firstTimestamp;
  }

  toJSON(): WorkloadUsageState {
    return {
      cpu: this.cpu.toJSON(),
      memory: this.memory.toJSON(),
      firstTimestamp: this.firstTimestamp ?? null,
      lastTimestamp: this.lastTimestamp ?? null,
      cpuSamples: this.cpuSamples,
      memoryPeaks: this.memoryPeaks,
      window: this.window ?? null,
      lastMemoryBytes: this.lastMemoryBytes ?? null,
      oom: this.oom ?? null,
    };
  }

  /** Builds a workload from {@link toJSON} output; undefined when unreadable. */
  static fromJSON(state: unknown, settings: WorkloadUsageSettings): WorkloadUsage | undefined {
    if (typeof state !== 'object' || state === null) return undefined;
    const data = state as Partial<WorkloadUsageState>;
    const usage = new WorkloadUsage(settings);
    if (!usage.cpu.load(data.cpu) || !usage.memory.load(data.memory)) return undefined;
    if (typeof data.cpuSamples !== 'number' || typeof data.memoryPeaks !== 'number') return undefined;
    usage.cpuSamples = data.cpuSamples;
    usage.memoryPeaks = data.memoryPeaks;
    usage.firstTimestamp = numberOrUndefined(data.firstTimestamp);
    usage.lastTimestamp = numberOrUndefined(data.lastTimestamp);
    usage.lastMemoryBytes = numberOrUndefined(data.lastMemoryBytes);
    if (data.window && typeof data.window.start === 'number' && typeof data.window.peak === 'number')
      usage.window = { start: data.window.start, peak: data.window.peak };
    if (
      data.oom &&
      typeof data.oom.at === 'number' &&
      typeof data.oom.bumpBytes === 'number' &&
      typeof data.oom.usageBytes === 'number'
    )
      usage.oom = { ...data.oom };
    return usage;
  }

  private recordPeak(timestamp: number, bytes: number): boolean {
    const interval = this.settings.memoryPeakIntervalMs;
    const start = Math.floor(timestamp / interval) * interval;
    if (this.window && start < this.window.start) return false;
    if (!this.window || start > this.window.start) {
      this.window = { start, peak: bytes };
      this.memory.add(bytes, start);
      this.memoryPeaks += 1;
    } else if (bytes > this.window.peak) {
      // The window's peak rose: replace its sample rather than adding a second one.
      this.memory.subtract(this.window.peak, start);
      this.memory.add(bytes, start);
      this.window.peak = bytes;
    }
    return true;
  }

  private touch(timestamp: number): void {
    if (this.firstTimestamp === undefined || timestamp < this.firstTimestamp) this.firstTimestamp = timestamp;
    if (this.lastTimestamp === undefined || timestamp > this.lastTimestamp) this.lastTimestamp = timestamp;
  }
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
