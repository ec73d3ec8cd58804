import type { z } from 'zod';
import { DharmaError, brandErrorClass } from './dharma-error.js';

/** One problem found while validating input. */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `value` or `records.3.timestamp`. */
  path: string;
  /** What is wrong and what is allowed. */
  message: string;
  /** zod issue code, e.g. `invalid_type`. */
  code: string;
}

/** Thrown when input fails validation. Keeps the zod issues and names the first offending field. */
export class ValidationError extends DharmaError {
  /** Every problem found, in order. */
  readonly issues: ValidationIssue[];
  /** Dotted path of the first offending field (`''` when the whole value is wrong). */
  readonly field: string;
  /** The raw zod error, when the failure came from zod. */
  readonly zodError: z.ZodError | undefined;

  constructor(message: string, issues: ValidationIssue[], options: { cause?: unknown; zodError?: z.ZodError } = {}) {
    super('VALIDATION_ERROR', message, { cause: options.cause });
    this.name = 'ValidationError';
    this.issues = issues;
    this.field = issues[0]?.path ?? '';
    this.zodError = options.zodError;
  }

  static {
    brandErrorClass(this, 'ValidationError');
  }

  /** Wraps a zod error, prefixing each path with `context` (e.g. `sample`) so the message names the field. */
  static fromZod(error: z.ZodError, context: string): ValidationError {
    const issues: ValidationIssue[] = error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
      code: issue.code,
    }));
    const described = issues
      .slice(0, 5)
      .map((issue) => `${issue.path === '' ? context : `${context}.${issue.path}`}: ${issue.message}`)
      .join('; ');
    const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
    return new ValidationError(`Invalid ${context}: ${described}${more}`, issues, { zodError: error });
  }
}

/** Parses `value` with `schema`, throwing a {@link ValidationError} that names `context` and the field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, context: string): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ValidationError.fromZod(result.error, context);
  return result.data;
}
