import { z } from 'zod';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_536_000_000,
};
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)/gy;

/**
 * Parses a Prometheus-style duration (`15s`, `6h`, `1h30m`, `500ms`) or a plain number of milliseconds.
 * Returns NaN when the text is not a duration.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return value;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let match = PART.exec(text); match; match = PART.exec(text)) {
    total += Number(match[1]) * UNITS[match[2]!]!;
    consumed = PART.lastIndex;
  }
  return consumed === text.length && consumed > 0 ? total : Number.NaN;
}

/** A positive duration: `15s`, `6h`, `1h30m` or milliseconds; parsed to milliseconds. */
export const DurationSchema = z.union([z.number(), z.string()]).transform((value, context) => {
  const parsed = parseDuration(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    context.addIssue({
      code: 'custom',
      message: `expected a positive duration such as "15s", "6h" or "1h30m" (or milliseconds), got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return parsed;
});

/** Formats milliseconds for PromQL (`15s`, `1500ms`). @internal */
export function formatPromDuration(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}
