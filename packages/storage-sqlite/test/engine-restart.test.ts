import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, type Analyzer, type AnalyzerFinding, type IngestRecord } from '@iac-dharma/core';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteStorage } from '../src/index.js';

/** Learns a running mean per series; its snapshot is what a restarted engine must get back. */
class MeanAnalyzer implements Analyzer {
  readonly name = 'mean';
  readonly accepts = ['metric'] as const;
  means: Record<string, { count: number; mean: number }> = {};
  analyze(records: readonly IngestRecord[]): AnalyzerFinding[] {
    for (const record of records) {
      if (record.kind !== 'metric') continue;
      const key = `${record.resource}/${record.metric}`;
      const entry = (this.means[key] ??= { count: 0, mean: 0 });
      entry.count++;
      entry.mean += (record.value - entry.mean) / entry.count;
    }
    return [];
  }
  snapshot() {
    return { version: 1, means: this.means };
  }
  restore(state: unknown) {
    const snapshot = state as { version?: number; means?: MeanAnalyzer['means'] };
    if (snapshot.version === 1 && snapshot.means) this.means = snapshot.means;
  }
}

const directory = mkdtempSync(join(tmpdir(), 'dharma-sqlite-engine-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('Engine on SqliteStorage', () => {
  it('gets its analyzer state and series back after a restart', async () => {
    const path = join(directory, 'engine.db');
    const first = new MeanAnalyzer();
    const engine = await createEngine({ storage: createSqliteStorage({ path }), analyzers: [first] }).start();
    await engine.ingest(
      [1, 2, 3, 4].map((value, index) => ({ resource: 'web-1', metric: 'cpu', value, timestamp: 1000 * (index + 1) })),
    );
    await engine.close();

    const second = new MeanAnalyzer();
    const storage = createSqliteStorage({ path });
    const restarted = await createEngine({ storage, analyzers: [second] }).start();
    try {
      expect(second.means).toEqual({ 'web-1/cpu': { count: 4, mean: 2.5 } });
      expect((await storage.rangePoints({ series: 'web-1/cpu' })).map((point) => point.value)).toEqual([1, 2, 3, 4]);
      await restarted.ingest({ resource: 'web-1', metric: 'cpu', value: 10, timestamp: 5000 });
      await restarted.flush();
      expect(second.means['web-1/cpu']).toEqual({ count: 5, mean: 4 });
    } finally {
      await restarted.close();
    }
  });
});
