import { describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.js';
import type { Finding, InsightFinding } from '../schemas/finding.js';
import type { LogRecordInput } from '../schemas/records.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { LogAnomalyDetector } from './log-anomaly-detector.js';

/** Messages of real HDFS lines (Loghub-2k, HDFS_2k.log), used as the normal traffic of a data node. */
const HDFS = [
  'PacketResponder 1 for block blk_38865049064139660 terminating',
  'Received block blk_-6952295868487656571 of size 67108864 from /10.251.42.84',
  'BLOCK* NameSystem.addStoredBlock: blockMap updated: 10.251.73.220:50010 is added to blk_7128370237687728475 size 67108864',
  'Receiving block blk_-5009020203888190378 src: /10.251.110.8:46531 dest: /10.251.110.8:50010',
];
const NEW_ERROR = '10.251.194.213:50010:Got exception while serving blk_-7057732666118938934 to /10.251.203.4:';
const WINDOW = 60_000;

function window(start: number, messages: readonly string[], level: LogRecordInput['level'] = 'info'): LogRecordInput[] {
  return messages.map((message, index) => ({
    kind: 'log',
    resource: 'datanode-1',
    timestamp: start + index * 10,
    level,
    message,
  }));
}

function logFindings(findings: readonly Finding[]): InsightFinding[] {
  return findings.filter((finding): finding is InsightFinding => finding.kind === 'insight' && finding.topic === 'log');
}

describe('LogAnomalyDetector (through the engine)', () => {
  it('stays quiet on steady traffic, then reports a new template, a burst, an error-rate rise and a silence', async () => {
    const detector = new LogAnomalyDetector({ windowMs: WINDOW, warmupWindows: 5 });
    const engine = createEngine({ analyzers: [detector] });
    const found: Finding[] = [];
    for (let minute = 0; minute < 8; minute += 1) {
      found.push(...(await engine.ingest(window(minute * WINDOW, [...HDFS, ...HDFS]))).findings);
    }
    expect(logFindings(found)).toEqual([]);

    // Minute 8: a never-seen exception, 12 of them at error level, and no "Receiving block" lines.
    const burst = Array.from({ length: 12 }, () => NEW_ERROR);
    found.push(
      ...(await engine.ingest([...window(8 * WINDOW, HDFS.slice(0, 3)), ...window(8 * WINDOW + 1000, burst, 'error')]))
        .findings,
    );
    const fresh = logFindings(found).filter((finding) => finding.data['type'] === 'new-template');
    expect(fresh).toHaveLength(1);
    expect(fresh[0]).toMatchObject({
      resource: 'datanode-1',
      severity: 'high',
      data: { template: '<*>:Got exception while serving <*> to <*>:', examples: [NEW_ERROR], count: 1 },
    });

    // Minutes 9-11 without "Receiving block": the window of minute 8 closes with the error-rate rise; the
    // "Receiving block" template is silent after three windows.
    for (let minute = 9; minute < 12; minute += 1)
      found.push(...(await engine.ingest(window(minute * WINDOW, HDFS.slice(0, 3)))).findings);
    const types = logFindings(found).map((finding) => finding.data['type']);
    expect(types).toContain('error-rate');
    const silence = logFindings(found).find((finding) => finding.data['type'] === 'silence');
    expect(silence?.data).toMatchObject({ template: 'Receiving block <*> src: <*> dest: <*>', count: 0 });
    expect(silence!.data['expected']).toBeGreaterThan(1.5);
    await engine.close();
  });

  it('reports a burst of a known template with its count and usual count', async () => {
    const detector = new LogAnomalyDetector({ windowMs: WINDOW, warmupWindows: 5 });
    const engine = createEngine({ analyzers: [detector] });
    for (let minute = 0; minute < 8; minute += 1) await engine.ingest(window(minute * WINDOW, HDFS));
    const flood = Array.from(
      { length: 40 },
      (_, index) => `PacketResponder ${index % 3} for block blk_${1000 + index} terminating`,
    );
    await engine.ingest(window(8 * WINDOW, flood));
    const result = await engine.ingest(window(9 * WINDOW, HDFS));
    const burst = logFindings(result.findings).find((finding) => finding.data['type'] === 'burst');
    expect(burst?.data).toMatchObject({ template: 'PacketResponder <*> for block <*> terminating', count: 40 });
    expect(burst!.data['expected']).toBeCloseTo(1, 0);
    expect((burst!.data['examples'] as string[]).length).toBeGreaterThan(0);
    await engine.close();
  });

  it('keeps its templates and statistics across a restart through Storage', async () => {
    const storage = new MemoryStorage();
    const first = createEngine({
      storage,
      analyzers: [new LogAnomalyDetector({ windowMs: WINDOW, warmupWindows: 2 })],
      closeAdapters: false,
    });
    await first.start();
    for (let minute = 0; minute < 4; minute += 1) await first.ingest(window(minute * WINDOW, HDFS));
    await first.close();
    const restored = new LogAnomalyDetector({ windowMs: WINDOW, warmupWindows: 2 });
    const second = createEngine({ storage, analyzers: [restored] });
    await second.start();
    expect(restored.miner.size).toBe(4);
    const result = await second.ingest(window(4 * WINDOW, HDFS));
    expect(logFindings(result.findings).filter((finding) => finding.data['type'] === 'new-template')).toEqual([]);
    await second.close();
  });

  it('rejects bad options naming the field', () => {
    expect(() => new LogAnomalyDetector({ windowMs: -1 })).toThrow(/windowMs/);
  });
});
