import { createHash, timingSafeEqual } from 'node:crypto';
import { ValidationError, parseWith } from '@iac-dharma/core';
import { z } from 'zod';

/** What a key may do: `viewer` runs queries and subscriptions; `operator` also runs mutations. */
export const RoleSchema = z.enum(['viewer', 'operator']);
export type Role = z.infer<typeof RoleSchema>;

/** One accepted API key. */
export const ApiKeySchema = z.object({
  /** The secret the caller sends; at least 8 characters. */
  key: z.string().min(8, 'must be at least 8 characters'),
  role: RoleSchema,
  /** Name recorded as `requestedBy` in the remediation history. @default `<role>-<n>` */
  name: z.string().min(1).max(128).optional(),
});
export type ApiKey = z.input<typeof ApiKeySchema>;

/** The authenticated caller of a request. */
export interface Principal {
  name: string;
  role: Role;
}

/** Checks API keys in constant time. */
export interface ApiKeyAuthenticator {
  /** The principal for `key`, or `undefined` when the key is unknown. */
  authenticate(key: string): Principal | undefined;
  /** True when no keys are configured and anonymous access was allowed. */
  readonly anonymous: boolean;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Creates the authenticator for a list of keys. With no keys, `allowAnonymous` must be true: then every
 * caller is an anonymous operator (for local development only).
 */
export function createApiKeyAuthenticator(options: {
  apiKeys: readonly ApiKey[];
  allowAnonymous?: boolean;
}): ApiKeyAuthenticator {
  const keys = parseWith(z.array(ApiKeySchema), options.apiKeys, 'apiKeys');
  if (keys.length === 0 && !options.allowAnonymous) {
    throw new ValidationError(
      'No API keys configured: pass apiKeys (e.g. [{ key, role: "operator" }]) or set allowAnonymous: true for local development.',
      [{ path: 'apiKeys', message: 'must contain at least one key unless allowAnonymous is true', code: 'too_small' }],
    );
  }
  const entries = keys.map((entry, index) => ({
    hash: digest(entry.key),
    principal: { name: entry.name ?? `${entry.role}-${index + 1}`, role: entry.role },
  }));
  return {
    anonymous: keys.length === 0,
    authenticate(key) {
      const hash = digest(key);
      let found: Principal | undefined;
      // Compare against every key so the time taken does not reveal which one matched.
      for (const entry of entries) if (timingSafeEqual(entry.hash, hash)) found = entry.principal;
      return found;
    },
  };
}

/**
 * Parses `role:key` or `role:key:name` (the CLI's `--api-key operator:secret`).
 * @throws ValidationError when the role is not `viewer` or `operator`.
 */
export function parseApiKeySpec(spec: string): ApiKey {
  const [role, key, name] = spec.split(':');
  return parseWith(
    ApiKeySchema,
    { role, key, ...(name ? { name } : {}) },
    '--api-key (expected role:key, role viewer or operator)',
  );
}

/** Reads the API key from `x-api-key` or `Authorization: Bearer <key>`. */
export function apiKeyFromHeaders(headers: { get(name: string): string | null }): string | undefined {
  const direct = headers.get('x-api-key');
  if (direct) return direct.trim();
  const authorization = headers.get('authorization');
  const match = authorization ? /^Bearer\s+(.+)$/i.exec(authorization.trim()) : null;
  return match?.[1];
}

/** Reads the API key from graphql-ws connection params (`apiKey`, `x-api-key` or `Authorization`). */
export function apiKeyFromConnectionParams(params: Record<string, unknown> | undefined): string | undefined {
  if (!params) return undefined;
  const value = params.apiKey ?? params['x-api-key'];
  if (typeof value === 'string') return value;
  const authorization = params.Authorization ?? params.authorization;
  const match = typeof authorization === 'string' ? /^Bearer\s+(.+)$/i.exec(authorization.trim()) : null;
  return match?.[1];
}
