const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/** Largest magnitude read as a number (as `MAX_VALUE_MAGNITUDE` in core): `1e999` (Infinity) and 1e308-scale cells are invalid. */
const MAX_MAGNITUDE = 1e18;

/**
 * Parses a raw cell as a number the way the training pipeline does (pandas `to_numeric` after strip):
 * numbers pass through, booleans are 1/0, decimal strings are parsed; returns `'blank'` for
 * null/undefined/empty/whitespace and `'invalid'` for anything else (including NaN, ±Infinity, `1e999` and
 * magnitudes beyond 1e18).
 */
export function parseNumber(value: unknown): number | 'blank' | 'invalid' {
  if (typeof value === 'number') return Math.abs(value) <= MAX_MAGNITUDE ? value : 'invalid';
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value === null || value === undefined) return 'blank';
  if (typeof value !== 'string') return 'invalid';
  const text = value.trim();
  if (text === '') return 'blank';
  if (!DECIMAL.test(text)) return 'invalid';
  const parsed = Number(text);
  return Math.abs(parsed) <= MAX_MAGNITUDE ? parsed : 'invalid';
}
