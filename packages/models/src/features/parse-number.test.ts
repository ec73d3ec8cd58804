import { describe, expect, it } from 'vitest';
import { parseNumber } from './parse-number.js';

describe('parseNumber (model feature cells)', () => {
  it('reads numbers, booleans and decimal strings as pandas does', () => {
    expect(parseNumber(' 12.5 ')).toBe(12.5);
    expect(parseNumber('-3e2')).toBe(-300);
    expect(parseNumber(true)).toBe(1);
    expect(parseNumber('')).toBe('blank');
  });

  it.each(['1e999', '-1e999', '1e308', 1e300, Infinity, 'Infinity', 'NaN'])(
    'refuses %s (overflow or beyond ±1e18)',
    (value) => {
      expect(parseNumber(value)).toBe('invalid');
    },
  );
});
