import { describe, expect, it } from 'vitest';
import { MemoryStorage, createEngine, type AnomalyFinding } from '../index.js';
import { AnomalyDetector } from './anomaly-detector.js';
import { ensembleStrategy } from './ensemble-strategy.js';
import { robustZScoreStrategy } from './robust-z-score-strategy.js';
import { zScoreStrategy } from './z-score-strategy.js';
import { dailySeries } from './synthetic-series.test-helper.js';

const SPIKE_AT = 2000;
const SHIFT_AT = 3000;

function withAnomalies() {
  const series = dailySeries({ length: 4000, seed: 7 });
  series[SPIKE_AT]!.value += 60;
  for (let index = SHIFT_AT; index < series.length; index += 1) series[index]!.value += 40;
  return series;
}

describe('AnomalyDetector (default ensemble)', () => {
  it('gives every sample a score in [0, 1]', () => {
    const detector = new AnomalyDetector();
    for (const point of withAnomalies()) {
      const score = detector.score('web-1/cpu', point.timestamp, point.value);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
    }
  });

  it('detects an injected spike and a level shift, and stays quiet on the normal part', () => {
    const detector = new AnomalyDetector();
    const scores = withAnomalies().map((point) => detector.score('web-1/cpu', point.timestamp, point.value));
    const threshold = detector.threshold;
    expect(Math.max(...scores.slice(SPIKE_AT, SPIKE_AT + 3))).toBeGreaterThanOrEqual(threshold);
    // The spike already widened the range, so the shift is caught by novelty or the smoothed level, a few samples in.
    expect(Math.max(...scores.slice(SHIFT_AT, SHIFT_AT + 20))).toBeGreaterThanOrEqual(threshold);
    const falseAlarms = scores.slice(600, SPIKE_AT).filter((score) => score >= threshold).length;
    expect(falseAlarms).toBeLessThanOrEqual(1);
  });

  it('reports a far larger incident even during the rest after a detection', () => {
    const series = dailySeries({ length: 1200, seed: 3 });
    series[1000]!.value += 15; // a modest new extreme: a detection, then a rest period
    series[1030]!.value += 200; // a much larger incident inside that rest period
    const detector = new AnomalyDetector();
    const scores = series.map((point) => detector.score('s', point.timestamp, point.value));
    expect(scores[1000]).toBeGreaterThanOrEqual(detector.threshold);
    expect(scores.slice(1001, 1030).every((score) => score === 0)).toBe(true);
    expect(scores[1030]).toBe(1);
  });

  it('is not blinded by one huge outlier: a later spike still scores as an anomaly (issue 17, item 8)', () => {
    // A series in the tens, one 1e6 sample, then much later a 5,000 spike (before the fix it scored 0.03).
    const series = dailySeries({ length: 3000, seed: 5, level: 40, amplitude: 10, noise: 2 });
    series[1000]!.value = 1e6;
    series[2500]!.value = 5000;
    const detector = new AnomalyDetector();
    const scores = series.map((point) => detector.score('s', point.timestamp, point.value));
    expect(scores[1000]).toBe(1);
    expect(scores[2500]).toBeGreaterThanOrEqual(detector.threshold);
    // The normal samples between them stay quiet (no alarms from the outlier's aftermath).
    expect(scores.slice(1200, 2500).filter((score) => score >= detector.threshold).length).toBeLessThanOrEqual(1);
  });

  it('learns a lasting level shift in full (a repeat beyond the cap is not an outlier) and alarms once', () => {
    const series = dailySeries({ length: 3000, seed: 6, level: 40, amplitude: 10, noise: 2 });
    for (let index = 1500; index < series.length; index += 1) series[index]!.value += 500;
    const detector = new AnomalyDetector();
    const scores = series.map((point) => detector.score('s', point.timestamp, point.value));
    expect(scores[1500]).toBe(1);
    expect(scores.slice(1501).filter((score) => score >= detector.threshold).length).toBeLessThanOrEqual(1);
  });

  it('forgets the trace of a lone outlier: a moderate spike long after it is reported again', () => {
    // The outlier widens the range by at most the cap (one range); that widening then fades. A later spike
    // to 1.5 ranges above the usual top lies inside the widened range: only forgetting reports it.
    const series = dailySeries({ length: 8000, seed: 9, level: 40, amplitude: 10, noise: 2 });
    series[1000]!.value = 1e6;
    const top = Math.max(...series.slice(0, 1000).map((point) => point.value));
    const bottom = Math.min(...series.slice(0, 1000).map((point) => point.value));
    series[7000]!.value = top + 0.5 * (top - bottom);
    const forgetting = new AnomalyDetector();
    const remembering = new AnomalyDetector({ strategy: ensembleStrategy({ outlierForgetting: 0 }) });
    const scored = series.map(
      (point) =>
        [
          forgetting.score('s', point.timestamp, point.value),
          remembering.score('s', point.timestamp, point.value),
        ] as const,
    );
    expect(scored[7000]![0]).toBe(1);
    expect(scored[7000]![1]).toBeLessThan(forgetting.threshold);
  });

  it('has no look-ahead: the scores of a prefix do not change when more data follows', () => {
    const series = withAnomalies();
    const full = new AnomalyDetector();
    const fullScores = series.map((point) => full.score('s', point.timestamp, point.value));
    const prefix = new AnomalyDetector();
    const prefixScores = series.slice(0, 2500).map((point) => prefix.score('s', point.timestamp, point.value));
    expect(prefixScores).toEqual(fullScores.slice(0, 2500));
  });

  it('snapshot/restore gives identical subsequent scores (through JSON, as Storage keeps it)', () => {
    const series = withAnomalies();
    const original = new AnomalyDetector();
    for (const point of series.slice(0, 1800)) original.score('s', point.timestamp, point.value);
    const saved = JSON.parse(JSON.stringify(original.snapshot())) as unknown;
    const restored = new AnomalyDetector();
    restored.restore(saved);
    const rest = series.slice(1800);
    const expected = rest.map((point) => original.score('s', point.timestamp, point.value));
    const actual = rest.map((point) => restored.score('s', point.timestamp, point.value));
    expect(actual).toEqual(expected);
    expect(Math.max(...actual)).toBeGreaterThan(0);
  });

  it('ignores snapshots it does not recognise', () => {
    const detector = new AnomalyDetector();
    for (const bad of [
      null,
      42,
      { version: 99 },
      { version: 1, strategy: 'other', series: {} },
      { version: 1, strategy: 'ensemble', series: { s: { state: 'junk', lastTimestamp: 1 } } },
    ]) {
      detector.restore(bad);
    }
    expect(detector.stats().series).toBe(0);
  });

  it('keeps series apart and forgets the least recently updated beyond maxSeries', () => {
    const detector = new AnomalyDetector({ maxSeries: 2 });
    detector.score('a', 1, 1);
    detector.score('b', 1, 1);
    detector.score('a', 2, 1);
    detector.score('c', 1, 1);
    expect(detector.stats().series).toBe(2);
    // "b" was forgotten, so an older timestamp for it is accepted as a new series.
    expect(detector.observe('b', 0, 1).status).toBe('scored');
  });
});

