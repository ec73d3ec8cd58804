// The analyzers encode into pooled input buffers: overlapping calls must never share one.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '@iac-dharma/core';
import { readParity } from '../../test/artifacts.js';
import { ChurnPredictor } from './churn-predictor.js';
import { FailurePredictor } from './failure-predictor.js';
import { ThreatDetector } from './threat-detector.js';

describe('pooled input buffers', () => {
  it('ThreatDetector: concurrent single-row calls give the same verdicts as sequential ones', async () => {
    const rows = readParity('threat')
      .rows.slice(0, 12)
      .map((row) => row.raw as Record<string, unknown>);
    const detector = new ThreatDetector();
    const sequential = [];
    for (const row of rows) sequential.push((await detector.classify([row]))[0]);
    const concurrent = (await Promise.all(rows.map((row) => detector.classify([row])))).map((verdicts) => verdicts[0]);
    expect(concurrent).toEqual(sequential);
    expect(new Set(sequential.map((verdict) => verdict!.probability)).size).toBeGreaterThan(1);
  });

  it('ChurnPredictor: a rejected row does not poison the next call', async () => {
    const rows = readParity('churn')
      .rows.slice(0, 4)
      .map((row) => row.raw as Record<string, unknown>);
    const predictor = new ChurnPredictor();
    const before = await predictor.predict(rows);
    await expect(predictor.predict([{ ...rows[0], tenure: 'soon' }])).rejects.toBeInstanceOf(ValidationError);
    expect(await predictor.predict(rows)).toEqual(before);
    const concurrent = await Promise.all(rows.map((row) => predictor.predict([row])));
    expect(concurrent.map((predictions) => predictions[0])).toEqual(before);
  });

  it('FailurePredictor: concurrent calls without explanations match sequential ones', async () => {
    const histories = readParity('failure')
      .rows.slice(0, 8)
      .map((row) => (row.raw as { sensors: number[][] }).sensors);
    const predictor = new FailurePredictor();
    const sequential = [];
    for (const history of histories) sequential.push(await predictor.predict(history, { explain: false }));
    const concurrent = await Promise.all(histories.map((history) => predictor.predict(history, { explain: false })));
    expect(concurrent).toEqual(sequential);
    expect(sequential.every((prediction) => prediction.topFactors.length === 0)).toBe(true);
  });
});
