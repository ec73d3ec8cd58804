import { z } from 'zod';
import { RemediationError, TimeoutError } from '../errors/errors.js';
import { parseWith } from '../errors/validation-error.js';
import { RiskLevelSchema } from '../schemas/remediation.js';
import { parseRetryAfter, retry } from '../util/retry.js';
import {
  defineRemediationAction,
  type RemediationActionDefinition,
  type RemediationContext,
  type RemediationPlugin,
} from '../spec/remediation-plugin.js';

/** One webhook the plugin may call: it becomes the action `webhook.<name>`. */
export const WebhookEndpointSchema = z.object({
  /** http(s) URL called. */
  url: z.url({ protocol: /^https?$/ }),
  /** @default 'POST' */
  method: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  /** Extra request headers (e.g. an authorisation token). */
  headers: z.record(z.string(), z.string()).default({}),
  /** One line for humans and the audit log. @default 'Call <url>' */
  description: z.string().optional(),
  /** @default 'medium' */
  risk: RiskLevelSchema.default('medium'),
  /** Retries after a network error, a timeout, a 429 or a 5xx answer. @default 2 */
  retries: z.number().int().min(0).max(10).default(2),
  /** Per-request timeout, in ms. @default 5000 */
  timeoutMs: z.number().int().positive().default(5_000),
  /** Ceiling of the first retry delay, doubled each retry (full jitter, on the remediator's clock), in ms. @default 500 */
  backoffMs: z.number().int().min(0).default(500),
  /** Longest wait a `Retry-After` header (on a 429 or 5xx) is honoured for, in ms. @default 10000 */
  maxRetryAfterMs: z.number().int().min(0).default(10_000),
});
export type WebhookEndpointInput = z.input<typeof WebhookEndpointSchema>;

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** Options of {@link createWebhookPlugin}, with their defaults (parsed once; a wrong option throws `ValidationError` naming it). */
const WebhookPluginOptionsSchema = z.object({
  /** Plugin name. @default 'webhook' */
  name: z.string().min(1).default('webhook'),
  /** The allowed endpoints, by action name. */
  endpoints: z.record(z.string().min(1), WebhookEndpointSchema),
  /** fetch implementation. @default globalThis.fetch */
  fetch: z
    .custom<typeof fetch>(isFunction, { message: 'expected a fetch function' })
    .default(() => globalThis.fetch.bind(globalThis)),
});

/** Options of {@link createWebhookPlugin} (only `endpoints` is required). */
export interface WebhookPluginOptions extends z.input<typeof WebhookPluginOptionsSchema> {}

const ParametersSchema = z.object({ payload: z.record(z.string(), z.unknown()).default({}) });

/**
 * A plugin that calls allow-listed HTTP endpoints (a runbook service, a deploy pipeline, a pager) with a
 * JSON body describing the remediation: `{ remediationId, resourceId, finding, payload }`. Retries with
 * exponential backoff (full jitter, honouring `Retry-After`); each request has its own timeout. Redirects are refused, never followed (so the body
 * and the endpoint's headers never reach an origin outside the allow-list). Runs in Node and browsers (fetch).
 */
export function createWebhookPlugin(options: WebhookPluginOptions): RemediationPlugin {
  const {
    name,
    endpoints,
    fetch: fetchImplementation,
  } = parseWith(WebhookPluginOptionsSchema, options, 'webhook plugin options');
  const actions: Record<string, RemediationActionDefinition> = {};
  for (const [name, endpoint] of Object.entries(endpoints)) {
    const action: RemediationActionDefinition<typeof ParametersSchema> = {
      description: endpoint.description ?? `Call ${endpoint.method} ${endpoint.url}`,
      risk: endpoint.risk,
      parameters: ParametersSchema,
      // Room for every attempt, every backoff and some slack, so the per-request timeouts fire first.
      timeoutMs:
        (endpoint.timeoutMs + 1_000) * (endpoint.retries + 1) +
        endpoint.backoffMs * (2 ** endpoint.retries - 1) +
        endpoint.retries * endpoint.maxRetryAfterMs,
      describe: () => `${endpoint.method} ${endpoint.url}`,
      execute: (params, context) => call(endpoint, params.payload, context, fetchImplementation),
    };
    actions[name] = defineRemediationAction(action);
  }
  return { specificationVersion: 'v1', name, actions };
}

/** A failed attempt that may be retried (network error, timeout, 429, 5xx); `retryAfterMs` from `Retry-After`. */
class RetryableCallError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

async function call(
  endpoint: z.output<typeof WebhookEndpointSchema>,
  payload: Record<string, unknown>,
  context: RemediationContext,
  fetchImplementation: typeof fetch,
): Promise<{ status: number; attempts: number; body: unknown }> {
  const body = JSON.stringify({
    remediationId: context.remediationId,
    resourceId: context.resourceId,
    finding: context.finding ?? null,
    requestedBy: context.requestedBy ?? null,
    payload,
  });
  const once = async (attempt: number): Promise<{ status: number; attempts: number; body: unknown }> => {
    const timeout = AbortSignal.timeout(endpoint.timeoutMs);
    let response: Response;
    try {
      response = await fetchImplementation(endpoint.url, {
        method: endpoint.method,
        body,
        headers: { 'content-type': 'application/json', ...endpoint.headers },
        signal: AbortSignal.any([context.signal, timeout]),
        // Never follow redirects: a hop could leave the allow-list, and fetch would re-send the body and
        // the endpoint's secret headers there.
        redirect: 'manual',
      });
    } catch (error) {
      if (context.signal.aborted) throw error;
      throw new RetryableCallError(
        timeout.aborted
          ? `timed out after ${endpoint.timeoutMs} ms`
          : error instanceof Error
            ? error.message
            : String(error),
        timeout.aborted,
      );
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      const location = response.headers.get('location');
      await response.body?.cancel().catch(() => undefined);
      throw new RemediationError(
        `${endpoint.url} answered a redirect (HTTP ${response.status}${location ? ` to ${location}` : ''}); redirects are not followed, so put the final URL in the allow-list.`,
      );
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      if (context.signal.aborted) throw error;
      throw new RetryableCallError(
        timeout.aborted
          ? `timed out after ${endpoint.timeoutMs} ms`
          : error instanceof Error
            ? error.message
            : String(error),
        timeout.aborted,
      );
    }
    if (response.ok) return { status: response.status, attempts: attempt, body: parseBody(text) };
    const failure = `HTTP ${response.status} ${text.slice(0, 200)}`;
    if (response.status !== 429 && response.status < 500)
      throw new RemediationError(`${endpoint.url} answered ${failure}; not retried`);
    throw new RetryableCallError(
      failure,
      false,
      parseRetryAfter(response.headers.get('retry-after'), context.clock.now()),
    );
  };
  try {
    return await retry(once, {
      retries: endpoint.retries,
      backoff: { initialMs: endpoint.backoffMs, maxMs: endpoint.backoffMs * 2 ** endpoint.retries, multiplier: 2 },
      clock: context.clock,
      signal: context.signal,
      maxRetryAfterMs: endpoint.maxRetryAfterMs,
      classify: (error) =>
        error instanceof RetryableCallError
          ? { retry: true, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) }
          : { retry: false },
    });
  } catch (error) {
    if (!(error instanceof RetryableCallError)) throw error;
    const message = `${endpoint.url} failed after ${endpoint.retries + 1} attempt(s): ${error.message}`;
    throw error.timedOut ? new TimeoutError(message) : new RemediationError(message, { isRetryable: true });
  }
}

function parseBody(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text.slice(0, 1000);
  }
}
