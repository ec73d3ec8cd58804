import { describe, expect, it } from 'vitest';
import { createServiceGraph } from '../rca/service-graph.js';
import { serviceGraphFromInventory } from '../rca/service-graph.js';
import { createRecordingPlugin } from '../remediation/remediation-test-kit.js';
import { createRemediator } from '../remediation/remediator.js';
import type { Finding, RootCauseFinding } from '../schemas/finding.js';
import { createThresholdAnalyzer } from '../simulator/threshold-analyzer.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { ManualClock } from '../testing/index.js';
import { Engine } from './engine.js';

const graph = createServiceGraph([
  { caller: 'frontend', callee: 'api' },
  { caller: 'api', callee: 'db' },
  { caller: 'frontend', callee: 'cache' },
]);
const own = { frontend: 0.03, api: 0.02, db: 0.01, cache: 0.005 };

/** Latency of each node at a step: own time plus its callees', db slowed by `extra` seconds. */
function latencies(step: number, extra: number): Record<string, number> {
  const wiggle = (node: string) => own[node as keyof typeof own] * (1 + 0.05 * Math.sin(step * 1.7 + node.length));
  const db = wiggle('db') + extra;
  const api = wiggle('api') + db;
  const cache = wiggle('cache');
  return { db, api, cache, frontend: wiggle('frontend') + api + cache };
}

async function run(rootCause: boolean) {
  const storage = new MemoryStorage();
  const engine = new Engine({
    storage,
    analyzers: [createThresholdAnalyzer({ rules: [{ metric: 'latency', resource: 'frontend', above: 0.2 }] })],
    ...(rootCause ? { rootCause: { graph } } : {}),
  });
  const findings: Finding[] = [];
  const step = 60_000;
  for (let index = 0; index < 40; index += 1) {
    const values = latencies(index, index >= 36 ? 0.4 : 0);
    const result = await engine.ingest(
      Object.entries(values).map(([resource, value]) => ({
        resource,
        metric: 'latency',
        value,
        timestamp: index * step,
      })),
    );
    findings.push(...result.findings);
  }
  await engine.close();
  return findings;
}

describe('engine root-cause step', () => {
  it('links an anomaly on a graph node to a root-cause finding on the node where it started', async () => {
    const findings = await run(true);
    const anomalies = findings.filter((finding) => finding.kind === 'anomaly');
    const causes = findings.filter((finding): finding is RootCauseFinding => finding.kind === 'root-cause');
    expect(anomalies.length).toBeGreaterThan(0);
    expect(causes).toHaveLength(anomalies.length);
    const first = causes[0]!;
    expect(first.resource).toBe('db');
    expect(first.symptomFindingId).toBe(anomalies[0]!.id);
    expect(first.symptomResource).toBe('frontend');
    expect(first.path).toEqual(['db', 'api', 'frontend']);
    expect(first.candidates[0]!.explanation).toMatch(/latency .* → /);
    expect(first.summary).toContain('started at db');
  });

  it('adds nothing without rootCause options', async () => {
    expect((await run(false)).some((finding) => finding.kind === 'root-cause')).toBe(false);
  });

  it('lets a remediation policy target the root cause instead of the symptom', async () => {
    const cause = (await run(true)).find((finding): finding is RootCauseFinding => finding.kind === 'root-cause')!;
    const remediator = createRemediator({
      storage: new MemoryStorage(),
      clock: new ManualClock(),
      plugins: [createRecordingPlugin({ restart: { describe: () => 'would restart' } })],
      policies: [
        { name: 'origin', match: { kinds: ['root-cause'] }, actions: [{ plugin: 'test', action: 'restart' }] },
      ],
    });
    const result = await remediator.remediate(cause);
    expect(result?.resource).toBe('db');
    expect(result?.outcome).toBe('dry-run');
  });

  it('builds the graph from inventory labels', () => {
    const built = serviceGraphFromInventory([
      { id: 'web', labels: { calls: 'api, cache' } },
      { id: 'api', labels: { calls: 'db' } },
      { id: 'db' },
    ]);
    expect(built.callees('web')).toEqual(['api', 'cache']);
    expect(built.callers('db')).toEqual(['api']);
  });
});
