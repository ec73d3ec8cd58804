import { createEngine } from '@iac-dharma/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';

const KEY = 'hygiene-operator-key';

describe('gateway input hygiene', () => {
  const engine = createEngine();
  let gateway: Gateway;
  let url: string;
  const post = (body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body });

  beforeAll(async () => {
    gateway = createGateway({ engine, apiKeys: [{ key: KEY, role: 'operator' }] });
    url = await gateway.listen(0);
  });
  afterAll(async () => {
    await gateway?.close();
    await engine.close();
  });

  it('answers a malformed JSON body with 400 and neither the body nor the parser message', async () => {
    const response = await post('{"query": "{ x }", "password": SECRET-BODY-TEXT');
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(text).toContain('POST body sent invalid JSON.');
    expect(text).not.toContain('SECRET-BODY-TEXT');
    expect(text).not.toMatch(/position|SyntaxError|originalError/);
  });

  it('refuses ids with zero-width characters, naming the field, and stores ids in NFC', async () => {
    const mutation = 'mutation ($input: CreateInfrastructureInput!) { createInfrastructure(input: $input) { id } }';
    const invisible = (await (
      await post(JSON.stringify({ query: mutation, variables: { input: { id: 'shop\u200b', name: 'Shop' } } }))
    ).json()) as {
      errors?: Array<{ message: string; extensions?: { field?: string } }>;
    };
    expect(invisible.errors?.[0]?.extensions?.field).toBe('input.id');
    expect(invisible.errors?.[0]?.message).toMatch(/invisible/);
    expect(await engine.storage.getResource({ id: 'shop\u200b' })).toBeUndefined();

    const decomposed = (await (
      await post(JSON.stringify({ query: mutation, variables: { input: { id: 'cafe\u0301', name: 'Cafe' } } }))
    ).json()) as { data?: { createInfrastructure: { id: string } } };
    expect(decomposed.data?.createInfrastructure.id).toBe('caf\u00e9');
    const lookup = (await (
      await post(
        JSON.stringify({
          query: 'query ($id: ID!) { infrastructure(id: $id) { id } }',
          variables: { id: 'cafe\u0301' },
        }),
      )
    ).json()) as { data?: { infrastructure: { id: string } | null } };
    expect(lookup.data?.infrastructure?.id).toBe('caf\u00e9');
  });
});
