import { waitFor } from '@iac-dharma/core/testing';
import type { AnomalyEvent, Metric, StatusChange } from '@iac-dharma/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive, startTestGateway, type TestGateway } from './start-test-gateway.js';

/** Pulls `count` items from a subscription (in the background) so the test can act meanwhile. */
function collect<T>(iterator: AsyncIterableIterator<T>, count: number): { items: T[]; done: Promise<T[]> } {
  const items: T[] = [];
  const done = (async () => {
    for await (const item of iterator) {
      items.push(item);
      if (items.length >= count) break;
    }
    return items;
  })();
  return { items, done };
}

describe('gateway end to end through @iac-dharma/client', () => {
  let harness: TestGateway;
  beforeAll(async () => {
    harness = await startTestGateway();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('creates an infrastructure with compute and a process-pool deployment, and reads it back with every query', async () => {
    const { client } = harness;
    const statusChanges = collect<StatusChange>(client.infrastructureStatus({ resourceId: 'vpc-1' }), 2);
    await waitFor(() => harness.gateway.subscriptionCount === 1);

    const created = await client.createInfrastructure({
      id: 'vpc-1',
      name: 'Main VPC',
      provider: 'local',
      region: 'eu-west-1',
      labels: { team: 'sre' },
      compute: [{ id: 'node-1', name: 'Node 1', cpu: 4, memoryMiB: 8192, diskGiB: 100 }],
      deployments: [{ id: 'web', name: 'Web', image: 'web:1', replicas: 2 }],
    });
    expect(created).toMatchObject({ id: 'vpc-1', status: 'running', region: 'eu-west-1', labels: { team: 'sre' } });
    expect(created.compute).toEqual([
      expect.objectContaining({ id: 'node-1', cpu: 4, memoryMiB: 8192, infrastructureId: 'vpc-1' }),
    ]);
    const [web] = created.deployments;
    expect(web).toMatchObject({ id: 'web', replicas: 2, readyReplicas: 2, status: 'running' });
    expect(web!.pids).toHaveLength(2);
    for (const pid of web!.pids) expect(isAlive(pid)).toBe(true);

    const changes = await statusChanges.done;
    expect(changes.map((change) => [change.status, change.previousStatus])).toEqual([
      ['provisioning', null],
      ['running', 'provisioning'],
    ]);

    expect(await client.infrastructure('vpc-1')).toMatchObject({ id: 'vpc-1', name: 'Main VPC' });
    expect(await client.infrastructure('missing')).toBeNull();
    expect((await client.listInfrastructures()).map((item) => item.id)).toEqual(['vpc-1']);
    expect(await client.listInfrastructures({ status: 'stopped' })).toEqual([]);
    expect((await client.computeResources({ infrastructureId: 'vpc-1' })).map((item) => item.id)).toEqual(['node-1']);
    expect((await client.deployments()).map((item) => item.id)).toEqual(['web']);
  });

  it('streams ingested metrics, raises an anomaly alert on a spike, and stores the series', async () => {
    const { client } = harness;
    const stream = collect<Metric>(client.metricsStream({ resourceId: 'node-1', metric: 'cpu' }), 3);
    const alerts = collect<AnomalyEvent>(client.anomalyAlerts({ resourceId: 'node-1' }), 1);
    await waitFor(() => harness.gateway.subscriptionCount === 2);

    const start = Date.UTC(2026, 0, 1);
    const normal = Array.from({ length: 60 }, (_, index) => ({
      resourceId: 'node-1',
      metric: 'cpu',
      value: 0.4 + 0.02 * Math.sin(index),
      timestamp: start + index * 60_000,
    }));
    const ingested = await client.ingestMetrics(normal);
    expect(ingested).toEqual({ accepted: 60, rejected: 0, errors: [] });
    expect((await stream.done).map((metric) => metric.timestamp)).toEqual([start, start + 60_000, start + 120_000]);
    expect(alerts.items).toEqual([]);

    await client.ingestMetrics([{ resourceId: 'node-1', metric: 'cpu', value: 0.99, timestamp: start + 60 * 60_000 }]);
    const [alert] = await alerts.done;
    expect(alert).toMatchObject({ resourceId: 'node-1', series: 'node-1/cpu', value: 0.99 });
    expect(alert!.score).toBeGreaterThanOrEqual(0.6);
    await waitFor(() => harness.gateway.subscriptionCount === 0, {
      message: 'subscriptions end after the consumers break out',
    });

    expect((await client.anomalies({ resourceId: 'node-1' }))[0]?.id).toBe(alert!.id);
    const points = await client.metrics({ resourceId: 'node-1', metric: 'cpu', from: start + 59 * 60_000 });
    expect(points.map((point) => point.value)).toEqual([normal[59]!.value, 0.99]);
  });

  it('answers requestPrediction with a forecast and lists it in predictions', async () => {
    const { client } = harness;
    const start = Date.UTC(2026, 1, 1);
    const rising = Array.from({ length: 48 }, (_, index) => ({
      resourceId: 'node-1',
      metric: 'disk',
      value: 100 + 2 * index,
      timestamp: start + index * 3_600_000,
    }));
    await client.ingestMetrics(rising);
    // The disk rises by 2 per hour and ends at 194: a trend forecast crosses 220 about 13 hours later.
    const prediction = await client.requestPrediction({
      resourceId: 'node-1',
      metric: 'disk',
      horizon: 24,
      threshold: 220,
    });
    expect(prediction).toMatchObject({
      kind: 'forecast',
      resourceId: 'node-1',
      series: 'node-1/disk',
      threshold: 220,
      horizon: 24,
      severity: 'high',
    });
    expect(prediction.forecast).toHaveLength(24);
    const last = start + 47 * 3_600_000;
    expect(prediction.forecast![0]!.timestamp).toBe(last + 3_600_000);
    expect(prediction.exhaustionAt).toBeGreaterThan(last + 10 * 3_600_000);
    expect(prediction.exhaustionAt).toBeLessThan(last + 16 * 3_600_000);
    // Without a threshold the highest value seen is used: a rising series crosses it right away.
    const noThreshold = await client.requestPrediction({ resourceId: 'node-1', metric: 'disk' });
    expect(noThreshold).toMatchObject({ threshold: 194, horizon: 12 });
    const listed = await client.predictions({ resourceId: 'node-1' });
    expect(listed.map((item) => item.id)).toContain(prediction.id);
  });

  it('scales the process-pool deployment up and down through the remediator and records the history', async () => {
    const { client } = harness;
    const before = (await client.deployments())[0]!;
    const up = await client.scaleDeployment({ deploymentId: 'web', replicas: 4, reason: 'load test' });
    expect(up.remediation).toMatchObject({
      outcome: 'succeeded',
      resourceId: 'web',
      action: { plugin: 'infrastructure', action: 'scale', params: { replicas: 4 } },
    });
    expect(up.deployment).toMatchObject({ replicas: 4, readyReplicas: 4, status: 'running' });
    expect(up.deployment.pids).toHaveLength(4);
    expect(up.deployment.pids).toEqual(expect.arrayContaining(before.pids));
    for (const pid of up.deployment.pids) expect(isAlive(pid)).toBe(true);

    const down = await client.scaleDeployment({ deploymentId: 'web', replicas: 1 });
    expect(down.remediation.outcome).toBe('succeeded');
    expect(down.deployment).toMatchObject({ replicas: 1, readyReplicas: 1 });
    const stopped = up.deployment.pids.filter((pid) => !down.deployment.pids.includes(pid));
    expect(stopped).toHaveLength(3);
    await waitFor(() => stopped.every((pid) => !isAlive(pid)), { message: 'scaled-down workers exit' });
    expect(isAlive(down.deployment.pids[0]!)).toBe(true);

    const history = await client.remediationHistory({ resourceId: 'web' });
    const outcomes = history.filter((record) => record.outcome !== null);
    // The first remediation is createInfrastructure starting the replicas (through the remediator too).
    expect(outcomes.map((record) => record.remediationId).slice(1)).toEqual([up.remediation.id, down.remediation.id]);
    expect(outcomes).toHaveLength(3);
    expect(outcomes.every((record) => record.outcome === 'succeeded')).toBe(true);
    // A hash chain: each record carries the previous record's hash.
    for (let index = 1; index < history.length; index++)
      expect(history[index]!.prevHash).toBe(history[index - 1]!.hash);
    expect(JSON.stringify(history)).toContain('test-operator');
  });

  it('deletes the infrastructure, stopping its workers', async () => {
    const { client } = harness;
    const pids = (await client.deployments())[0]!.pids;
    expect(await client.deleteInfrastructure('vpc-1')).toBe(true);
    expect(await client.deleteInfrastructure('vpc-1')).toBe(false);
    expect(await client.infrastructure('vpc-1')).toBeNull();
    expect(await client.deployments()).toEqual([]);
    await waitFor(() => pids.every((pid) => !isAlive(pid)));
  });

  it('serves /health and /metrics', async () => {
    const base = harness.url.replace(/\/graphql$/, '');
    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    const body = (await health.json()) as { status: string; components: Record<string, unknown> };
    expect(body.status).toBe('ok');
    expect(Object.keys(body.components)).toEqual(
      expect.arrayContaining(['storage:memory', 'gateway', 'provider:process-pool']),
    );
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/dharma_records_ingested_total\{kind="metric"\} 109/);
    expect(metrics).toMatch(
      /dharma_gateway_operations_total\{type="mutation",field="scaleDeployment",outcome="ok"\} 2/,
    );
  });
});
