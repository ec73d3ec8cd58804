import { z } from 'zod';

/** Earliest accepted timestamp: 1970-01-01T00:00:00Z (epoch ms). */
export const MIN_TIMESTAMP = 0;
/** Latest accepted timestamp: 2200-01-01T00:00:00Z (epoch ms); later ones are taken for unit mistakes. */
export const MAX_TIMESTAMP = Date.UTC(2200, 0, 1);
/** Largest magnitude accepted for a measured value (metric samples, CLI inputs): 1e18. */
export const MAX_VALUE_MAGNITUDE = 1e18;

/** ISO-8601 date, optionally with a time and a zone (`2026-01-02`, `2026-01-02T03:04:05.250Z`, `...+02:00`). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const RANGE_MESSAGE = `must be between 1970-01-01 and 2200-01-01 (epoch ms ${MIN_TIMESTAMP} to ${MAX_TIMESTAMP})`;

/**
 * A point in time. Accepts epoch milliseconds or an ISO-8601 string; always parsed to epoch milliseconds.
 * Only 1970-01-01 to 2200-01-01 is accepted (a larger number is usually microseconds or nanoseconds), and a
 * string must be an ISO-8601 date (`"1"` is not read as a year).
 */
export const TimestampSchema = z
  .union(
    [
      z.number().finite(),
      z.string().refine((text) => ISO_DATE.test(text) && !Number.isNaN(Date.parse(text)), {
        message: 'expected an ISO-8601 date string such as 2026-01-02T03:04:05Z',
      }),
      z.date().refine((date) => !Number.isNaN(date.getTime()), { message: 'expected a valid Date' }),
    ],
    { error: 'expected epoch milliseconds, an ISO-8601 string or a Date' },
  )
  .transform((value) =>
    typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime(),
  )
  .refine((value) => value >= MIN_TIMESTAMP && value <= MAX_TIMESTAMP, { message: RANGE_MESSAGE });

/** A measured value: finite, with a magnitude of at most {@link MAX_VALUE_MAGNITUDE}. */
export const MeasuredValueSchema = z
  .number({ error: 'expected a finite number' })
  .finite()
  .min(-MAX_VALUE_MAGNITUDE, `must be at least -${MAX_VALUE_MAGNITUDE}`)
  .max(MAX_VALUE_MAGNITUDE, `must be at most ${MAX_VALUE_MAGNITUDE}`);

/**
 * Characters that render as nothing (or as a plain space) and so make look-alike ids: format characters
 * (zero-width space and joiners, soft hyphen, BOM, bidi controls), separators other than the ASCII space,
 * the combining grapheme joiner, Hangul fillers and variation selectors.
 */
const INVISIBLE =
  /[\p{Cf}\p{Zl}\p{Zp}\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\u034f\u115f\u1160\u3164\uffa0\ufe00-\ufe0f]/u;

/**
 * Identifier of a resource or series: 1–256 characters, no control or invisible characters, normalised to
 * Unicode NFC (so `cafe\u0301` and `café` are one id).
 */
export const IdSchema = z
  .string()
  .normalize('NFC')
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
  .refine(
    (text) => !INVISIBLE.test(text),
    'must not contain invisible characters (zero-width, format or non-ASCII space characters)',
  );

/** String labels attached to resources, samples and events (like Prometheus labels). */
export const LabelsSchema = z.record(z.string().max(128), z.string().max(1024));

/** A JSON-compatible scalar. */
export const ScalarSchema = z.union([z.string(), z.number().finite(), z.boolean(), z.null()]);

/** Free-form attributes of an event or log: JSON scalars only. */
export const AttributesSchema = z.record(z.string(), ScalarSchema);

/** Severity of a finding, from least to most urgent. */
export const SeveritySchema = z.enum(['info', 'low', 'medium', 'high', 'critical']);
export type Severity = z.infer<typeof SeveritySchema>;

/** Severity levels in increasing order, for comparisons. */
export const SEVERITY_ORDER: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Compares two severities: negative when `a` is less urgent than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_ORDER.indexOf(a) - SEVERITY_ORDER.indexOf(b);
}
