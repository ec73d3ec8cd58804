import { afterEach, describe, expect, it } from 'vitest';
import {
  createEngine,
  type Engine,
  type EventRecordInput,
  type MetricSampleInput,
  type PredictionFinding,
  type ThreatFinding,
  type InsightFinding,
} from '@iac-dharma/core';
import { ManualClock } from '@iac-dharma/core/testing';
import { ChurnPredictor, FailurePredictor, ThreatDetector, NSL_KDD_TRAFFIC_FEATURES } from '../src/index.js';
import { flat, readCard, readParity } from './artifacts.js';

let engine: Engine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

describe('FailurePredictor', () => {
  const parity = readParity('failure');
  const sensors = parity.sensorNames!;
  const byProbability = [...parity.rows].sort(
    (a, b) => flat(a.outputs['failureProbability'])[0]! - flat(b.outputs['failureProbability'])[0]!,
  );
  const healthy = byProbability[0]!;
  const failing = byProbability[byProbability.length - 1]!;
  const window = (row: typeof healthy) => (row.raw as { sensors: number[][] }).sensors;

  it('predict() matches the model and explains the prediction', async () => {
    const predictor = new FailurePredictor();
    const prediction = await predictor.predict(window(failing));
    expect(prediction.probability).toBeCloseTo(flat(failing.outputs['failureProbability'])[0]!, 5);
    expect(prediction.timeToFailure).toBeCloseTo(flat(failing.outputs['rul'])[0]!, 4);
    expect(prediction.horizon).toBe(readCard('failure').postprocess['failureHorizon']);
    expect(prediction.topFactors.length).toBeGreaterThan(0);
    expect(sensors).toContain(prediction.topFactors[0]!.feature);
  });

  it('emits a prediction finding through a real engine for a failing engine only', async () => {
    const clock = new ManualClock();
    // Metric names differ from the model's sensor names: the mapping connects them.
    const metrics = Object.fromEntries(sensors.map((sensor) => [sensor, `turbofan.${sensor}`]));
    engine = createEngine({ clock, analyzers: [new FailurePredictor({ metrics, threshold: 0.5 })] });
    const samples = (resource: string, rows: number[][]): MetricSampleInput[] =>
      rows.flatMap((row, cycle) =>
        row.map((value, index) => ({
          resource,
          metric: metrics[sensors[index]!]!,
          value,
          timestamp: 1_000 + cycle * 1_000,
        })),
      );
    const findings: PredictionFinding[] = [];
    engine.on('prediction', (finding) => findings.push(finding));
    await engine.ingest([...samples('engine-healthy', window(healthy)), ...samples('engine-failing', window(failing))]);
    expect(findings.map((finding) => finding.resource)).toEqual(['engine-failing']);
    const [finding] = findings;
    expect(finding!.probability).toBeGreaterThanOrEqual(0.5);
    expect(finding!.model).toBe('failure');
    expect(finding!.topFactors[0]!.feature).toMatch(/^turbofan\.sensor_/);
    expect(finding!.summary).toContain('probability of failure within 30 cycles');
  });
});

describe('ThreatDetector', () => {
  const parity = readParity('threat');
  const labels = readCard('threat').labels!;
  const topLabel = (row: (typeof parity.rows)[number]) => {
    const probabilities = flat(row.outputs['probabilities']);
    return labels[probabilities.indexOf(Math.max(...probabilities))]!;
  };
  const attack = parity.rows.find((row) => topLabel(row) === 'dos')!;
  const normal = parity.rows.find((row) => topLabel(row) === 'normal')!;

  it('classify() returns the category and attack probability of featurised rows', async () => {
    const detector = new ThreatDetector();
    const [verdictAttack, verdictNormal] = await detector.classify([
      attack.raw as Record<string, unknown>,
      normal.raw as Record<string, unknown>,
    ]);
    expect(verdictAttack).toMatchObject({ isThreat: true, category: 'dos' });
    expect(verdictAttack!.probability).toBeCloseTo(1 - flat(attack.outputs['probabilities'])[0]!, 5);
    expect(verdictNormal!.isThreat).toBe(false);
  });

  it('emits threat findings from connection events and skips invalid ones without crashing', async () => {
    const detector = new ThreatDetector();
    engine = createEngine({ clock: new ManualClock(), analyzers: [detector] });
    const threats: ThreatFinding[] = [];
    engine.on('threat', (finding) => threats.push(finding));
    const event = (resource: string, attributes: Record<string, unknown>): EventRecordInput => ({
      kind: 'event',
      type: 'connection',
      resource,
      attributes: attributes as never,
    });
    const withoutTraffic = Object.fromEntries(
      Object.entries(normal.raw as Record<string, unknown>).filter(
        ([name]) => !(NSL_KDD_TRAFFIC_FEATURES as readonly string[]).includes(name),
      ),
    );
    await engine.ingest([
      event('10.0.0.5', attack.raw as Record<string, unknown>),
      event('10.0.0.6', normal.raw as Record<string, unknown>),
      event('10.0.0.7', { ...withoutTraffic, src_host: '10.0.0.99', src_port: 4242 }), // traffic features computed from the stream
      event('10.0.0.8', { ...(normal.raw as Record<string, unknown>), src_bytes: 'lots' }), // invalid: skipped
    ]);
    expect(threats.map((finding) => finding.resource)).toContain('10.0.0.5');
    expect(threats.find((finding) => finding.resource === '10.0.0.5')).toMatchObject({
      isThreat: true,
      category: 'dos',
      model: 'threat',
    });
    expect(detector.stats()).toEqual({ scored: 3, rejected: 1 });
  });
});

describe('ChurnPredictor', () => {
  const parity = readParity('churn');

  it('predict() matches the model and reports imputed blank TotalCharges', async () => {
    const predictor = new ChurnPredictor();
    const rows = parity.rows.map((row) => row.raw as Record<string, unknown>);
    const predictions = await predictor.predict(rows);
    predictions.forEach((prediction, index) =>
      expect(prediction.probability).toBeCloseTo(flat(parity.rows[index]!.outputs['probabilities'])[1]!, 5),
    );
    const blank = rows.findIndex((row) => String(row['TotalCharges']).trim() === '');
    expect(blank).toBeGreaterThanOrEqual(0);
    expect(predictions[blank]!.imputed).toEqual(['TotalCharges']);
  });

  it('emits churn insights from account events', async () => {
    engine = createEngine({ clock: new ManualClock(), analyzers: [new ChurnPredictor({ threshold: 0.5 })] });
    const insights: InsightFinding[] = [];
    engine.on('insight', (finding) => insights.push(finding));
    const risky = parity.rows.filter((row) => flat(row.outputs['probabilities'])[1]! >= 0.5).slice(0, 3);
    const safe = parity.rows.filter((row) => flat(row.outputs['probabilities'])[1]! < 0.2).slice(0, 3);
    await engine.ingest(
      [...risky, ...safe].map((row, index) => ({
        kind: 'event' as const,
        type: 'account',
        resource: `customer-${index}`,
        attributes: row.raw as never,
      })),
    );
    expect(insights.map((finding) => finding.resource).sort()).toEqual(
      ['customer-0', 'customer-1', 'customer-2'].slice(0, risky.length),
    );
    expect(insights[0]).toMatchObject({ topic: 'churn', kind: 'insight' });
  });
});
