import type { Finding } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import { describe, expect, it } from 'vitest';
import { createAlertmanagerHandler } from '../src/index.js';
import { listen, prometheusEnv } from './prometheus-env.js';

const env = prometheusEnv();

interface ApiAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  generatorURL: string;
  status: { state: string };
  startsAt: string;
  endsAt: string;
}

const alerts = async (resource: string): Promise<ApiAlert[]> => {
  const response = await fetch(
    `${env.alertmanager}/api/v2/alerts?filter=${encodeURIComponent(`resource="${resource}"`)}`,
  );
  return (await response.json()) as ApiAlert[];
};

describe('Alertmanager v2 sink against the real Alertmanager', () => {
  it(
    'fires an alert with labels, annotations and a generator URL, groups it, re-sends it and resolves it',
    { timeout: 90_000 },
    async () => {
      const resource = `web-${Date.now().toString(36)}`;
      // Real time (Alertmanager judges endsAt by its own clock), with a short active period.
      const clock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((done) => setTimeout(done, ms)) };
      const handler = createAlertmanagerHandler({
        url: env.alertmanager,
        clock,
        activeForMs: 15_000,
        labels: { team: 'sre' },
      });
      const finding: Finding = {
        kind: 'anomaly',
        id: 'f-1',
        resource,
        series: `${resource}/cpu_busy_ratio`,
        timestamp: clock.now(),
        analyzer: 'anomaly',
        severity: 'high',
        score: 0.93,
        value: 0.99,
        summary: `${resource}/cpu_busy_ratio is anomalous`,
        labels: { job: 'node', __name__: 'ignored', 'bad-name': 'ignored' },
      };
      await handler.handleFinding(finding, {} as never);
      const [alert] = await waitFor(
        async () => ((await alerts(resource)).length === 1 ? alerts(resource) : undefined),
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(alert!.labels).toMatchObject({
        alertname: 'DharmaAnomaly',
        severity: 'critical',
        dharma_severity: 'high',
        resource,
        series: `${resource}/cpu_busy_ratio`,
        kind: 'anomaly',
        team: 'sre',
        job: 'node',
      });
      expect(alert!.labels).not.toHaveProperty('bad-name');
      expect(alert!.annotations).toMatchObject({
        summary: `${resource}/cpu_busy_ratio is anomalous`,
        score: '0.930',
        finding_id: 'f-1',
        value: '0.99',
      });
      expect(alert!.generatorURL).toMatch(/\/dharma\/findings\/f-1$/);
      expect(alert!.status.state).toBe('active');

      // Grouped by alertname and resource (the test Alertmanager's route).
      const groups = await waitFor(
        async () => {
          const response = await fetch(
            `${env.alertmanager}/api/v2/alerts/groups?filter=${encodeURIComponent(`resource="${resource}"`)}`,
          );
          const list = (await response.json()) as Array<{ labels: Record<string, string>; alerts: ApiAlert[] }>;
          return list.length > 0 ? list : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 100 },
      );
      expect(groups[0]!.labels).toEqual({ alertname: 'DharmaAnomaly', resource });
      expect(groups[0]!.alerts).toHaveLength(1);

      // Still active: a sweep re-sends it with a later endsAt.
      const firstEnd = Date.parse(alert!.endsAt);
      await handler.handleFinding({ ...finding, id: 'f-2', timestamp: clock.now() }, {} as never);
      await handler.sweep();
      await waitFor(async () => Date.parse((await alerts(resource))[0]!.endsAt) > firstEnd, {
        timeoutMs: 10_000,
        intervalMs: 100,
      });
      expect((await alerts(resource))[0]!.startsAt).toBe(alert!.startsAt);

      // No new finding for activeForMs: the sweep resolves it (endsAt = now), so it leaves the active list.
      await waitFor(
        async () => {
          await handler.sweep();
          return handler.active().length === 0;
        },
        { timeoutMs: 40_000, intervalMs: 250, message: 'the sweep resolves the alert' },
      );
      await waitFor(async () => (await alerts(resource)).length === 0, {
        timeoutMs: 10_000,
        intervalMs: 200,
        message: 'Alertmanager shows it resolved',
      });
      expect(handler.stats()).toMatchObject({ resolved: 1, failed: 0 });
      await handler.close!();
    },
  );

  it('counts failures instead of throwing when Alertmanager is unreachable', async () => {
    const gone = await listen(() => undefined);
    await gone.close();
    const handler = createAlertmanagerHandler({ url: gone.url, retries: 1, backoffMs: 5 });
    await handler.handleFinding(
      {
        kind: 'anomaly',
        id: 'x',
        resource: 'r',
        timestamp: Date.now(),
        analyzer: 'a',
        severity: 'critical',
        score: 1,
        summary: 's',
      },
      {} as never,
    );
    expect(handler.stats().failed).toBe(1);
    expect((await handler.health!()).status).toBe('degraded');
    await handler.close!();
  });
});
