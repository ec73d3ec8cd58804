import { NotificationError } from './errors.js';

/** Retry settings of outgoing notifications. @internal */
export interface PostOptions {
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

/**
 * POSTs JSON, retrying network failures, 429 (honouring `Retry-After` up to 30 s) and 5xx with
 * exponential backoff; a 4xx other than 429 fails at once. Resolves the response text. @internal
 */
export async function postJson(url: string, body: unknown, options: PostOptions): Promise<string> {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const payload = JSON.stringify(body);
  for (let attempt = 0; ; attempt++) {
    let retryAfterMs: number | undefined;
    let failure: NotificationError;
    try {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const response = await fetchImpl(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: payload,
        signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      });
      const text = await response.text();
      if (response.ok) return text;
      failure = new NotificationError(`${url} answered ${response.status}: ${text.slice(0, 200)}`, {
        status: response.status,
        isRetryable: response.status === 429 || response.status >= 500,
      });
      const retryAfter = Number(response.headers.get('retry-after'));
      if (Number.isFinite(retryAfter) && retryAfter > 0) retryAfterMs = Math.min(30_000, retryAfter * 1000);
    } catch (error) {
      failure = new NotificationError(`cannot POST to ${url}: ${(error as Error).message}`, {
        cause: error,
        isRetryable: true,
      });
    }
    if (!failure.isRetryable || attempt >= options.retries || options.signal?.aborted) throw failure;
    const delay = retryAfterMs ?? Math.min(30_000, options.backoffMs * 2 ** attempt) * (0.5 + Math.random() / 2);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}
