import { z } from 'zod';

/**
 * A point in time. Accepts epoch milliseconds or an ISO-8601 string; always parsed to epoch milliseconds.
 */
export const TimestampSchema = z
  .union([
    z.number().finite().nonnegative(),
    z.string().refine((text) => !Number.isNaN(Date.parse(text)), { message: 'expected an ISO-8601 date string' }),
    z.date().refine((date) => !Number.isNaN(date.getTime()), { message: 'expected a valid Date' }),
  ], { error: 'expected epoch milliseconds, an ISO-8601 string or a Date' })
  .transform((value) => (typeof value === 'number' ? value : typeof value === 'string' ? Date.parse(value) : value.getTime()));

/** Identifier of a resource or series: 1–256 characters, no control characters. */
export const IdSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .regex(/^[^\u0000-\u001f]+$/, 'must not contain control characters');

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
