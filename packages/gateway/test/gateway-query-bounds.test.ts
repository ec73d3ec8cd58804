import { MemoryStorage, createEngine, createRemediator, type HistoryQuery, type HistoryRecord } from '@iac-dharma/core';
import { makeHistoryRecord } from '@iac-dharma/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGateway, type Gateway } from '../src/index.js';

/** MemoryStorage that counts the history records each read returns, i.e. what the gateway made storage read. */
class CountingStorage extends MemoryStorage {
  historyRead = 0;
  override async readHistory(query: HistoryQuery): Promise<HistoryRecord[]> {
    const records = await super.readHistory(query);
    this.historyRead += records.length;
    return records;
  }
}

const KEY = 'viewer-key-for-bounds';
const HISTORY = 600;

describe('gateway query bounds (remediationHistory over a long history)', () => {
  const storage = new CountingStorage();
  const engine = createEngine({ storage });
  const remediator = createRemediator({ storage });
  let gateway: Gateway;
  let url: string;
  const post = async (query: string, variables?: Record<string, unknown>) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: Record<string, Array<{ seq: number }>> | null;
      errors?: Array<{ message: string; extensions?: { code?: string; field?: string } }>;
    };
  };

  beforeAll(async () => {
    for (let seq = 1; seq <= HISTORY; seq++)
      await storage.appendHistory({ record: makeHistoryRecord(seq, { resource: seq % 3 === 0 ? 'db-1' : 'web-1' }) });
    gateway = createGateway({
      engine,
      remediator,
      apiKeys: [{ key: KEY, role: 'viewer' }],
      maxItemsPerRequest: 2_000,
      maxAliases: 100,
    });
    url = await gateway.listen(0);
  });
  afterAll(async () => {
    await gateway?.close();
    await remediator.close();
    await engine.close();
  });

  it('reads only the requested page from storage, for every alias', async () => {
    storage.historyRead = 0;
    const aliases = Array.from({ length: 100 }, (_, index) => `h${index}: remediationHistory(limit: 1) { seq }`).join(
      ' ',
    );
    const answer = await post(`{ ${aliases} }`);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.h0).toEqual([{ seq: HISTORY }]);
    expect(storage.historyRead).toBe(100);
  });

  it('returns the newest records in seq order and pages back with beforeSeq', async () => {
    const first = await post('{ remediationHistory(limit: 3) { seq } }');
    expect(first.data?.remediationHistory).toEqual([{ seq: 598 }, { seq: 599 }, { seq: 600 }]);
    const second = await post('{ remediationHistory(limit: 3, beforeSeq: 598) { seq } }');
    expect(second.data?.remediationHistory).toEqual([{ seq: 595 }, { seq: 596 }, { seq: 597 }]);
    const byResource = await post('{ remediationHistory(resourceId: "db-1", limit: 2) { seq } }');
    expect(byResource.data?.remediationHistory).toEqual([{ seq: 597 }, { seq: 600 }]);
  });

  it.each([0, -1, 1_000_000])('refuses limit %d with a typed error naming the limit', async (limit) => {
    storage.historyRead = 0;
    const answer = await post('query ($limit: Int) { remediationHistory(limit: $limit) { seq } }', { limit });
    expect(answer.data?.remediationHistory).toBeUndefined();
    expect(answer.errors?.[0]?.message).toMatch(/limit/);
    expect(storage.historyRead).toBe(0);
  });

  it('refuses more aliases than maxAliases before running any resolver', async () => {
    storage.historyRead = 0;
    const aliases = Array.from({ length: 101 }, (_, index) => `h${index}: remediationHistory(limit: 1) { seq }`).join(
      ' ',
    );
    const answer = await post(`{ ${aliases} }`);
    expect(answer.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
    expect(answer.errors?.[0]?.message).toMatch(/aliases/);
    expect(storage.historyRead).toBe(0);
  });

  it('bounds the total items one request returns over all its aliases', async () => {
    const aliases = Array.from({ length: 5 }, (_, index) => `h${index}: remediationHistory(limit: 500) { seq }`).join(
      ' ',
    );
    const answer = await post(`{ ${aliases} }`);
    expect(answer.errors?.some((error) => /more than 2000 list items/.test(error.message))).toBe(true);
  });

  it('refuses a document with more tokens than maxTokens', async () => {
    const fields = Array.from({ length: 6_000 }, () => 'seq').join(' ');
    const answer = await post(`{ remediationHistory(limit: 1) { ${fields} } }`);
    expect(answer.data ?? undefined).toBeUndefined();
    expect(answer.errors?.[0]?.message).toMatch(/token/i);
  });
});
