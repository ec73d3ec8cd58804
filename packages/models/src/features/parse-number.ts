const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * Parses a raw cell as a number the way the training pipeline does (pandas `to_numeric` after strip):
 * numbers pass through, booleans are 1/0, decimal strings are parsed; returns `'blank'` for
 * null/undefined/empty/whitespace and `'invalid'` for anything else (including NaN and ±Infinity).
 */
export function parseNumber(value: unknown): number | 'blank' | 'invalid' {
  if (typeof value === 'number') return Number.isFinite(value) ? value : 'invalid';
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null || value === undefined) return 'blank';
  if (typeof value !== 'string') return 'invalid';
  const text = value.trim();
  if (text === '') return 'blank';
  return DECIMAL.test(text) ? Number(text) : 'invalid';
}
