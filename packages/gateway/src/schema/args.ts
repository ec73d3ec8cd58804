import { IdSchema, ValidationError } from '@iac-dharma/core';
import { z } from 'zod';
import type { GatewayContext } from '../gateway-context.js';

/**
 * Parses GraphQL input with a zod schema. On failure throws core's `ValidationError` whose message and
 * `field` name the full argument path (e.g. `input.deployments.0.replicas`).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, context: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const wrapped = ValidationError.fromZod(result.error, context);
  const issues = wrapped.issues.map((issue) => ({
    ...issue,
    path: issue.path === '' ? context : `${context}.${issue.path}`,
  }));
  throw new ValidationError(wrapped.message, issues, { zodError: result.error });
}

/** Validates an optional id argument with core's `IdSchema`, naming the argument on failure. */
export function optionalId(value: string | null | undefined, name: string): string | undefined {
  return value === null || value === undefined ? undefined : parseInput(IdSchema, value, name);
}

/** Validates a required id argument. */
export function requiredId(value: string, name: string): string {
  return parseInput(IdSchema, value, name);
}

/**
 * Validates a `limit` argument: an integer from 1 to `max` (0 and negative limits are refused, never read
 * as "everything"). The schema default (`fallback`) is clamped to `max` rather than refused, so a gateway
 * configured with a small `maxListSize` still answers plain queries.
 */
export function listLimit(value: number | null | undefined, max: number, fallback = 100): number {
  if (value === null || value === undefined || value === fallback) return Math.min(fallback, max);
  return parseInput(
    z.number().int('must be an integer').min(1, 'must be at least 1').max(max, `must be at most ${max}`),
    value,
    'limit',
  );
}

/**
 * Counts the items a list field returns against the request's item budget
 * (`GatewayOptions.maxItemsPerRequest`): past it, the request fails with a typed error naming the field,
 * so many aliases or nested lists cannot add up to an unbounded answer.
 */
export function charge<T>(context: GatewayContext, field: string, items: T[]): T[] {
  const budget = context.budget;
  if (!budget) return items;
  budget.used += items.length;
  if (budget.used > budget.max) {
    throw new ValidationError(
      `Invalid ${field}: this request would return more than ${budget.max} list items in total; ask for fewer aliases or lower limits.`,
      [{ path: field, message: `more than ${budget.max} list items in one request`, code: 'too_big' }],
    );
  }
  return items;
}

/** A `ValidationError` about one field. */
export function fieldError(path: string, message: string): ValidationError {
  return new ValidationError(`Invalid ${path}: ${message}`, [{ path, message, code: 'custom' }]);
}
