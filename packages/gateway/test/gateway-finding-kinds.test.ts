import { FindingSchema, type Finding, type FindingInput } from '@iac-dharma/core';
import type { FindingKind } from '@iac-dharma/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PredictionProvider } from '../src/index.js';
import { startTestGateway, type TestGateway } from './start-test-gateway.js';

const base = {
  resource: 'checkout',
  analyzer: 'test',
  severity: 'high',
  score: 0.8,
  summary: 'found',
  timestamp: 1_700_000_000_000,
} as const;

/** One finding of every kind core knows, as a provider could answer `requestPrediction` with it. */
const FINDINGS: Record<Finding['kind'], FindingInput> = {
  anomaly: { ...base, id: 'f-anomaly', kind: 'anomaly', value: 9, expected: 1 },
  prediction: {
    ...base,
    id: 'f-prediction',
    kind: 'prediction',
    probability: 0.7,
    horizon: 30,
    topFactors: [{ feature: 'errors', weight: 0.5 }],
  },
  threat: { ...base, id: 'f-threat', kind: 'threat', isThreat: true, category: 'dos', probability: 0.9 },
  forecast: { ...base, id: 'f-forecast', kind: 'forecast', threshold: 100, level: 0.95, horizon: 24, method: 'ets' },
  insight: { ...base, id: 'f-insight', kind: 'insight', topic: 'cost' },
  'root-cause': {
    ...base,
    id: 'f-root-cause',
    kind: 'root-cause',
    resource: 'postgres',
    symptomFindingId: 'f-anomaly',
    symptomResource: 'checkout',
    path: ['postgres', 'checkout'],
    candidates: [{ node: 'postgres', score: 0.9, explanation: 'latency rose first' }],
    method: 'random-walk',
  },
};

/** The GraphQL enum name of each core kind (GraphQL enum values cannot contain '-'). */
const GRAPHQL_KIND: Record<Finding['kind'], FindingKind> = {
  anomaly: 'anomaly',
  prediction: 'prediction',
  threat: 'threat',
  forecast: 'forecast',
  insight: 'insight',
  'root-cause': 'root_cause',
};

/** Answers with the finding whose kind is the requested metric's name. */
const byKind: PredictionProvider = {
  name: 'by-kind',
  async predict(request) {
    const kind = request.metrics[0] as Finding['kind'];
    return { finding: FindingSchema.parse(FINDINGS[kind]) };
  },
};

describe('every finding kind through GraphQL', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway({ predictionProvider: byKind });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('answers requestPrediction with a root-cause finding (kind root_cause, its method)', async () => {
    const prediction = await harness.client.requestPrediction({ resourceId: 'checkout', metric: 'root-cause' });
    expect(prediction).toMatchObject({
      id: 'f-root-cause',
      kind: 'root_cause',
      resourceId: 'postgres',
      method: 'random-walk',
      probability: null,
      topFactors: [],
    });
  });

  it.each(Object.keys(FINDINGS) as Finding['kind'][])('answers with a %s finding', async (kind) => {
    const prediction = await harness.client.requestPrediction({ resourceId: 'checkout', metric: kind });
    expect(prediction.kind).toBe(GRAPHQL_KIND[kind]);
    expect(prediction.id).toBe(`f-${kind}`);
  });
});
