import { describe, expect, it } from 'vitest';
import { ValidationError } from '@iac-dharma/core';
import { parseModelCard } from './parse-model-card.js';

const validCard = () => ({
  cardVersion: 1,
  id: 'toy',
  version: '1.0.0',
  task: 'binary-classification',
  algorithm: 'xgboost',
  file: 'model.onnx',
  sha256: 'a'.repeat(64),
  bytes: 10,
  opset: 17,
  inputs: [{ name: 'input', dtype: 'float32', shape: [-1, 4] }],
  outputs: [{ name: 'probabilities', dtype: 'float32', shape: [-1, 2] }],
  features: [
    { name: 'tenure', kind: 'numeric', normalization: { type: 'zscore', mean: 30, std: 10 } },
    { name: 'contract', kind: 'categorical', categories: ['month', 'year', 'two-year'] },
  ],
  encodedWidth: 4,
  labels: ['No', 'Yes'],
  extra: { kept: true },
});

function errorOf(card: unknown): ValidationError {
  try {
    parseModelCard(card);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('ModelCardSchema', () => {
  it('accepts a valid card, applies defaults and keeps unknown fields', () => {
    const card = parseModelCard(validCard());
    expect(card.features[0]).toMatchObject({ kind: 'numeric', normalization: { type: 'zscore' } });
    expect(card.postprocess).toEqual({});
    expect((card as Record<string, unknown>)['extra']).toEqual({ kept: true });
  });

  it('names the field of a bad sha256', () => {
    const error = errorOf({ ...validCard(), sha256: 'XYZ' });
    expect(error.field).toBe('sha256');
    expect(error.message).toContain('sha256');
    expect(error.message).toContain('64 lower-case hex');
  });

  it('names the nested field of a bad normalisation', () => {
    const card = validCard();
    card.features[0] = { name: 'tenure', kind: 'numeric', normalization: { type: 'minmax' } as never };
    expect(errorOf(card).field).toMatch(/^features\.0\.normalization/);
  });

  it('checks encodedWidth against the features', () => {
    const error = errorOf({ ...validCard(), encodedWidth: 5 });
    expect(error.field).toBe('encodedWidth');
    expect(error.message).toContain('features give 4 columns');
  });

  it('checks the input shape against encodedWidth', () => {
    expect(errorOf({ ...validCard(), inputs: [{ name: 'input', dtype: 'float32', shape: [-1, 7] }] }).field).toBe(
      'inputs.0.shape',
    );
  });

  it('requires labels for classifiers and rejects path escapes', () => {
    const { labels: _labels, ...unlabelled } = validCard();
    expect(errorOf(unlabelled).field).toBe('labels');
    expect(errorOf({ ...validCard(), file: '../secret.onnx' }).field).toBe('file');
  });

  it('accepts window models whose width is sensors × statistics', () => {
    const card = parseModelCard({
      ...validCard(),
      task: 'regression',
      features: [
        { name: 'sensor_2', kind: 'numeric', normalization: { type: 'minmax', min: 0, max: 1 } },
        { name: 'sensor_3', kind: 'numeric', normalization: { type: 'minmax', min: 0, max: 1 } },
      ],
      inputs: [{ name: 'input', dtype: 'float32', shape: [-1, 10] }],
      encodedWidth: 10,
      window: { length: 30, step: 1, padding: 'repeat-first' },
      windowFeatures: ['last', 'mean', 'slope', 'min', 'max'],
    });
    expect(card.window?.length).toBe(30);
  });
});
