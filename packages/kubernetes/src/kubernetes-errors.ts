import { DharmaError, type DharmaErrorOptions } from '@iac-dharma/core/kernel';

/** What the API server said about a failed request (its `Status` object, when it sent one). */
export interface KubernetesErrorDetails {
  /** HTTP status, or 0 when no answer came (network error, timeout). */
  status: number;
  /** The `reason` of the server's Status (`Forbidden`, `Conflict`, `NotFound`, `Invalid`, ...). */
  reason?: string;
  /** HTTP method and path of the request. */
  method: string;
  path: string;
}

/**
 * Base class of the errors this package throws for API server answers. `code` is stable
 * (`KUBERNETES_FORBIDDEN`, ...); `status`, `reason`, `method` and `path` say what failed.
 * Only throttling (429), server errors (5xx) and lost connections are `isRetryable`.
 */
export class KubernetesError extends DharmaError {
  readonly status: number;
  readonly reason: string | undefined;
  readonly method: string;
  readonly path: string;

  constructor(code: string, message: string, details: KubernetesErrorDetails, options?: DharmaErrorOptions) {
    super(code, message, options);
    this.name = 'KubernetesError';
    this.status = details.status;
    this.reason = details.reason;
    this.method = details.method;
    this.path = details.path;
  }
}

/** 401: the credentials of the kubeconfig were not accepted. */
export class KubernetesUnauthorizedError extends KubernetesError {
  constructor(message: string, details: KubernetesErrorDetails, options?: DharmaErrorOptions) {
    super('KUBERNETES_UNAUTHORIZED', message, details, options);
    this.name = 'KubernetesUnauthorizedError';
  }
}

/** 403: RBAC (or an allow-list of this package) does not let the user do this. */
export class KubernetesForbiddenError extends KubernetesError {
  constructor(message: string, details: KubernetesErrorDetails, options?: DharmaErrorOptions) {
    super('KUBERNETES_FORBIDDEN', message, details, options);
    this.name = 'KubernetesForbiddenError';
  }
}

/** 404: the namespace or object does not exist. */
export class KubernetesNotFoundError extends KubernetesError {
  constructor(message: string, details: KubernetesErrorDetails, options?: DharmaErrorOptions) {
    super('KUBERNETES_NOT_FOUND', message, details, options);
    this.name = 'KubernetesNotFoundError';
  }
}

/** 409: the object changed since it was read (resourceVersion precondition) or already exists. Never retried blindly. */
export class KubernetesConflictError extends KubernetesError {
  constructor(message: string, details: KubernetesErrorDetails, options?: DharmaErrorOptions) {
    super('KUBERNETES_CONFLICT', message, details, options);
    this.name = 'KubernetesConflictError';
  }
}

/** 422 (or 400): the API server rejected the object as invalid. */
export class KubernetesInvalidError extends KubernetesError {
  constructor(message: string, details: KubernetesErrorDetails, options?: DharmaErrorOptions) {
    super('KUBERNETES_INVALID', message, details, options);
    this.name = 'KubernetesInvalidError';
  }
}

/** 429: the API server throttled the request (or an eviction would violate a PodDisruptionBudget). Retryable. */
export class KubernetesThrottledError extends KubernetesError {
  constructor(message: string, details: KubernetesErrorDetails, options?: DharmaErrorOptions) {
    super('KUBERNETES_THROTTLED', message, details, { isRetryable: true, ...options });
    this.name = 'KubernetesThrottledError';
  }
}

/** 5xx or no answer at all: the API server failed, restarted or could not be reached. Retryable. */
export class KubernetesUnavailableError extends KubernetesError {
  constructor(message: string, details: KubernetesErrorDetails, options?: DharmaErrorOptions) {
    super('KUBERNETES_UNAVAILABLE', message, details, { isRetryable: true, ...options });
    this.name = 'KubernetesUnavailableError';
  }
}

/** A guard of this package refused the action (namespace or label allow-list, PodDisruptionBudget). */
export class KubernetesGuardError extends KubernetesError {
  /** Which guard refused: `namespace`, `labels` or `disruption-budget`. */
  readonly guard: 'namespace' | 'labels' | 'disruption-budget';

  constructor(guard: KubernetesGuardError['guard'], message: string, details: Omit<KubernetesErrorDetails, 'status'>) {
    super('KUBERNETES_GUARD', message, { ...details, status: 0 });
    this.name = 'KubernetesGuardError';
    this.guard = guard;
  }
}

/** Builds the typed error for an HTTP answer of the API server. */
export function kubernetesErrorFor(
  status: number,
  body: unknown,
  details: Omit<KubernetesErrorDetails, 'status' | 'reason'>,
  cause?: unknown,
): KubernetesError {
  const statusObject =
    typeof body === 'object' && body !== null ? (body as { message?: unknown; reason?: unknown }) : {};
  const reason = typeof statusObject.reason === 'string' ? statusObject.reason : undefined;
  const serverMessage =
    typeof statusObject.message === 'string'
      ? statusObject.message
      : typeof body === 'string'
        ? body.slice(0, 500)
        : '';
  const full: KubernetesErrorDetails = { ...details, status, ...(reason ? { reason } : {}) };
  const where = `${details.method} ${details.path}`;
  const options = cause === undefined ? undefined : { cause };
  if (status === 0)
    return new KubernetesUnavailableError(
      `The API server could not be reached for ${where}: ${serverMessage || 'no answer'}. Check the kubeconfig's server and that the API server runs.`,
      full,
      options,
    );
  if (status === 401)
    return new KubernetesUnauthorizedError(
      `The API server rejected the credentials for ${where} (401): check the kubeconfig's user token or certificate.`,
      full,
      options,
    );
  if (status === 403)
    return new KubernetesForbiddenError(
      `Forbidden (403) ${where}: ${serverMessage} Grant the permission in the RBAC role bound to this user (see rbac/remediator-rbac.yaml).`,
      full,
      options,
    );
  if (status === 404) return new KubernetesNotFoundError(`Not found (404) ${where}: ${serverMessage}`, full, options);
  if (status === 409)
    return new KubernetesConflictError(
      `Conflict (409) ${where}: ${serverMessage} The object changed concurrently; read it again before retrying.`,
      full,
      options,
    );
  if (status === 400 || status === 422)
    return new KubernetesInvalidError(`Invalid (${status}) ${where}: ${serverMessage}`, full, options);
  if (status === 429)
    return new KubernetesThrottledError(`Too many requests (429) ${where}: ${serverMessage}`, full, options);
  if (status >= 500)
    return new KubernetesUnavailableError(
      `The API server failed (${status}) ${where}: ${serverMessage}`,
      full,
      options,
    );
  return new KubernetesError(
    'KUBERNETES_ERROR',
    `Unexpected answer ${status} to ${where}: ${serverMessage}`,
    full,
    options,
  );
}
