import { z } from 'zod';
import { InsufficientDataError } from '../errors/errors.js';
import { ValidationError, parseWith } from '../errors/validation-error.js';

/** Fewest observed values `forecastSeries` accepts. */
export const MINIMUM_HISTORY = 3;

const ValuesSchema = z.array(z.number({ error: 'expected a finite number or null (a gap)' }).finite().nullable());

/**
 * Validates and repairs a history: `null` entries are gaps. Leading gaps are dropped, interior gaps are
 * filled by linear interpolation, trailing gaps carry the last value forward (each noted). Throws
 * {@link ValidationError} for non-numbers and for negatives when `nonNegative`, and
 * {@link InsufficientDataError} when fewer than {@link MINIMUM_HISTORY} values are observed.
 */
export function prepareSeries(
  input: unknown,
  options: { nonNegative: boolean },
): { values: number[]; notes: string[] } {
  const raw = parseWith(ValuesSchema, input, 'values');
  const notes: string[] = [];
  const first = raw.findIndex((value) => value !== null);
  const observed = raw.filter((value) => value !== null).length;
  if (observed < MINIMUM_HISTORY) {
    throw new InsufficientDataError(
      `values: need at least ${MINIMUM_HISTORY} observed values to forecast, got ${observed}.`,
    );
  }
  if (options.nonNegative) {
    const negative = raw.findIndex((value) => value !== null && value < 0);
    if (negative >= 0) {
      throw new ValidationError(
        `Invalid values.${negative}: ${raw[negative]} is negative, but the metric is declared nonNegative (values must be ≥ 0).`,
        [{ path: `values.${negative}`, message: 'must be ≥ 0 for a nonNegative metric', code: 'too_small' }],
      );
    }
  }
  const values: number[] = [];
  let gaps = 0;
  let trailing = 0;
  for (let index = first; index < raw.length; index++) {
    const value = raw[index];
    if (value !== null && value !== undefined) {
      values.push(value);
      continue;
    }
    const nextIndex = raw.findIndex((candidate, position) => position > index && candidate !== null);
    const previous = values[values.length - 1]!;
    if (nextIndex < 0) {
      values.push(previous);
      trailing++;
    } else {
      const next = raw[nextIndex]!;
      const span = nextIndex - index + 1;
      values.push(previous + (next - previous) / span);
      gaps++;
    }
  }
  if (first > 0) notes.push(`dropped ${first} leading missing values`);
  if (gaps > 0) notes.push(`interpolated ${gaps} missing values`);
  if (trailing > 0) notes.push(`carried the last value over ${trailing} trailing missing values`);
  return { values, notes };
}
