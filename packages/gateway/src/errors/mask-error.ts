import { DharmaError, ValidationError, type Logger } from '@iac-dharma/core';
import { GraphQLError } from 'graphql/index.js';

/** Error codes whose messages are safe and useful to show callers, with their HTTP status. */
const EXPOSED: Record<string, number> = {
  VALIDATION_ERROR: 400,
  NOT_FOUND: 404,
  INSUFFICIENT_DATA: 422,
  STATE_ERROR: 409,
  REMEDIATION_ERROR: 422,
  TIMEOUT_ERROR: 504,
  SLOW_SUBSCRIBER: 429,
};

/**
 * Turns resolver errors into what callers see. The SDK's own typed errors keep their message and `code`
 * (validation errors add `field` and `issues`), GraphQL errors raised on purpose pass through, and
 * anything else becomes "Unexpected error." with code `INTERNAL_SERVER_ERROR` (logged, not leaked).
 */
export function createErrorMasker(logger: Logger) {
  return (error: unknown, message: string): Error => {
    const graphqlError = error instanceof GraphQLError ? error : undefined;
    const original = graphqlError ? graphqlError.originalError : error;
    // GraphQL's own errors (syntax, validation, variable coercion) and GraphQLErrors raised on purpose: the
    // outer error's message has the context (e.g. 'Variable "$input" got invalid value ... at "input.replicas"').
    if (graphqlError && (original === undefined || original === null || original instanceof GraphQLError))
      return withoutOriginalError(graphqlError);
    const location = { nodes: graphqlError?.nodes, path: graphqlError?.path };
    const code = DharmaError.isInstance(original) ? original.code : (original as { code?: unknown } | undefined)?.code;
    if (typeof code === 'string' && code in EXPOSED) {
      const extensions: Record<string, unknown> = { code, http: { status: EXPOSED[code] } };
      if (
        original instanceof ValidationError ||
        (DharmaError.isInstance(original) && original.code === 'VALIDATION_ERROR')
      ) {
        const validation = original as ValidationError;
        extensions.field = validation.field;
        extensions.issues = validation.issues.map((issue) => ({ path: issue.path, message: issue.message }));
      }
      return new GraphQLError((original as Error).message, { ...location, extensions });
    }
    logger.error('unexpected error in a GraphQL resolver', {
      error: String(original),
      stack: (original as Error | undefined)?.stack,
      path: graphqlError?.path?.join('.'),
    });
    return new GraphQLError(message, { ...location, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };
}

/**
 * graphql-yoga attaches the parser's own error as `extensions.originalError` (e.g. on a malformed JSON
 * body, whose message quotes the body): callers get the error without it.
 */
function withoutOriginalError(error: GraphQLError): GraphQLError {
  // Removed in place: yoga decides the HTTP status from this very error object.
  const extensions = error.extensions as Record<string, unknown> | undefined;
  if (extensions && 'originalError' in extensions) {
    delete extensions.originalError;
    // A request yoga could not parse stays a 400 (yoga's `spec` flag would make it a 200 for application/json).
    if (extensions.code === 'BAD_REQUEST') extensions.http = { status: 400 };
  }
  return error;
}
