import { describe, expect, it } from 'vitest';
import {
  MemoryStorage,
  NotFoundError,
  ValidationError,
  createEngine,
  type IngestRecordInput,
  type InsightFinding,
} from '../index.js';
import { ManualClock } from '../testing/index.js';
import { createSeededRandom } from '../simulator/seeded-random.js';
import { ResourceOptimizer } from './resource-optimizer.js';

const MINUTE = 60_000;
const DAY = 86_400_000;
const GIB = 2 ** 30;
const MIB = 2 ** 20;
const START = Date.UTC(2026, 0, 1);
/** Standard normal quantile at 0.9 and its survival at z. */
const Z90 = 1.2815515655446004;

/** Feeds `minutes` of per-minute samples: CPU lognormal(0, 0.3) cores, memory normal(2 GiB, 0.1 GiB). */
function feed(
  optimizer: ResourceOptimizer,
  options: {
    workload: string;
    minutes: number;
    seed?: number;
    start?: number;
    cpu?: () => number;
    memory?: () => number;
  },
): number {
  const random = createSeededRandom(options.seed ?? 7);
  const cpu = options.cpu ?? (() => Math.exp(0.3 * random.normal()));
  const memory = options.memory ?? (() => 2 * GIB + 0.1 * GIB * random.normal());
  const start = options.start ?? START;
  const records = [];
  for (let minute = 0; minute < options.minutes; minute++) {
    const timestamp = start + minute * MINUTE;
    records.push({
      kind: 'metric' as const,
      resource: options.workload,
      metric: 'cpu_usage_cores',
      value: cpu(),
      timestamp,
    });
    records.push({
      kind: 'metric' as const,
      resource: options.workload,
      metric: 'memory_usage_bytes',
      value: memory(),
      timestamp,
    });
  }
  optimizer.analyze(records);
  return start + (options.minutes - 1) * MINUTE;
}

/** P95 of the hourly peak of 60 normal(2 GiB, 0.1 GiB) samples, by Monte Carlo with an independent seed. */
function expectedMemoryPeakP95(): number {
  const random = createSeededRandom(12345);
  const peaks = Array.from({ length: 20_000 }, () => {
    let peak = -Infinity;
    for (let index = 0; index < 60; index++) peak = Math.max(peak, 2 * GIB + 0.1 * GIB * random.normal());
    return peak;
  }).sort((a, b) => a - b);
  return peaks[Math.floor(0.95 * peaks.length)]!;
}

