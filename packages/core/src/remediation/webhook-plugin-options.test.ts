import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { createWebhookPlugin } from './webhook-plugin.js';

describe('webhook plugin options', () => {
  it('defaults the name and rejects a wrong option with a ValidationError naming it', () => {
    expect(createWebhookPlugin({ endpoints: { page: { url: 'https://pager.example/hook' } } }).name).toBe('webhook');
    const wrong = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).field;
      }
      return undefined;
    };
    expect(wrong(() => createWebhookPlugin({ endpoints: {}, fetch: 'curl' as never }))).toBe('fetch');
    expect(wrong(() => createWebhookPlugin({ name: '', endpoints: {} }))).toBe('name');
    expect(wrong(() => createWebhookPlugin({ endpoints: { page: { url: 'file:///etc/passwd' } } }))).toBe(
      'endpoints.page.url',
    );
  });
});