describe('AnomalyDetector bad input', () => {
  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['a string', '12' as unknown as number],
    ['undefined', undefined as unknown as number],
  ])('skips and counts a %s value without touching the state', (_label, value) => {
    const detector = new AnomalyDetector();
    detector.score('s', 1000, 1);
    expect(detector.observe('s', 2000, value)).toEqual({ status: 'skipped', reason: 'invalid-value' });
    expect(detector.score('s', 3000, value)).toBe(0);
    expect(detector.stats().skipped['invalid-value']).toBe(2);
    expect(detector.stats().scored).toBe(1);
    // The series still accepts the next good sample at 2000 (the bad one did not advance its clock).
    expect(detector.observe('s', 2000, 2).status).toBe('scored');
  });

  it('skips a non-finite timestamp', () => {
    const detector = new AnomalyDetector();
    expect(detector.observe('s', Number.NaN, 1)).toEqual({ status: 'skipped', reason: 'invalid-timestamp' });
    expect(detector.stats().skipped['invalid-timestamp']).toBe(1);
  });

  it('skips out-of-order and duplicate timestamps per series', () => {
    const detector = new AnomalyDetector();
    detector.score('s', 2000, 1);
    expect(detector.observe('s', 1000, 1)).toEqual({ status: 'skipped', reason: 'out-of-order' });
    expect(detector.observe('s', 2000, 5)).toEqual({ status: 'skipped', reason: 'duplicate-timestamp' });
    expect(detector.observe('other', 1000, 1).status).toBe('scored');
    expect(detector.stats().skipped).toMatchObject({ 'out-of-order': 1, 'duplicate-timestamp': 1 });
  });

  it('rejects bad options with a ValidationError naming the field', () => {
    expect(() => new AnomalyDetector({ threshold: 2 })).toThrow(/threshold/);
  });
});