describe('ResourceOptimizer', () => {
  it('recommends CPU at P90 + 15% and memory at P95 of hourly peaks + 15% of a known distribution', () => {
    const optimizer = new ResourceOptimizer();
    feed(optimizer, { workload: 'api', minutes: 7 * 1440 });
    const recommendation = optimizer.recommend('api', { current: { cpuCores: 4, memoryBytes: 8 * GIB, replicas: 3 } });
    const cpuTruth = Math.exp(0.3 * Z90) * 1.15;
    expect(Math.abs(recommendation.cpu.target - cpuTruth) / cpuTruth).toBeLessThan(0.03);
    const memoryTruth = expectedMemoryPeakP95() * 1.15;
    expect(Math.abs(recommendation.memory.target - memoryTruth) / memoryTruth).toBeLessThan(0.03);
    // Risk: P(lognormal > P90 × 1.15) = 1 − Φ(Z90 + ln(1.15)/0.3) ≈ 0.040.
    expect(recommendation.cpu.riskAtTarget).toBeGreaterThan(0.025);
    expect(recommendation.cpu.riskAtTarget).toBeLessThan(0.055);
    expect(recommendation.cpu.riskAtCurrent).toBeLessThan(0.001);
    expect(recommendation.cpu.savingsPerReplica).toBeCloseTo(4 - recommendation.cpu.target, 10);
    expect(recommendation.memory.savingsPerReplica).toBeCloseTo(8 * GIB - recommendation.memory.target, 0);
    expect(recommendation.replicas).toBe(3);
    expect(recommendation.cpu.lowerBound).toBeLessThan(recommendation.cpu.target);
    expect(recommendation.cpu.upperBound).toBeGreaterThan(recommendation.cpu.target);
    expect(recommendation.confidenceDays).toBeCloseTo(7, 1);
  });

  it('follows recent usage: a day-long half-life discounts last week', () => {
    const optimizer = new ResourceOptimizer();
    const end = feed(optimizer, { workload: 'batch', minutes: 7 * 1440, cpu: () => 2 });
    feed(optimizer, { workload: 'batch', minutes: 7 * 1440, start: end + MINUTE, cpu: () => 0.5 });
    expect(optimizer.recommend('batch').cpu.target).toBeCloseTo(0.5 * 1.15, 1);
  });

  it('raises memory after an OOM kill to max(1.2 × usage, usage + 100 MiB) and drops the floor after the hold', () => {
    const optimizer = new ResourceOptimizer({ oomHoldMs: 2 * DAY });
    const end = feed(optimizer, { workload: 'worker', minutes: 1440, memory: () => GIB });
    const before = optimizer.recommend('worker').memory.target;
    expect(before).toBeCloseTo(1.15 * GIB, -6);
    optimizer.analyze([
      { kind: 'event', type: 'oom', resource: 'worker', timestamp: end, attributes: { memory_bytes: 1.3 * GIB } },
    ]);
    const after = optimizer.recommend('worker', { now: end });
    expect(after.memory.target).toBeGreaterThanOrEqual(1.2 * 1.3 * GIB);
    expect(after.lastOomAt).toBe(end);
    // Small workloads get the absolute bump: 200 MiB + 100 MiB > 1.2 × 200 MiB.
    const small = new ResourceOptimizer();
    feed(small, { workload: 'tiny', minutes: 60, memory: () => 200 * MIB });
    small.analyze([{ kind: 'event', type: 'oom', resource: 'tiny', timestamp: START + 59 * MINUTE, attributes: {} }]);
    expect(small.recommend('tiny').memory.target).toBeGreaterThanOrEqual(300 * MIB);
    // Three days later the bump is no longer held.
    const later = feed(optimizer, { workload: 'worker', minutes: 3 * 1440, start: end + MINUTE, memory: () => GIB });
    expect(optimizer.recommend('worker', { now: later }).memory.target).toBeLessThan(1.2 * 1.3 * GIB);
  });

  it('widens the bounds when the history is short', () => {
    const short = new ResourceOptimizer({ minSamples: 1 });
    feed(short, { workload: 'new', minutes: 60 });
    const long = new ResourceOptimizer();
    feed(long, { workload: 'old', minutes: 7 * 1440 });
    const width = (recommendation: ReturnType<ResourceOptimizer['recommend']>) =>
      (recommendation.cpu.upperBound - recommendation.cpu.lowerBound) / recommendation.cpu.target;
    const shortRecommendation = short.recommend('new');
    const longRecommendation = long.recommend('old');
    expect(width(shortRecommendation)).toBeGreaterThan(5 * width(longRecommendation));
    expect(shortRecommendation.confidenceDays).toBeLessThan(0.05);
  });

  it('publishes rightsizing insights through the engine with the current request from the inventory', async () => {
    const clock = new ManualClock(START + 2 * DAY);
    const storage = new MemoryStorage();
    await storage.putResource({
      resource: { type: 'compute', id: 'vm-1', name: 'vm-1', cpu: 8, memoryMiB: 16_384, labels: {}, status: 'running' },
    });
    await storage.putResource({
      resource: {
        type: 'deployment',
        id: 'web',
        name: 'web',
        replicas: 4,
        readyReplicas: 4,
        labels: { 'dharma.io/cpu-request-cores': '0.5', 'dharma.io/memory-request-mib': '1024' },
        status: 'running',
      },
    });
    const optimizer = new ResourceOptimizer();
    const engine = createEngine({ analyzers: [optimizer], storage, clock, persistSamples: false });
    const records: IngestRecordInput[] = [];
    const random = createSeededRandom(3);
    for (let minute = 0; minute < 1440; minute++) {
      const timestamp = START + DAY + minute * MINUTE;
      records.push({ resource: 'vm-1', metric: 'cpu_usage_cores', value: 1 + 0.1 * random.normal(), timestamp });
      records.push({ resource: 'vm-1', metric: 'memory_usage_bytes', value: 3 * GIB, timestamp });
      records.push({ resource: 'web', metric: 'cpu_usage_cores', value: 1.5 + 0.1 * random.normal(), timestamp });
      records.push({ resource: 'web', metric: 'memory_usage_bytes', value: 900 * MIB, timestamp });
    }
    await engine.ingest(records);
    const findings = (await engine.tick()) as InsightFinding[];
    const byResource = new Map(findings.map((finding) => [finding.resource, finding]));
    const vm = byResource.get('vm-1')!;
    expect(vm.topic).toBe('rightsizing');
    expect(vm.severity).toBe('low'); // over-provisioned: savings only
    const vmSavings = vm.data.savings as { cpuCores: number; memoryBytes: number };
    expect(vmSavings.cpuCores).toBeGreaterThan(6);
    expect(vmSavings.memoryBytes).toBeCloseTo(16 * GIB - 3 * GIB * 1.15, -8);
    const web = byResource.get('web')!;
    expect(web.severity).toBe('medium'); // CPU is starved (1.5 cores used, 0.5 requested); memory peaks (900 MiB) fit in 1 GiB
    expect((web.data.cpu as { riskAtCurrent: number }).riskAtCurrent).toBeGreaterThan(0.99);
    expect((web.data.memory as { riskAtCurrent: number }).riskAtCurrent).toBe(0);
    const webSavings = web.data.savings as { cpuCores: number };
    expect(webSavings.cpuCores).toBeLessThan(-4); // needs ~1.2 more cores per replica × 4
    // Nothing changed: no second report within renotifyMs.
    expect(await engine.tick()).toHaveLength(0);
    expect(optimizer.stats().findings).toBe(2);
    await engine.close();
  });

  it('snapshots and restores its histograms', () => {
    const optimizer = new ResourceOptimizer();
    feed(optimizer, { workload: 'api', minutes: 2 * 1440 });
    const restored = new ResourceOptimizer();
    restored.restore(JSON.parse(JSON.stringify(optimizer.snapshot())));
    expect(restored.recommend('api')).toEqual(optimizer.recommend('api'));
    const other = new ResourceOptimizer({ halfLifeMs: DAY / 2 });
    other.restore(optimizer.snapshot()); // a different half-life would mis-weight old samples
    expect(other.workloadNames).toEqual([]);
    other.restore({ version: 99 });
    other.restore(null);
    expect(other.workloadNames).toEqual([]);
  });

  it('validates options and direct input, and counts bad records instead of failing', () => {
    expect(() => new ResourceOptimizer({ cpuPercentile: 1.5 })).toThrowError(ValidationError);
    try {
      new ResourceOptimizer({ safetyMargin: -1 });
    } catch (error) {
      expect((error as ValidationError).field).toBe('safetyMargin');
      expect((error as Error).message).toContain('ResourceOptimizer options.safetyMargin');
    }
    const optimizer = new ResourceOptimizer();
    expect(() => optimizer.recommend('ghost')).toThrowError(NotFoundError);
    feed(optimizer, { workload: 'api', minutes: 30 });
    expect(() => optimizer.recommend('api', { current: { cpuCores: -2 } })).toThrowError(
      /current allocation\.cpuCores/,
    );
    expect(() => optimizer.recommend('')).toThrowError(ValidationError);
    optimizer.analyze([
      { kind: 'metric', resource: 'api', metric: 'cpu_usage_cores', value: -1, timestamp: START },
      { kind: 'metric', resource: 'api', metric: 'memory_usage_bytes', value: GIB, timestamp: START - DAY },
      { kind: 'event', type: 'oom', resource: 'unknown', timestamp: START, attributes: {} },
    ]);
    expect(optimizer.stats().skipped).toEqual({ 'negative-value': 1, 'late-memory-sample': 1, 'oom-without-usage': 1 });
  });

  it('groups records by a workload label', () => {
    const optimizer = new ResourceOptimizer({ workloadLabel: 'app' });
    optimizer.analyze(
      Array.from({ length: 20 }, (_, index) => ({
        kind: 'metric' as const,
        resource: `pod-${index % 3}`,
        metric: 'cpu_usage_cores',
        value: 1,
        timestamp: START + index * MINUTE,
        labels: { app: 'shop' },
      })),
    );
    expect(optimizer.workloadNames).toEqual(['shop']);
    expect(optimizer.recommend('shop').cpuSamples).toBe(20);
  });
});
