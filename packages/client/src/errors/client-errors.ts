import { DharmaClientError, type ClientErrorOptions } from './client-error.js';

/** The gateway could not be reached, the connection dropped, or it answered 5xx/429. Retryable. */
export class NetworkError extends DharmaClientError {
  /** HTTP status when there was a response; WebSocket close code for subscriptions. */
  readonly status: number | undefined;
  constructor(message: string, options: ClientErrorOptions & { status?: number } = {}) {
    super('NETWORK_ERROR', message, { isRetryable: true, ...options });
    this.name = 'NetworkError';
    this.status = options.status;
  }
}

/** The API key is missing or unknown (`UNAUTHENTICATED`), or its role may not do this (`FORBIDDEN`). */
export class AuthError extends DharmaClientError {
  constructor(code: 'UNAUTHENTICATED' | 'FORBIDDEN', message: string, options: ClientErrorOptions = {}) {
    super(code, message, options);
    this.name = 'AuthError';
  }
}

/** One error as the gateway reported it. */
export interface GatewayErrorDetail {
  message: string;
  code?: string;
  /** The input field at fault, e.g. `input.replicas` (validation errors). */
  field?: string;
  path?: readonly (string | number)[];
  extensions?: Record<string, unknown>;
}

/**
 * The gateway refused or failed the operation: invalid input (`VALIDATION_ERROR`, with `field`), unknown
 * resource (`NOT_FOUND`), query limits (`QUERY_TOO_DEEP`, `QUERY_TOO_COMPLEX`), or another GraphQL error.
 */
export class GraphQLRequestError extends DharmaClientError {
  /** Every error the gateway returned. */
  readonly errors: GatewayErrorDetail[];
  /** The field of the first validation error, when there is one. */
  readonly field: string | undefined;
  constructor(errors: GatewayErrorDetail[], options: ClientErrorOptions = {}) {
    const first = errors[0];
    super(first?.code ?? 'GRAPHQL_ERROR', first?.message ?? 'The gateway returned an error.', options);
    this.name = 'GraphQLRequestError';
    this.errors = errors;
    this.field = first?.field;
  }
}
