import { ValidationError } from '@iac-dharma/core';
import { describe, expect, it } from 'vitest';
import {
  apiKeyFromConnectionParams,
  apiKeyFromHeaders,
  createApiKeyAuthenticator,
  parseApiKeySpec,
} from './api-keys.js';

describe('API keys', () => {
  it('authenticates known keys with their role and refuses others', () => {
    const auth = createApiKeyAuthenticator({
      apiKeys: [
        { key: 'operator-key', role: 'operator', name: 'ops' },
        { key: 'viewer-key', role: 'viewer' },
      ],
    });
    expect(auth.authenticate('operator-key')).toEqual({ name: 'ops', role: 'operator' });
    expect(auth.authenticate('viewer-key')).toEqual({ name: 'viewer-2', role: 'viewer' });
    expect(auth.authenticate('viewer-ke')).toBeUndefined();
  });

  it('refuses short keys, unknown roles, and an empty key list unless anonymous access is allowed', () => {
    expect(() => createApiKeyAuthenticator({ apiKeys: [{ key: 'short', role: 'viewer' }] })).toThrow(/apiKeys\.0\.key/);
    expect(() => parseApiKeySpec('root:secret-key')).toThrow(ValidationError);
    expect(() => createApiKeyAuthenticator({ apiKeys: [] })).toThrow(/allowAnonymous/);
    expect(createApiKeyAuthenticator({ apiKeys: [], allowAnonymous: true }).anonymous).toBe(true);
  });

  it('reads keys from headers and connection params', () => {
    expect(apiKeyFromHeaders(new Headers({ 'x-api-key': ' k1 ' }))).toBe('k1');
    expect(apiKeyFromHeaders(new Headers({ authorization: 'Bearer k2' }))).toBe('k2');
    expect(apiKeyFromHeaders(new Headers({ authorization: 'Basic abc' }))).toBeUndefined();
    expect(apiKeyFromConnectionParams({ apiKey: 'k3' })).toBe('k3');
    expect(apiKeyFromConnectionParams({ Authorization: 'Bearer k4' })).toBe('k4');
    expect(apiKeyFromConnectionParams(undefined)).toBeUndefined();
  });
});
