import { describe, expect, it } from 'vitest';
import { InsufficientDataError, ValidationError } from '@iac-dharma/core';
import { parseModelCard } from '../card/parse-model-card.js';
import { WindowExtractor } from './window-extractor.js';

const card = (windowFeatures?: string[]) =>
  parseModelCard({
    cardVersion: 1,
    id: 'win',
    version: '1',
    task: 'regression',
    algorithm: 'test',
    file: 'model.onnx',
    sha256: '0'.repeat(64),
    bytes: 1,
    opset: 17,
    inputs: [{ name: 'input', dtype: 'float32', shape: windowFeatures ? [-1, 2 * windowFeatures.length] : [-1, 4, 2] }],
    outputs: [{ name: 'rul', dtype: 'float32', shape: [-1, 1] }],
    features: [
      { name: 'a', kind: 'numeric', normalization: { type: 'minmax', min: 0, max: 10 } },
      { name: 'b', kind: 'numeric', normalization: { type: 'zscore', mean: 5, std: 2 } },
    ],
    encodedWidth: windowFeatures ? 2 * windowFeatures.length : 2,
    window: { length: 4, step: 1, padding: 'repeat-first' },
    ...(windowFeatures ? { windowFeatures } : {}),
  });

describe('WindowExtractor', () => {
  it('keeps the last rows, normalises and lays out [length, sensors]', () => {
    const extractor = new WindowExtractor(card());
    const encoded = extractor.encode([
      [100, 100],
      [0, 5],
      [5, 7],
      [10, 9],
      [2, 3],
    ]);
    expect([...encoded]).toEqual([0, 0, 0.5, 1, 1, 2, 0.2, -1].map(Math.fround));
  });

  it('pads short histories at the front by repeating the oldest row', () => {
    const extractor = new WindowExtractor(card());
    expect([
      ...extractor.encode([
        [5, 5],
        [10, 7],
      ]),
    ]).toEqual([0.5, 0, 0.5, 0, 0.5, 0, 1, 1]);
  });

  it('computes stat-major window statistics (last, mean, slope, min, max)', () => {
    const extractor = new WindowExtractor(card(['last', 'mean', 'slope', 'min', 'max']));
    // a: 0, 2, 4, 6 → normalised 0, .2, .4, .6 ; b: 5, 5, 5, 9 → 0, 0, 0, 2
    const encoded = [
      ...extractor.encode([
        [0, 5],
        [2, 5],
        [4, 5],
        [6, 9],
      ]),
    ];
    const expected = [0.6, 2, 0.3, 0.5, 0.2, 0.6, 0, 0, 0.6, 2];
    encoded.forEach((value, index) => expect(value).toBeCloseTo(expected[index]!, 6));
  });

  it('encodeInto reuses its scratch window without leaking rows between calls (zeros padding, statistics)', () => {
    const zerosCard = {
      ...card(['last', 'mean', 'slope', 'min', 'max', 'first', 'std']),
      window: { length: 4, step: 1, padding: 'zeros' as const },
    };
    const extractor = new WindowExtractor(zerosCard);
    const full = [
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ];
    const short = [[9, 1]];
    const viaWindow = (history: number[][]) => {
      const target = new Float32Array(extractor.width);
      extractor.encodeWindowInto(extractor.normalizedWindow(history), target);
      return [...target];
    };
    expect([...extractor.encode(full)]).toEqual(viaWindow(full));
    // After a full history, a short one must see zero padding, not the previous rows.
    expect([...extractor.encode(short)]).toEqual(viaWindow(short));
    expect([...extractor.normalizedWindow(short)]).toEqual([0, 0, 0, 0, 0, 0, 0.9, -2]);
  });

  it('rejects empty histories, wrong widths and non-finite values', () => {
    const extractor = new WindowExtractor(card());
    expect(() => extractor.encode([])).toThrow(InsufficientDataError);
    expect(() => extractor.encode([[1, 2, 3]])).toThrow(ValidationError);
    expect(() => extractor.encode([[1, Number.NaN]])).toThrow(/b at row 0/);
  });
});
