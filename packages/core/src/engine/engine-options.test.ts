import { describe, expect, it } from 'vitest';
import { createServiceGraph } from '../rca/service-graph.js';
import type { AnalyzerFinding, IngestRecord } from '../index.js';
import {
  FindingSchema,
  InProcessTransport,
  ValidationError,
  createEngine,
  linkRootCause,
  type Analyzer,
  type Finding,
} from '../index.js';
import { waitFor } from '../testing/index.js';

/** Flags every metric sample as a high-severity anomaly. */
const flagEverything: Analyzer = {
  name: 'flag',
  accepts: ['metric'],
  analyze: (records: readonly IngestRecord[]): AnalyzerFinding[] =>
    records.flatMap((record) =>
      record.kind === 'metric'
        ? [
            {
              kind: 'anomaly' as const,
              resource: record.resource,
              timestamp: record.timestamp,
              severity: 'high' as const,
              score: 1,
              summary: 'flagged',
            },
          ]
        : [],
    ),
};

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).field;
  }
  return undefined;
}

describe('engine options', () => {
  it('rejects a wrong option with a ValidationError naming it', () => {
    expect(fieldOf(() => createEngine({ maxInFlightPublishes: 0 }))).toBe('maxInFlightPublishes');
    expect(fieldOf(() => createEngine({ storage: 'memory' as never }))).toBe('storage');
    expect(fieldOf(() => createEngine({ topics: { anomaly: '' } }))).toBe('topics.anomaly');
    expect(fieldOf(() => createEngine({ rootCause: { graph: createServiceGraph([]), windowMs: -1 } }))).toBe(
      'rootCause.windowMs',
    );
  });

  it('keeps the default topic of every kind a partial `topics` leaves out, or sets to undefined', async () => {
    const transport = new InProcessTransport();
    const received: Record<string, Finding[]> = { custom: [], alerts: [], anomalies: [] };
    for (const topic of Object.keys(received))
      await transport.subscribe({
        topic,
        handler: async (message) => void received[topic]!.push(message.value as Finding),
      });
    const engine = createEngine({
      transport,
      analyzers: [flagEverything],
      topics: { anomaly: 'custom', alert: undefined },
      closeAdapters: false,
    });
    await engine.ingest({ resource: 'web-1', metric: 'cpu', value: 1, timestamp: 1 });
    await engine.flush();
    await waitFor(() => received.custom!.length === 1 && received.alerts!.length === 1);
    expect(received.anomalies).toHaveLength(0);
    await engine.close();
    await transport.close();
  });

  it('validates the options of consume()', async () => {
    const engine = createEngine();
    await expect(engine.consume({ topics: [''] })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      field: 'topics.0',
    });
    await engine.close();
  });

  it('validates the options of linkRootCause()', async () => {
    const finding = FindingSchema.parse({
      kind: 'anomaly',
      id: 'f',
      analyzer: 'a',
      resource: 'web-1',
      timestamp: 1,
      severity: 'high',
      score: 1,
      summary: 's',
    });
    await expect(
      linkRootCause(
        finding,
        undefined as never,
        { graph: createServiceGraph([]), kinds: ['nonsense' as never] },
        () => 'id',
      ),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR', field: 'kinds.0' });
  });
});
