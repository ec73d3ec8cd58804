import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Finding } from '@iac-dharma/core';
import { createPrometheusMetrics } from '@iac-dharma/core/node';
import { describe, expect, it } from 'vitest';
import { alertingRules, createFindingsMetrics, grafanaDashboard } from './index.js';

const folder = mkdtempSync(join(tmpdir(), 'dharma-rules-'));
const promtool = (args: string[], input?: string) =>
  execFileSync('promtool', args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'] });

const anomaly = (series: string, score: number, timestamp: number): Finding => ({
  kind: 'anomaly',
  id: `a-${series}-${timestamp}`,
  resource: series.split('/')[0]!,
  series,
  timestamp,
  analyzer: 'anomaly',
  severity: 'high',
  score,
  summary: 'x',
});
const forecast = (series: string, exhaustionUpperAt: number, timestamp: number): Finding => ({
  kind: 'forecast',
  id: `f-${series}`,
  resource: series.split('/')[0]!,
  series,
  timestamp,
  analyzer: 'capacity-forecaster',
  severity: 'critical',
  score: 0.9,
  summary: `${series} is forecast to fall below 0.05 in 2 h`,
  threshold: 0.05,
  exhaustionUpperAt,
  level: 0.95,
  horizon: 48,
});

describe('createFindingsMetrics', () => {
  it('exports anomaly scores, time to exhaustion and active findings, and expires them', async () => {
    let now = 1_000_000;
    const engineMetrics = createPrometheusMetrics();
    const metrics = createFindingsMetrics({
      registry: engineMetrics.registry,
      now: () => now,
      anomalyActiveMs: 60_000,
    });
    const context = {} as never;
    await metrics.handleFinding(anomaly('web-1/cpu', 0.93, now), context);
    await metrics.handleFinding(forecast('web-1/disk_free', now + 7_200_000, now), context);
    engineMetrics.findingProduced('anomaly', 'high');
    const text = await engineMetrics.registry.metrics();
    expect(text).toContain('dharma_anomaly_score{resource="web-1",series="web-1/cpu",analyzer="anomaly"} 0.93');
    expect(text).toContain(
      'dharma_forecast_exhaustion_seconds{resource="web-1",series="web-1/disk_free",direction="below"} 7200',
    );
    expect(text).toContain('dharma_active_findings{kind="anomaly",severity="high"} 1');
    expect(text).toContain('dharma_findings_total{kind="anomaly",severity="high"} 1');
    // The exposition is valid for Prometheus (promtool lints it).
    promtool(['check', 'metrics'], text);
    now += 61_000;
    const later = await engineMetrics.registry.metrics();
    expect(later).not.toContain('dharma_anomaly_score{');
    expect(later).toContain(
      'dharma_forecast_exhaustion_seconds{resource="web-1",series="web-1/disk_free",direction="below"} 7139',
    );
  });
});

describe('shipped alerting rules', () => {
  it('pass promtool check rules', () => {
    const file = join(folder, 'dharma-alerts.yml');
    writeFileSync(file, alertingRules());
    expect(promtool(['check', 'rules', file])).toMatch(/SUCCESS: 5 rules found/);
  });

  it('fire as intended on series like the exporter writes (promtool test rules)', () => {
    writeFileSync(join(folder, 'dharma-alerts.yml'), alertingRules());
    writeFileSync(
      join(folder, 'dharma-alerts.test.yml'),
      `
rule_files: [dharma-alerts.yml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'dharma_anomaly_score{resource="web-1",series="web-1/cpu",analyzer="anomaly"}'
        values: '0.5 0.9 0.95 0.97'
      - series: 'dharma_forecast_exhaustion_seconds{resource="web-1",series="web-1/disk_free",direction="below"}'
        values: '30000 20000 10000 5000'
      - series: 'dharma_active_findings{kind="forecast",severity="critical"}'
        values: '0 1 1 1'
    alert_rule_test:
      - eval_time: 3m
        alertname: DharmaAnomaly
        exp_alerts:
          - exp_labels: { severity: warning, resource: web-1, series: web-1/cpu }
            exp_annotations:
              summary: "Anomaly on web-1/cpu"
              description: "web-1/cpu of web-1 behaves unlike its past (anomaly score 0.97)."
      - eval_time: 0m
        alertname: DharmaCapacityExhaustionSoon
        exp_alerts: []
      - eval_time: 2m
        alertname: DharmaCapacityExhaustionSoon
        exp_alerts:
          - exp_labels: { severity: critical, resource: web-1, series: web-1/disk_free, direction: below }
            exp_annotations:
              summary: "web-1/disk_free runs out within 6 h"
              description: "The pessimistic forecast of web-1/disk_free crosses its limit in 2h 46m 40s."
      - eval_time: 2m
        alertname: DharmaCriticalFinding
        exp_alerts:
          - exp_labels: { severity: critical, kind: forecast }
            exp_annotations:
              summary: "1 critical forecast finding(s) active"
              description: "The engine reported critical forecast findings; see its findings stream or dharma watch."
`,
    );
    expect(promtool(['test', 'rules', join(folder, 'dharma-alerts.test.yml')])).toMatch(/SUCCESS/);
  });
});

describe('Grafana dashboard', () => {
  it('is a well-formed dashboard whose queries are valid PromQL over metrics the SDK exports', () => {
    const dashboard = grafanaDashboard();
    const json = JSON.parse(JSON.stringify(dashboard)) as typeof dashboard;
    expect(json.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(json.uid).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
    expect(json.templating.list[0]).toMatchObject({ name: 'datasource', type: 'datasource', query: 'prometheus' });
    const ids = json.panels.map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of json.panels) {
      expect(panel.gridPos.x + panel.gridPos.w).toBeLessThanOrEqual(24);
      expect(panel.datasource.uid).toBe('${datasource}');
      expect(panel.targets.length).toBeGreaterThan(0);
    }
    // No two panels overlap on the 24-column grid.
    for (const a of json.panels)
      for (const b of json.panels) {
        if (a === b) continue;
        const overlap =
          a.gridPos.x < b.gridPos.x + b.gridPos.w &&
          b.gridPos.x < a.gridPos.x + a.gridPos.w &&
          a.gridPos.y < b.gridPos.y + b.gridPos.h &&
          b.gridPos.y < a.gridPos.y + a.gridPos.h;
        expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
      }
    const exported = [
      'dharma_anomaly_score',
      'dharma_forecast_exhaustion_seconds',
      'dharma_active_findings',
      'dharma_findings_total',
      'dharma_records_ingested_total',
      'dharma_analyzer_duration_seconds_bucket',
      'dharma_errors_total',
      'dharma_records_rejected_total',
    ];
    const expressions = json.panels.flatMap((panel) => panel.targets.map((target) => target.expr));
    for (const expr of expressions)
      expect(
        exported.some((name) => expr.includes(name)),
        expr,
      ).toBe(true);
    // promtool parses every expression (as recording rules).
    const file = join(folder, 'dashboard-exprs.yml');
    writeFileSync(
      file,
      `groups:\n  - name: dashboard\n    rules:\n${expressions.map((expr, index) => `      - record: dashboard:expr_${index}\n        expr: ${JSON.stringify(expr)}\n`).join('')}`,
    );
    expect(promtool(['check', 'rules', file])).toMatch(new RegExp(`SUCCESS: ${expressions.length} rules found`));
  });
});
