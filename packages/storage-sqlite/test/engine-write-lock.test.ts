import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DharmaError, InProcessTransport, createEngine, type Analyzer, type IngestRecord } from '@iac-dharma/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../src/index.js';

const directory = mkdtempSync(join(tmpdir(), 'dharma-sqlite-lock-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** Counts the samples it was shown, so a test can tell whether unstored records were analysed. */
class CountingAnalyzer implements Analyzer {
  readonly name = 'counting';
  readonly accepts = ['metric'] as const;
  seen = 0;
  analyze(records: readonly IngestRecord[]) {
    this.seen += records.length;
    return [];
  }
}

const batch = (offset: number) =>
  Array.from({ length: 10 }, (_, index) => ({
    resource: 'web-1',
    metric: 'cpu',
    value: index,
    timestamp: 1_700_000_000_000 + offset + index,
  }));

describe('Engine on SqliteStorage while another connection holds the write lock', () => {
  it('rejects ingest with a retryable StorageError instead of reporting unstored records as accepted', async () => {
    const path = join(directory, 'locked.db');
    const storage = createSqliteStorage({ path, busyTimeoutMs: 20 });
    const analyzer = new CountingAnalyzer();
    const engine = createEngine({ storage, analyzers: [analyzer] });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    try {
      const failure = await engine.ingest(batch(0)).then(
        (result) => result,
        (error: unknown) => error,
      );
      expect(DharmaError.isInstance(failure)).toBe(true);
      expect(failure).toMatchObject({ code: 'STORAGE_ERROR', isRetryable: true });
      expect(analyzer.seen).toBe(0);
      expect(engine.stats().ingested).toBe(0);
    } finally {
      other.exec('ROLLBACK');
    }
    // The same batch, retried once the lock is gone, is stored and analysed exactly once.
    const retried = await engine.ingest(batch(0));
    expect(retried.accepted).toBe(10);
    expect(await storage.rangePoints({ series: 'web-1/cpu' })).toHaveLength(10);
    expect(analyzer.seen).toBe(10);
    other.close();
    await engine.close();
  });

  it('rejects the consume handler, so the transport never acknowledges unstored records', async () => {
    const path = join(directory, 'consume.db');
    const storage = createSqliteStorage({ path, busyTimeoutMs: 20 });
    const transport = new InProcessTransport();
    const engine = createEngine({ storage, transport, closeAdapters: false });
    const handlers: Array<(message: never) => Promise<void>> = [];
    // Capture the handler the engine registers (per message or per batch), as a broker transport would call it.
    const subscribe = transport.subscribe.bind(transport);
    transport.subscribe = async (options) => {
      handlers.push(options.handler as never);
      return subscribe(options);
    };
    const subscribeBatch = transport.subscribeBatch?.bind(transport);
    if (subscribeBatch) {
      transport.subscribeBatch = async (options) => {
        handlers.push(((message: never) => options.handler({ topic: 'metrics', messages: [message] })) as never);
        return subscribeBatch(options);
      };
    }
    await engine.consume({ topics: ['metrics'] });
    expect(handlers).toHaveLength(1);
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    const message = { topic: 'metrics', key: 'web-1', value: batch(100), id: 'm-1', timestamp: 0, headers: {} };
    await expect(handlers[0]!(message as never)).rejects.toMatchObject({ code: 'STORAGE_ERROR', isRetryable: true });
    other.exec('ROLLBACK');
    await handlers[0]!(message as never);
    expect(await storage.rangePoints({ series: 'web-1/cpu' })).toHaveLength(10);
    other.close();
    await engine.close();
    await transport.close();
    await storage.close();
  });
});
