import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DharmaError,
  InProcessTransport,
  MemoryStorage,
  ValidationError,
  createEngine,
  type Analyzer,
  type AnalyzerFinding,
  type Finding,
  type IngestRecord,
} from '../index.js';
import { waitFor } from '../testing/index.js';

/** Flags any metric value above a fixed limit; remembers how many samples it saw (its "learned state"). */
class ThresholdAnalyzer implements Analyzer {
  readonly name = 'threshold';
  readonly accepts = ['metric'] as const;
  seen = 0;
  constructor(private readonly limit: number) {}
  analyze(records: readonly IngestRecord[]): AnalyzerFinding[] {
    const findings: AnalyzerFinding[] = [];
    for (const record of records) {
      if (record.kind !== 'metric') continue;
      this.seen++;
      if (record.value > this.limit) {
        findings.push({
          kind: 'anomaly',
          resource: record.resource,
          series: `${record.resource}/${record.metric}`,
          timestamp: record.timestamp,
          severity: 'high',
          score: 1,
          summary: `${record.metric} above ${this.limit}`,
          value: record.value,
        });
      }
    }
    return findings;
  }
  snapshot() {
    return { seen: this.seen };
  }
  restore(state: unknown) {
    this.seen = (state as { seen: number }).seen;
  }
}

