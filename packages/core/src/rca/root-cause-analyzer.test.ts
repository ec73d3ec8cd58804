import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/validation-error.js';
import { simulateCallGraphIncident } from '../simulator/call-graph-simulator.js';
import type { NodeMetrics } from './metric-change.js';
import { RootCauseAnalyzer } from './root-cause-analyzer.js';
import { ROOT_CAUSE_METHODS } from './root-cause-options.js';
import { createServiceGraph, serviceGraphFromSpans } from './service-graph.js';

// frontend → api → db, frontend → cache; five 5-minute steps, the fault from step 2 on.
const graph = createServiceGraph([
  { caller: 'frontend', callee: 'api' },
  { caller: 'api', callee: 'db' },
  { caller: 'frontend', callee: 'cache' },
]);
const timestamps = [0, 300, 600, 900, 1200];
const series = (latency: number[], availability = [100, 100, 100, 100, 100]): NodeMetrics => ({
  timestamps,
  values: { latency, availability },
});
const metrics = {
  frontend: series([0.1, 0.1, 0.62, 0.6, 0.61]),
  api: series([0.05, 0.05, 0.55, 0.56, 0.55]),
  db: series([0.02, 0.02, 0.52, 0.51, 0.52]),
  cache: series([0.01, 0.011, 0.01, 0.0105, 0.01]),
};
const target = { node: 'frontend', metric: 'latency', time: 620 };

describe('RootCauseAnalyzer', () => {
  it('blames the deepest anomalous node and explains the path and what moved', () => {
    const result = new RootCauseAnalyzer().analyze({ graph, metrics, target });
    expect(result.ranking[0]).toBe('db');
    const top = result.candidates[0]!;
    expect(top.path).toEqual(['db', 'api', 'frontend']);
    expect(top.changes[0]).toMatchObject({ metric: 'latency', before: 0.02 });
    expect(top.changes[0]!.after).toBeCloseTo(0.52, 2);
    expect(top.explanation).toContain('db → api → frontend');
    expect(top.score).toBe(1);
    expect(result.candidates.at(-1)!.node).toBe('cache');
  });

  it('blames an availability drop where it starts, not where it propagates', () => {
    const errors = {
      frontend: series([0.1, 0.1, 0.1, 0.1, 0.1], [100, 100, 95, 94, 95]),
      api: series([0.05, 0.05, 0.05, 0.05, 0.05], [100, 100, 95, 94, 95]),
      db: series([0.02, 0.02, 0.02, 0.02, 0.02]),
      cache: series([0.01, 0.01, 0.01, 0.01, 0.01]),
    };
    for (const method of ['blame', 'traversal'] as const) {
      expect(
        new RootCauseAnalyzer({ method }).analyze({
          graph,
          metrics: errors,
          target: { ...target, metric: 'availability' },
        }).ranking[0],
      ).toBe('api');
    }
  });

  it('does not depend on node names or their order', () => {
    const rename = (name: string): string => `x${name.length}${name.split('').reverse().join('')}`;
    const renamed = createServiceGraph(
      [...graph.nodes]
        .reverse()
        .flatMap((node) => graph.callees(node).map((callee) => ({ caller: rename(node), callee: rename(callee) }))),
    );
    const renamedMetrics = Object.fromEntries(
      Object.entries(metrics)
        .reverse()
        .map(([node, value]) => [rename(node), value]),
    );
    for (const method of ROOT_CAUSE_METHODS) {
      const plain = new RootCauseAnalyzer({ method }).analyze({ graph, metrics, target }).ranking;
      const opaque = new RootCauseAnalyzer({ method }).analyze({
        graph: renamed,
        metrics: renamedMetrics,
        target: { ...target, node: rename('frontend') },
      }).ranking;
      expect(opaque).toEqual(plain.map(rename));
    }
  });

  it('finds most injected faults in random simulated service graphs', () => {
    const analyzer = new RootCauseAnalyzer();
    let hits = 0;
    const incidents = 20;
    for (let seed = 1; seed <= incidents; seed += 1) {
      const incident = simulateCallGraphIncident({ seed, services: 15 });
      if (analyzer.analyze(incident).ranking.slice(0, 3).includes(incident.rootCause)) hits += 1;
    }
    expect(hits / incidents).toBeGreaterThanOrEqual(0.85);
  });

  it('rejects a target outside the graph and bad options with a ValidationError naming the field', () => {
    const analyzer = new RootCauseAnalyzer();
    const error = (() => {
      try {
        analyzer.analyze({ graph, metrics, target: { ...target, node: 'nowhere' } });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe('target.node');
    expect(() => new RootCauseAnalyzer({ threshold: -1 })).toThrow(/options\.threshold/);
  });
});

describe('serviceGraphFromSpans', () => {
  it('links services through parent spans and ignores calls within a service', () => {
    const built = serviceGraphFromSpans([
      { spanId: 'a', serviceName: 'web' },
      { spanId: 'b', parentSpanId: 'a', serviceName: 'web' },
      { spanId: 'c', parentSpanId: 'b', serviceName: 'orders' },
      { spanId: 'd', parentSpanId: 'c', serviceName: 'postgres' },
      { spanId: 'e', parentSpanId: 'missing', serviceName: 'orphan' },
    ]);
    expect(built.callees('web')).toEqual(['orders']);
    expect(built.callees('orders')).toEqual(['postgres']);
    expect(built.callers('postgres')).toEqual(['orders']);
    expect(built.has('orphan')).toBe(true);
    expect(built.callees('orphan')).toEqual([]);
  });
});
