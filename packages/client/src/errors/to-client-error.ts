import { DharmaClientError } from './client-error.js';
import { AuthError, GraphQLRequestError, NetworkError, type GatewayErrorDetail } from './client-errors.js';

/** One entry of a GraphQL response's `errors` as received (each field is checked before use). */
export interface RawGraphQLError {
  message?: unknown;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/** Turns the errors array of a GraphQL response into the matching typed client error. */
export function fromGraphQLErrors(
  rawErrors: readonly RawGraphQLError[],
  status?: number,
  cause?: unknown,
): DharmaClientError {
  const errors: GatewayErrorDetail[] = rawErrors.map((raw) => {
    const code = typeof raw.extensions?.code === 'string' ? raw.extensions.code : undefined;
    const field = typeof raw.extensions?.field === 'string' ? raw.extensions.field : undefined;
    return {
      message: typeof raw.message === 'string' ? raw.message : 'Unknown error',
      ...(code ? { code } : {}),
      ...(field ? { field } : {}),
      ...(raw.path ? { path: raw.path } : {}),
      ...(raw.extensions ? { extensions: raw.extensions } : {}),
    };
  });
  const first = errors[0];
  if (first?.code === 'UNAUTHENTICATED' || first?.code === 'FORBIDDEN')
    return new AuthError(first.code, first.message, { cause });
  if (status === 401) return new AuthError('UNAUTHENTICATED', first?.message ?? 'Unauthenticated', { cause });
  if (status === 403) return new AuthError('FORBIDDEN', first?.message ?? 'Forbidden', { cause });
  const retryable =
    status !== undefined && (status >= 500 || status === 429) && first?.code !== 'INTERNAL_SERVER_ERROR';
  return new GraphQLRequestError(errors, { cause, isRetryable: retryable || first?.code === 'TIMEOUT_ERROR' });
}

/** Maps anything graphql-request or fetch threw to a typed client error. */
export function toClientError(error: unknown): DharmaClientError {
  if (DharmaClientError.isInstance(error)) return error;
  const response = (error as { response?: { errors?: RawGraphQLError[]; status?: number } } | null)?.response;
  if (response && typeof response === 'object') {
    const status = typeof response.status === 'number' ? response.status : undefined;
    if (Array.isArray(response.errors) && response.errors.length > 0)
      return fromGraphQLErrors(response.errors, status, error);
    if (status === 401)
      return new AuthError('UNAUTHENTICATED', 'Unauthenticated: the gateway refused the API key.', { cause: error });
    if (status === 403) return new AuthError('FORBIDDEN', 'Forbidden.', { cause: error });
    if (status !== undefined && (status >= 500 || status === 429))
      return new NetworkError(`The gateway answered HTTP ${status}.`, { status, cause: error });
    return new DharmaClientError(
      'BAD_RESPONSE',
      `Unexpected response from the gateway${status ? ` (HTTP ${status})` : ''}.`,
      { cause: error },
    );
  }
  if ((error as { name?: string } | null)?.name === 'AbortError')
    return new DharmaClientError('ABORTED', 'The request was aborted.', { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new NetworkError(`Could not reach the gateway: ${message}`, { cause: error });
}

/** Maps a graphql-ws close event or error to a typed client error. */
export function fromSocketError(error: unknown): DharmaClientError {
  if (DharmaClientError.isInstance(error)) return error;
  if (Array.isArray(error)) return fromGraphQLErrors(error as RawGraphQLError[]);
  const code = (error as { code?: unknown } | null)?.code;
  const reason = (error as { reason?: unknown } | null)?.reason;
  if (typeof code === 'number') {
    const detail = typeof reason === 'string' && reason ? reason : `closed with code ${code}`;
    if (code === 4403 || code === 4401)
      return new AuthError('UNAUTHENTICATED', `Subscription refused: ${detail}`, { cause: error });
    if (code === 4400) return new GraphQLRequestError([{ message: detail, code: 'BAD_REQUEST' }], { cause: error });
    return new NetworkError(`Subscription connection closed: ${detail}`, { status: code, cause: error });
  }
  const message = error instanceof Error ? error.message : 'connection failed';
  return new NetworkError(`Subscription connection failed: ${message}`, { cause: error });
}
