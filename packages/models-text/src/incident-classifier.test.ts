import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createEngine,
  LogAnomalyDetector,
  MemoryStorage,
  type InsightFinding,
  type LogRecordInput,
} from '@iac-dharma/core';
import { IncidentClassifier } from './incident-classifier.js';
import { SentenceEncoder } from './sentence-encoder.js';

/** A few examples per category, written like real log lines (the BGL and Linux Loghub samples). */
const CATEGORIES = {
  disk: [
    'No space left on device',
    'EXT3-fs error (device sda1): ext3_journal_start_sb: Detected aborted journal',
    'I/O error on device sdb, logical block 123456',
    'disk quota exceeded',
  ],
  network: [
    'Connection timed out while connecting to 10.0.0.5:5432',
    'ciod: failed to read message prefix on control stream (CioStream socket to 172.16.96.116:33370',
    'Connection refused by peer',
    'Network is unreachable',
  ],
  memory: [
    'Out of memory: Kill process 4321 (java) score 913 or sacrifice child',
    'java.lang.OutOfMemoryError: Java heap space',
    'page allocation failure. order:1, mode:0x20',
    'memory leak detected in worker pool',
  ],
  auth: [
    'Failed password for invalid user admin from 173.234.31.186 port 38926 ssh2',
    'authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=218.188.2.4',
    'Invalid user test from 52.80.34.196',
    'permission denied for user postgres',
  ],
};

let encoder: SentenceEncoder;
beforeAll(async () => {
  encoder = await SentenceEncoder.load();
});
afterAll(async () => {
  await encoder.release();
});

describe('IncidentClassifier', () => {
  it('names unseen incident texts with the prototype and the linear head', async () => {
    for (const head of ['prototype', 'linear'] as const) {
      const classifier = new IncidentClassifier(encoder, { categories: CATEGORIES, head });
      await classifier.fit();
      expect((await classifier.classify('write failed: no space left on /var/lib/postgresql')).category, head).toBe(
        'disk',
      );
      expect(
        (await classifier.classify('sshd: Failed password for root from 61.177.172.13 port 22 ssh2')).category,
        head,
      ).toBe('auth');
      expect(
        (await classifier.classify('Killed process 998 (node) total-vm:4048576kB, anon-rss:2011892kB: out of memory'))
          .category,
        head,
      ).toBe('memory');
      const network = await classifier.classify(
        'upstream timed out (110: Connection timed out) while reading response header from upstream',
      );
      expect(network.category, head).toBe('network');
      expect(network.scores.map((score) => score.category).sort()).toEqual(['auth', 'disk', 'memory', 'network']);
    }
  });

  it('says unknown below minScore, and refuses to classify before fit()', async () => {
    const classifier = new IncidentClassifier(encoder, { categories: CATEGORIES, minScore: 0.99 });
    await expect(classifier.classify('anything')).rejects.toThrow(/fit\(\)/);
    await classifier.fit();
    expect((await classifier.classify('the weather is nice today')).category).toBe('unknown');
    expect(() => new IncidentClassifier(encoder, { categories: { only: ['one'] } })).toThrow(/two categories/);
  });

  it('finds similar past incidents from the remediation history with what fixed them', async () => {
    const storage = new MemoryStorage();
    const findings = [
      { id: 'f-disk', summary: 'disk /dev/sda1 97% full on db-1', action: { plugin: 'shell', action: 'rotate-logs' } },
      {
        id: 'f-mem',
        summary: 'java heap space exhausted, OutOfMemoryError on api-2',
        action: { plugin: 'kubernetes', action: 'restart-pod' },
      },
    ];
    await storage.saveFindings({
      findings: findings.map((finding) => ({
        id: finding.id,
        kind: 'insight',
        topic: 'log',
        resource: 'db-1',
        timestamp: 1,
        analyzer: 'log-anomaly',
        severity: 'high',
        score: 0.9,
        summary: finding.summary,
        data: {},
      })),
    });
    let seq = 0;
    for (const finding of findings) {
      seq += 1;
      await storage.appendHistory({
        record: {
          seq,
          id: `h${seq}`,
          timestamp: seq,
          type: 'outcome',
          remediationId: `r-${finding.id}`,
          resource: 'db-1',
          outcome: 'succeeded',
          data: { findingId: finding.id, action: finding.action },
          prevHash: seq === 1 ? '' : `hash${seq - 1}`,
          hash: `hash${seq}`,
        },
      });
    }
    const classifier = new IncidentClassifier(encoder, { categories: CATEGORIES, similarCount: 1 });
    await classifier.fit();
    expect(await classifier.rememberHistory(storage)).toBe(2);
    const result = await classifier.classify('OutOfMemoryError: Java heap space in checkout service');
    expect(result.similar[0]).toMatchObject({
      id: 'r-f-mem',
      resolution: 'kubernetes:restart-pod',
      outcome: 'succeeded',
    });
    expect(await classifier.rememberHistory(storage)).toBe(0);
  });

  it('classifies the LogAnomalyDetector findings through the engine', async () => {
    const classifier = new IncidentClassifier(encoder, { categories: CATEGORIES });
    await classifier.fit();
    const engine = createEngine({
      analyzers: [new LogAnomalyDetector({ windowMs: 60_000, warmupWindows: 2 }, { classifier })],
    });
    const normal = ['GET /health 200 3ms', 'cache hit ratio 0.93 for key users:42'];
    const record = (minute: number, message: string, level: LogRecordInput['level'] = 'info'): LogRecordInput => ({
      kind: 'log',
      resource: 'db-1',
      timestamp: minute * 60_000 + 5,
      level,
      message,
    });
    for (let minute = 0; minute < 3; minute += 1) await engine.ingest(normal.map((message) => record(minute, message)));
    const result = await engine.ingest([
      record(3, 'could not write to file "pg_wal/000000010000000A000000FE": No space left on device', 'error'),
    ]);
    const finding = result.findings.find(
      (item): item is InsightFinding => item.kind === 'insight' && item.data['type'] === 'new-template',
    );
    expect(finding?.data['classification']).toMatchObject({ category: 'disk' });
    await engine.close();
  });
});
