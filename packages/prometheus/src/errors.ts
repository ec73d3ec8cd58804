import { DharmaError, type DharmaErrorOptions } from '@iac-dharma/core/kernel';

/** Why a push body (remote-write or OTLP) was refused. */
export type PushErrorReason =
  'content-type' | 'content-encoding' | 'too-large' | 'snappy' | 'protobuf' | 'json' | 'method';

/**
 * A remote-write or OTLP request could not be accepted. `status` is the HTTP status the receivers answer
 * with (415 wrong content type or encoding, 413 too large, 400 malformed); `reason` says which check failed.
 */
export class PushRequestError extends DharmaError {
  /** Which check failed. */
  readonly reason: PushErrorReason;
  /** The HTTP status code to answer with. */
  readonly status: number;

  constructor(reason: PushErrorReason, status: number, message: string, options?: DharmaErrorOptions) {
    super('PUSH_REQUEST_ERROR', message, options);
    this.name = 'PushRequestError';
    this.reason = reason;
    this.status = status;
  }
}

/** What went wrong talking to the Prometheus HTTP API. */
export type PrometheusErrorKind = 'unreachable' | 'timeout' | 'server' | 'bad-query' | 'bad-response';

/**
 * The Prometheus (or Thanos, Mimir, VictoriaMetrics) HTTP API failed. `kind` is `bad-query` for PromQL
 * errors (HTTP 400/422, `errorType` `bad_data`/`execution`: not retryable), `unreachable`, `timeout` and
 * `server` (5xx) are retryable, `bad-response` when the body is not the documented JSON shape.
 */
export class PrometheusApiError extends DharmaError {
  readonly kind: PrometheusErrorKind;
  /** HTTP status when the server answered. */
  readonly status: number | undefined;
  /** The API's `errorType` when it sent one, e.g. `bad_data`. */
  readonly errorType: string | undefined;

  constructor(
    kind: PrometheusErrorKind,
    message: string,
    options: DharmaErrorOptions & { status?: number; errorType?: string } = {},
  ) {
    super('PROMETHEUS_API_ERROR', message, {
      isRetryable: kind === 'unreachable' || kind === 'timeout' || kind === 'server',
      ...options,
    });
    this.name = 'PrometheusApiError';
    this.kind = kind;
    this.status = options.status;
    this.errorType = options.errorType;
  }
}

/** A notification (Alertmanager, Slack, PagerDuty) could not be delivered after its retries. */
export class NotificationError extends DharmaError {
  /** HTTP status when the receiver answered. */
  readonly status: number | undefined;

  constructor(message: string, options: DharmaErrorOptions & { status?: number } = {}) {
    super('NOTIFICATION_ERROR', message, options);
    this.name = 'NotificationError';
    this.status = options.status;
  }
}