describe('AnomalyDetector findings', () => {
  it('emits one de-duplicated finding with severity and expected value for an incident', () => {
    const detector = new AnomalyDetector({ dedupeMs: 3_600_000 });
    const records = withAnomalies().map((point) => ({
      kind: 'metric' as const,
      resource: 'web-1',
      metric: 'cpu',
      ...point,
    }));
    const findings = detector.analyze(records) as AnomalyFinding[];
    const spike = findings.filter(
      (finding) =>
        finding.timestamp >= records[SPIKE_AT]!.timestamp &&
        finding.timestamp < records[SPIKE_AT]!.timestamp + 3_600_000,
    );
    expect(spike).toHaveLength(1);
    expect(spike[0]).toMatchObject({
      kind: 'anomaly',
      resource: 'web-1',
      series: 'web-1/cpu',
      value: records[SPIKE_AT]!.value,
    });
    expect(spike[0]!.expected).toBeGreaterThan(35);
    expect(spike[0]!.expected).toBeLessThan(65);
    expect(['low', 'medium', 'high', 'critical']).toContain(spike[0]!.severity);
    expect(detector.stats().findings).toBe(findings.length);
  });

  it('multivariate mode names the metrics that contributed most', () => {
    const detector = new AnomalyDetector({ mode: 'multivariate' });
    const cpu = dailySeries({ length: 2500, seed: 1 });
    const memory = dailySeries({ length: 2500, seed: 2, level: 200, amplitude: 5 });
    const latency = dailySeries({ length: 2500, seed: 3, level: 20, amplitude: 2 });
    cpu[2200]!.value += 80;
    latency[2200]!.value += 40;
    const records = cpu.flatMap((point, index) => [
      { kind: 'metric' as const, resource: 'db-1', metric: 'cpu', ...point },
      { kind: 'metric' as const, resource: 'db-1', metric: 'memory', ...memory[index]! },
      { kind: 'metric' as const, resource: 'db-1', metric: 'latency', ...latency[index]! },
    ]);
    const findings = (detector.analyze(records) as AnomalyFinding[]).filter(
      (finding) => finding.timestamp === cpu[2200]!.timestamp,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.series).toBeUndefined();
    const names = findings[0]!.contributors!.map((contributor) => contributor.metric);
    expect(names.slice(0, 2).sort()).toEqual(['cpu', 'latency']);
    // Memory behaved normally: it is at most a minor contributor.
    const memoryScore = findings[0]!.contributors!.find((contributor) => contributor.metric === 'memory')?.score ?? 0;
    expect(memoryScore).toBeLessThan(0.5);
    expect(findings[0]!.contributors![1]!.score).toBeGreaterThan(0.9);
  });

  it('works inside the engine and its state survives a restart through Storage', async () => {
    const storage = new MemoryStorage();
    const engine = createEngine({ storage, analyzers: [new AnomalyDetector()], closeAdapters: false });
    const records = withAnomalies().map((point) => ({ resource: 'web-1', metric: 'cpu', ...point }));
    await engine.ingest(records.slice(0, 1500));
    await engine.close();
    const restarted = new AnomalyDetector();
    const second = createEngine({ storage, analyzers: [restarted] });
    await second.start();
    expect(restarted.stats().series).toBe(1);
    const result = await second.ingest(records.slice(1500, SPIKE_AT + 1));
    expect(
      result.findings.some(
        (finding) => finding.kind === 'anomaly' && finding.timestamp === records[SPIKE_AT]!.timestamp,
      ),
    ).toBe(true);
    await second.close();
  });

  it('accepts the simple strategies', () => {
    for (const strategy of [zScoreStrategy(), robustZScoreStrategy()]) {
      const detector = new AnomalyDetector({ strategy });
      const scores = withAnomalies().map((point) => detector.score('s', point.timestamp, point.value));
      expect(Math.max(...scores.slice(SPIKE_AT, SPIKE_AT + 2))).toBeGreaterThan(0.6);
      expect(scores.slice(100, SPIKE_AT).every((score) => score < 0.6)).toBe(true);
      const restored = new AnomalyDetector({ strategy });
      restored.restore(JSON.parse(JSON.stringify(detector.snapshot())));
      expect(restored.score('s', Date.UTC(2030, 0, 1), 50)).toBe(detector.score('s', Date.UTC(2030, 0, 1), 50));
    }
  });
});
