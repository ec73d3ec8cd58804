import type { Finding } from '@iac-dharma/core';
import { ManualClock } from '@iac-dharma/core/testing';
import { describe, expect, it } from 'vitest';
import { listen } from '../test/prometheus-env.js';
import { createPagerDutyHandler, createSlackHandler } from './index.js';

/** A local HTTP receiver that records JSON bodies and answers with the given statuses in turn. */
async function receiver(statuses: number[] = []) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of several receivers, read field by field
  const bodies: Array<{ path: string; body: any; contentType: string | undefined }> = [];
  let call = 0;
  const server = await listen((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const status = statuses[call++] ?? 200;
      if (status < 300)
        bodies.push({
          path: request.url!,
          body: JSON.parse(Buffer.concat(chunks).toString()),
          contentType: request.headers['content-type'],
        });
      response.writeHead(status, status === 429 ? { 'retry-after': '0' } : {});
      response.end(status === 202 ? JSON.stringify({ status: 'success', message: 'Event processed' }) : 'ok');
    });
  });
  return { ...server, bodies };
}

const finding = (severity: Finding['severity'], resource = 'db-1', series = 'db-1/disk_free'): Finding => ({
  kind: 'forecast',
  id: `f-${severity}-${resource}`,
  resource,
  series,
  timestamp: Date.UTC(2026, 0, 1, 12),
  analyzer: 'capacity-forecaster',
  severity,
  score: 0.9,
  summary: `${series} is forecast to fall below 0.05 in 3 h <soon> & more`,
  threshold: 0.05,
  exhaustionAt: Date.UTC(2026, 0, 1, 15),
  level: 0.95,
  horizon: 48,
});

describe('Slack incoming webhook handler', () => {
  it('posts text + Block Kit blocks within Slack limits, routes by severity, de-duplicates and rate-limits', async () => {
    const oncall = await receiver();
    const ops = await receiver([200, 429, 200]);
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const slack = createSlackHandler({
      webhookUrl: `${ops.url}/services/T0/B0/ops`,
      routes: [{ minSeverity: 'critical', webhookUrl: `${oncall.url}/services/T0/B0/oncall` }],
      minSeverity: 'medium',
      maxPerMinute: 3,
      backoffMs: 1,
      clock,
      link: (item) => `https://grafana.example/d/dharma?var-series=${encodeURIComponent(item.series ?? '')}`,
    });
    await slack.handleFinding(finding('critical'), {} as never);
    await slack.handleFinding(finding('medium', 'web-1', 'web-1/disk_free'), {} as never);
    await slack.handleFinding(finding('low', 'web-2', 'web-2/disk_free'), {} as never); // below minSeverity
    await slack.handleFinding(finding('medium', 'web-1', 'web-1/disk_free'), {} as never); // duplicate
    await slack.handleFinding(finding('high', 'web-1', 'web-1/disk_free'), {} as never); // severity rose: sent (after a 429 retry)
    await slack.handleFinding(finding('medium', 'web-3', 'web-3/disk_free'), {} as never); // 4th message this minute: rate-limited
    await slack.flush!();
    expect(oncall.bodies).toHaveLength(1);
    expect(ops.bodies).toHaveLength(2);
    expect(slack.stats()).toEqual({ sent: 3, deduplicated: 1, rateLimited: 1, filtered: 1, failed: 0 });
    const message = oncall.bodies[0]!;
    expect(message.contentType).toBe('application/json');
    expect(message.body.text).toMatch(/^:red_circle: CRITICAL forecast on db-1: /);
    const [header, summary, fields, context] = message.body.blocks;
    expect(header).toEqual({ type: 'header', text: { type: 'plain_text', text: expect.any(String), emoji: true } });
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(summary.type).toBe('section');
    expect(summary.text).toEqual({
      type: 'mrkdwn',
      text: 'db-1/disk_free is forecast to fall below 0.05 in 3 h &lt;soon&gt; &amp; more',
    });
    expect(fields.fields.length).toBeLessThanOrEqual(10);
    for (const field of fields.fields) expect(field.type).toBe('mrkdwn');
    expect(context.elements[0].text).toMatch(
      /^<https:\/\/grafana\.example\/d\/dharma\?var-series=db-1%2Fdisk_free\|Open>/,
    );
    await oncall.close();
    await ops.close();
  });
});

describe('PagerDuty Events v2 handler', () => {
  it('sends trigger events per the Events API v2 shape, retries 5xx, routes by severity and resolves by dedup_key', async () => {
    const pagerduty = await receiver([202, 503, 202, 202]);
    const clock = new ManualClock(Date.UTC(2026, 0, 1, 12));
    const handler = createPagerDutyHandler({
      url: `${pagerduty.url}/v2/enqueue`,
      routingKey: 'R0UTINGKEY00000000000000000000000',
      routes: [{ resource: '^db-', minSeverity: 'medium', routingKey: 'DATABASEKEY000000000000000000000' }],
      backoffMs: 1,
      clock,
    });
    await handler.handleFinding(finding('critical', 'web-1', 'web-1/disk_free'), {} as never);
    await handler.handleFinding(finding('medium'), {} as never); // routed to the database service (5xx, retried)
    await handler.handleFinding(finding('medium', 'web-9', 'web-9/disk_free'), {} as never); // below the default's 'high'
    await handler.resolve(finding('medium'));
    expect(pagerduty.bodies).toHaveLength(3);
    const [trigger, routed, resolve] = pagerduty.bodies.map((entry) => entry.body);
    expect(trigger).toEqual({
      routing_key: 'R0UTINGKEY00000000000000000000000',
      event_action: 'trigger',
      dedup_key: 'iac-dharma:forecast|web-1|web-1/disk_free',
      payload: {
        summary: expect.stringMatching(/^web-1\/disk_free is forecast/),
        source: 'web-1',
        severity: 'critical',
        timestamp: '2026-01-01T12:00:00.000Z',
        component: 'web-1',
        group: 'web-1/disk_free',
        class: 'forecast',
        custom_details: expect.objectContaining({
          finding_id: 'f-critical-web-1',
          analyzer: 'capacity-forecaster',
          score: 0.9,
        }),
      },
      client: 'IaC Dharma AIOps SDK',
    });
    expect(['critical', 'error', 'warning', 'info']).toContain(trigger.payload.severity);
    expect(routed).toMatchObject({ routing_key: 'DATABASEKEY000000000000000000000', payload: { severity: 'warning' } });
    expect(resolve).toEqual({
      routing_key: 'DATABASEKEY000000000000000000000',
      event_action: 'resolve',
      dedup_key: 'iac-dharma:forecast|db-1|db-1/disk_free',
    });
    expect(handler.stats()).toMatchObject({ sent: 3, filtered: 1, failed: 0 });
    await pagerduty.close();
  });
});
