import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  decodeFloat64,
  decodeUint32,
  encodeFloat64,
  encodeUint32,
} from './float-codec.js';

describe('float codec', () => {
  it('round-trips doubles bit for bit, including awkward values', () => {
    const values = new Float64Array([
      0,
      -0,
      1 / 3,
      Math.PI,
      -1e-300,
      1.7976931348623157e308,
      Number.MIN_VALUE,
      123456789.123456789,
    ]);
    const decoded = decodeFloat64(encodeFloat64(values), values.length)!;
    expect(Array.from(decoded)).toEqual(Array.from(values));
    expect(Object.is(decoded[1], -0)).toBe(true);
  });

  it('round-trips uint32 words', () => {
    const words = new Uint32Array([0, 1, 0xffffffff, 0x80000000, 12345]);
    expect(Array.from(decodeUint32(encodeUint32(words), words.length)!)).toEqual(Array.from(words));
  });

  it('matches standard base64 for every padding length', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'hello world']) {
      const bytes = new TextEncoder().encode(text);
      const encoded = bytesToBase64(bytes);
      expect(encoded).toBe(btoa(text));
      expect(Array.from(base64ToBytes(encoded)!)).toEqual(Array.from(bytes));
    }
  });

  it('rejects invalid text and wrong lengths instead of misreading them', () => {
    expect(decodeFloat64('not base64!', 1)).toBeUndefined();
    expect(decodeFloat64(encodeFloat64(new Float64Array(2)), 3)).toBeUndefined();
    expect(decodeFloat64(42, 1)).toBeUndefined();
    expect(decodeUint32('A===', 1)).toBeUndefined();
  });
});