describe('Engine', () => {
  it('validates, analyses, stores, publishes and emits findings', async () => {
    const storage = new MemoryStorage();
    const transport = new InProcessTransport();
    const published: unknown[] = [];
    await transport.subscribe({ topic: 'anomalies', handler: async (message) => void published.push(message.value) });
    const alerts: unknown[] = [];
    await transport.subscribe({ topic: 'alerts', handler: async (message) => void alerts.push(message.value) });
    const engine = createEngine({ storage, transport, analyzers: [new ThresholdAnalyzer(90)], closeAdapters: false });
    const emitted: Finding[] = [];
    engine.on('anomaly', (finding) => emitted.push(finding));
    const result = await engine.ingest([
      { resource: 'web-1', metric: 'cpu', value: 50, timestamp: 1000 },
      { resource: 'web-1', metric: 'cpu', value: 95, timestamp: 2000 },
    ]);
    expect(result).toMatchObject({ accepted: 2, rejected: 0 });
    expect(result.findings).toHaveLength(1);
    expect(emitted[0]).toMatchObject({ kind: 'anomaly', analyzer: 'threshold', value: 95, resource: 'web-1' });
    expect(await storage.queryFindings({ resource: 'web-1' })).toEqual(emitted);
    expect(await storage.rangePoints({ series: 'web-1/cpu' })).toHaveLength(2);
    await waitFor(() => published.length === 1 && alerts.length === 1);
    expect(engine.stats()).toMatchObject({ ingested: 2, rejected: 0, findings: 1 });
    await engine.close();
  });

  it('throws a ValidationError naming the field for a single bad record', async () => {
    const engine = createEngine();
    expect(() => engine.ingest({ resource: 'web-1', metric: 'cpu', value: Number.NaN })).toThrow(ValidationError);
    try {
      engine.ingest({ resource: 'web-1', metric: 'cpu', value: 'high' as unknown as number });
    } catch (error) {
      expect(DharmaError.isInstance(error)).toBe(true);
      expect((error as ValidationError).field).toBe('value');
      expect((error as ValidationError).message).toContain('record.value');
    }
    await engine.close();
  });

  it('rejects bad records inside a batch, reports them and processes the rest', async () => {
    const engine = createEngine({ analyzers: [new ThresholdAnalyzer(90)] });
    const reported: string[] = [];
    engine.on('error', (error, context) => reported.push(`${context.index}:${(error as ValidationError).field}`));
    const result = await engine.ingest([
      { resource: 'a', metric: 'cpu', value: 1 },
      { resource: '', metric: 'cpu', value: 1 },
      { resource: 'a', metric: 'cpu', value: 99 },
      { kind: 'event', type: 'deploy', resource: 'a' },
      { resource: 'a', metric: 'cpu', value: Infinity },
    ] as never);
    expect(result).toMatchObject({ accepted: 3, rejected: 2 });
    expect(result.findings).toHaveLength(1);
    expect(reported).toEqual(['1:resource', '4:value']);
    await engine.close();
  });

  it('keeps an analyzer that throws or returns garbage from breaking ingestion', async () => {
    const broken: Analyzer = {
      name: 'broken',
      accepts: ['metric'],
      analyze: () => {
        throw new Error('boom');
      },
    };
    const garbage: Analyzer = {
      name: 'garbage',
      accepts: ['metric'],
      analyze: () => [{ kind: 'anomaly', score: 7 } as never],
    };
    const engine = createEngine({ analyzers: [broken, garbage, new ThresholdAnalyzer(0)] });
    const errors: string[] = [];
    engine.on('error', (_error, context) => errors.push(`${context.source}:${context.component}`));
    const result = await engine.ingest({ resource: 'a', metric: 'cpu', value: 5 });
    expect(result.findings).toHaveLength(1);
    expect(errors).toEqual(['analyzer:broken', 'analyzer:garbage']);
    await engine.close();
  });

  it('restores analyzer state from storage after a restart', async () => {
    const storage = new MemoryStorage();
    const first = createEngine({ storage, analyzers: [new ThresholdAnalyzer(90)], closeAdapters: false });
    await first.start();
    await first.ingest([1, 2, 3].map((value) => ({ resource: 'a', metric: 'm', value })));
    await first.close();
    const analyzer = new ThresholdAnalyzer(90);
    const second = createEngine({ storage, analyzers: [analyzer] });
    await second.start();
    expect(analyzer.seen).toBe(3);
    await second.close();
  });

  it('consumes records from the transport and dead-letters invalid ones', async () => {
    const transport = new InProcessTransport();
    const engine = createEngine({ transport, analyzers: [new ThresholdAnalyzer(90)], closeAdapters: false });
    const dead: unknown[] = [];
    await transport.subscribe({ topic: 'dead-letter', handler: async (message) => void dead.push(message.value) });
    await engine.consume({ group: 'engines' });
    await transport.publish({
      topic: 'metrics',
      messages: [
        {
          key: 'a',
          value: [
            { resource: 'a', metric: 'cpu', value: 95 },
            { resource: 'a', metric: 'cpu' },
          ],
        },
      ],
    });
    await waitFor(() => engine.stats().ingested === 1 && dead.length === 1);
    expect(dead[0]).toMatchObject({
      field: 'value',
      topic: 'metrics',
      index: 1,
      record: { resource: 'a', metric: 'cpu' },
    });
    expect(engine.stats().findings).toBe(1);
    await engine.close();
    await transport.close();
  });

  it('consumes a delivered batch with one storage write, one analyzer pass and one findings publish', async () => {
    const transport = new InProcessTransport();
    const storage = new MemoryStorage();
    let writes = 0;
    const append = storage.appendPoints.bind(storage);
    storage.appendPoints = async (options) => {
      writes++;
      return append(options);
    };
    const passes: number[] = [];
    const analyzer = new ThresholdAnalyzer(90);
    const analyze = analyzer.analyze.bind(analyzer);
    analyzer.analyze = (records) => {
      passes.push(records.length);
      return analyze(records);
    };
    const findingBatches: number[] = [];
    await transport.subscribeBatch({
      topic: 'anomalies',
      handler: async (batch) => void findingBatches.push(batch.messages.length),
    });
    const engine = createEngine({ transport, storage, analyzers: [analyzer], closeAdapters: false });
    await engine.consume({ group: 'engines', topics: ['metrics'] });
    const messages = Array.from({ length: 100 }, (_, index) => ({
      key: `web-${index % 5}`,
      value: {
        resource: `web-${index % 5}`,
        metric: 'cpu',
        value: index % 10 === 0 ? 95 : 50,
        timestamp: 1000 + index,
      },
    }));
    await transport.publish({ topic: 'metrics', messages });
    await waitFor(() => engine.stats().ingested === 100 && findingBatches.reduce((a, b) => a + b, 0) === 10);
    expect(passes).toEqual([100]);
    expect(writes).toBe(1);
    expect(findingBatches).toEqual([10]);
    await engine.close();
    await transport.close();
  });

  it('rejects a consumed batch whose samples could not be stored, so the transport redelivers it', async () => {
    const transport = new InProcessTransport({ maxAttempts: 3 });
    const storage = new MemoryStorage();
    let failures = 1;
    const append = storage.appendPoints.bind(storage);
    storage.appendPoints = async (options) => {
      if (failures-- > 0) throw new Error('disk full');
      return append(options);
    };
    const analyzer = new ThresholdAnalyzer(90);
    const engine = createEngine({ transport, storage, analyzers: [analyzer], closeAdapters: false });
    const errors: string[] = [];
    engine.on('error', (error, context) => errors.push(`${context.source}: ${error.message}`));
    await engine.consume({ topics: ['metrics'] });
    await transport.publish({
      topic: 'metrics',
      messages: Array.from({ length: 10 }, (_, index) => ({
        value: { resource: 'a', metric: 'cpu', value: index, timestamp: 1000 + index },
      })),
    });
    await waitFor(() => engine.stats().ingested === 10);
    await transport.flush();
    expect(errors).toEqual(['storage: disk full']);
    // Stored once (the failed write stored nothing), analysed once, counted once: the redelivery replaced it.
    expect(await storage.rangePoints({ series: 'a/cpu' })).toHaveLength(10);
    expect(analyzer.seen).toBe(10);
    expect(engine.stats().ingested).toBe(10);
    expect(transport.deadLettered).toBe(0);
    await engine.close();
    await transport.close();
  });

  it('hands findings to handlers and emits their remediation results', async () => {
    const engine = createEngine({
      analyzers: [new ThresholdAnalyzer(90)],
      handlers: [
        {
          name: 'fixer',
          handleFinding: async (finding, context) =>
            context.reportRemediation({
              id: 'r1',
              findingId: finding.id,
              resource: finding.resource,
              outcome: 'succeeded',
              startedAt: 1,
              finishedAt: 2,
            }),
        },
      ],
    });
    const outcomes: string[] = [];
    engine.on('remediation', (result) => outcomes.push(result.outcome));
    await engine.ingest({ resource: 'a', metric: 'cpu', value: 99 });
    await engine.flush();
    expect(outcomes).toEqual(['succeeded']);
    const health = await engine.health();
    expect(health.status).toBe('ok');
    expect(Object.keys(health.components)).toEqual([
      'storage:memory',
      'transport:in-process',
      'analyzer:threshold',
      'handler:fixer',
    ]);
    await engine.close();
    expect((await engine.health()).status).toBe('down');
    expect(() => engine.ingest({ resource: 'a', metric: 'cpu', value: 1 })).toThrow(/closed/);
  });

  it('never crashes and never loses an accepted record under random input (property)', async () => {
    const engine = createEngine({ analyzers: [new ThresholdAnalyzer(1e9)], persistSamples: true });
    const analyzer = engine.analyzer<ThresholdAnalyzer>('threshold')!;
    let expectedAccepted = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.anything(),
            fc.record({ resource: fc.string(), metric: fc.string(), value: fc.double() }, { requiredKeys: [] }),
          ),
        ),
        async (values) => {
          const before = analyzer.seen;
          const result = await engine.ingest(values as never);
          expect(result.accepted + result.rejected).toBe(values.length);
          expectedAccepted += result.accepted;
          expect(analyzer.seen - before).toBe(result.accepted);
        },
      ),
      { numRuns: 300 },
    );
    expect(engine.stats().ingested).toBe(expectedAccepted);
    await engine.close();
  });
});
