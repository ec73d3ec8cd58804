import { describe, expect, it } from 'vitest';
import { ValidationError } from '@iac-dharma/core';
import { createExtractionNotes, TabularExtractor } from './tabular-extractor.js';

const extractor = new TabularExtractor([
  { name: 'tenure', kind: 'numeric', normalization: { type: 'zscore', mean: 30, std: 10 } },
  { name: 'load', kind: 'numeric', normalization: { type: 'minmax', min: 10, max: 20 } },
  {
    name: 'TotalCharges',
    kind: 'numeric',
    normalization: { type: 'none' },
    missing: { when: 'blank-or-unparseable', value: 0 },
  },
  { name: 'contract', kind: 'categorical', categories: ['month', 'year'] },
]);

describe('TabularExtractor', () => {
  it('normalises numerics and one-hot encodes categoricals in card order', () => {
    expect(extractor.columnNames).toEqual(['tenure', 'load', 'TotalCharges', 'contract=month', 'contract=year']);
    expect([...extractor.encode({ tenure: '45', load: 12.5, TotalCharges: ' 18.8 ', contract: 'year' })]).toEqual([
      1.5,
      0.25,
      Math.fround(18.8),
      0,
      1,
    ]);
  });

  it('imputes blanks per the card and encodes unknown categories as zeros, counting both', () => {
    const notes = createExtractionNotes();
    const row = extractor.encode({ tenure: 0, load: 10, TotalCharges: ' ', contract: 'weekly' }, notes);
    expect([...row]).toEqual([-3, 0, 0, 0, 0]);
    expect(notes.imputed.get('TotalCharges')).toBe(1);
    expect(notes.unknownCategories.get('contract')).toBe(1);
  });

  it('rejects an unparseable numeric without a rule, naming the field', () => {
    const error = (() => {
      try {
        extractor.encode({ tenure: 'abc', load: 1, TotalCharges: 1, contract: 'month' });
      } catch (caught) {
        return caught;
      }
    })() as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('tenure');
    expect(error.message).toContain('"abc"');
  });

  it('encodes a batch row-major', () => {
    const batch = extractor.encodeBatch([
      { tenure: 30, load: 20, TotalCharges: 5, contract: 'month' },
      { tenure: 40, load: 15, TotalCharges: 6, contract: 'year' },
    ]);
    expect([...batch]).toEqual([0, 1, 5, 1, 0, 1, 0.5, 6, 0, 1]);
  });
});
