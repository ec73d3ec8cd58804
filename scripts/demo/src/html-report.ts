import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { INCIDENT_CATALOG } from '@iac-dharma/core/simulator';
import type { DemoRunResult } from './demo-run-result.js';
import { clockTime, incidentRows } from './incident-rows.js';
import { REPORT_CLIENT } from './report-client.js';
import { summaryText } from './summary-table.js';

/** uPlot's minified browser build and stylesheet, read from node_modules to be inlined (no CDN). */
function uPlotAssets(): { script: string; style: string } {
  const require = createRequire(import.meta.url);
  const folder = join(dirname(require.resolve('uplot/package.json')), 'dist');
  return {
    script: readFileSync(join(folder, 'uPlot.iife.min.js'), 'utf8'),
    style: readFileSync(join(folder, 'uPlot.min.css'), 'utf8'),
  };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!,
  );
}

/** JSON that is safe inside a `<script>` element. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const round = (value: number) => (Number.isFinite(value) ? Math.round(value * 1e4) / 1e4 : null);

/** The series drawn with their scores: each incident's primary metric, plus every series with an anomaly finding. */
function chartedSeries(result: DemoRunResult) {
  const keys: string[] = [];
  const add = (key: string) => void (result.scored.has(key) && !keys.includes(key) && keys.push(key));
  for (const incident of result.incidents) add(`${incident.service}/${INCIDENT_CATALOG[incident.kind].primaryMetric}`);
  add(`${result.scenario.diskFill.service}/disk_utilization`);
  for (const finding of result.findings) if (finding.kind === 'anomaly' && finding.series) add(finding.series);
  return keys.map((key, index) => {
    const scored = result.scored.get(key)!;
    const [resource, metric] = key.split('/') as [string, string];
    const findings = result.findings.filter((finding) => finding.kind === 'anomaly' && finding.series === key);
    const incident = result.incidents.find(
      (candidate) => candidate.service === resource && INCIDENT_CATALOG[candidate.kind].primaryMetric === metric,
    );
    return {
      id: `series-${index}`,
      key,
      metric,
      title: `${key}${incident ? ` — ${incident.kind} from ${clockTime(result, incident.startedAt)}` : ''} (${findings.length} anomaly finding${findings.length === 1 ? '' : 's'})`,
      timestamps: scored.timestamps,
      values: scored.values.map(round),
      scores: scored.scores.map(round),
      findings: findings.map((finding) => finding.timestamp),
      remediations: result.remediations
        .filter((remediation) => remediation.resource === resource && remediation.outcome !== 'dry-run')
        .map((remediation) => remediation.startedAt),
    };
  });
}

function reportData(result: DemoRunResult) {
  const lanes = [...new Set(result.remediations.map((remediation) => remediation.resource))].sort();
  const points = [...result.remediations]
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((remediation) => ({
      at: remediation.startedAt,
      lane: lanes.indexOf(remediation.resource),
      outcome: remediation.outcome,
    }));
  const forecast = result.forecast;
  const turbofan = result.turbofan;
  return {
    start: result.scenario.start,
    hours: result.scenario.durationMs / 3_600_000,
    series: chartedSeries(result),
    forecast: forecast && {
      series: forecast.series,
      threshold: forecast.finding.threshold,
      level: forecast.finding.level,
      method: forecast.finding.method ?? '',
      madeAt: clockTime(result, forecast.finding.timestamp),
      exhaustionAt: forecast.finding.exhaustionUpperAt,
      history: { timestamps: forecast.history.timestamps, values: forecast.history.values.map(round) },
      forecast: {
        timestamps: forecast.forecast.timestamps,
        point: forecast.forecast.point.map(round),
        lower: forecast.forecast.lower.map(round),
        upper: forecast.forecast.upper.map(round),
      },
    },
    turbofan: turbofan && {
      engine: turbofan.engine,
      horizon: turbofan.horizon,
      cycles: turbofan.curve.cycles,
      probability: turbofan.curve.probability.map(round),
      rul: turbofan.curve.rul.map(round),
      trueRul: turbofan.curve.trueRul,
      warningCycle: turbofan.firstWarning?.cycle ?? null,
    },
    threat: result.threat && result.threat.perStep,
    timeline: { lanes, points, outcomes: [...new Set(points.map((point) => point.outcome))] },
  };
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table><thead><tr>${header.map((cell) => `<th>${escapeHtml(cell)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** Renders the self-contained HTML report: summary, charts (uPlot inlined), remediation and approval tables. */
export function renderHtmlReport(result: DemoRunResult): string {
  const assets = uPlotAssets();
  const data = reportData(result);
  const rows = incidentRows(result).map((row) => [
    row.incident,
    row.resource,
    clockTime(result, row.startedAt),
    row.detectedAt === undefined ? '—' : clockTime(result, row.detectedAt),
    row.detectedBy,
    row.lead,
    row.remediation,
    row.outcome,
  ]);
  const remediationRows = result.remediations.map((remediation) => [
    clockTime(result, remediation.startedAt),
    remediation.resource,
    remediation.action ? `${remediation.action.plugin}.${remediation.action.action}` : '—',
    remediation.outcome,
    remediation.reason ?? '',
  ]);
  const approvalRows = result.approvals.map((decision) => [
    clockTime(result, decision.at),
    decision.resource,
    decision.action,
    decision.approved ? 'approved' : 'declined',
    decision.by,
    decision.reason,
  ]);
  const summary = summaryText(result, '(this file)')
    .split('\n')
    .filter((line) => /^(Detectors|Findings|Remediations|Approvals|Audit|Engine|Turbofan|Skipped) /.test(line));
  const section = (title: string, body: string) => `<section><h2>${escapeHtml(title)}</h2>${body}</section>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>IaC Dharma demo report</title>
<style>${assets.style}
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1140px;padding:0 16px;color:#111827}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #e5e7eb;padding-bottom:4px}
table{border-collapse:collapse;width:100%;font-size:12.5px}th,td{border:1px solid #e5e7eb;padding:4px 6px;text-align:left;vertical-align:top}th{background:#f9fafb}
.chart{margin:12px 0 20px;min-height:200px}.muted{color:#6b7280}pre{background:#f9fafb;padding:8px;white-space:pre-wrap;font-size:12.5px}
</style></head><body>
<h1>IaC Dharma demo report</h1>
<p class="muted">${escapeHtml(`${result.scenario.durationMs / 3_600_000} simulated hours, seed ${result.scenario.seed}, run in ${(result.elapsedMs / 1000).toFixed(1)} s on ${result.storage} and the in-process transport. Times are simulated hh:mm since the start; the first ${result.scenario.warmupMs / 3_600_000} h are a quiet warm-up. Everything on this page, the charting library included, is inside this file.`)}</p>
${section('Incidents', table(['incident', 'resource', 'start', 'detected', 'by', 'detection lead', 'remediation', 'outcome'], rows) + `<pre>${escapeHtml(summary.join('\n'))}</pre>`)}
${section('Series and their anomaly scores', `<p class="muted">Blue: the metric; orange: the anomaly detector's score for every sample (right axis); red dots: anomaly findings; green rings: remediations started on the resource.</p>${data.series.map((series) => `<div class="chart" id="${series.id}"></div>`).join('')}`)}
${data.forecast ? section('Capacity forecast', `<p class="muted">The forecast the CapacityForecaster published its first warning from (recomputed from the same stored points), with its interval and the pessimistic exhaustion point. The remediation policy for it is dry-run: it planned a disk clean-up and did not run it.</p><div class="chart" id="forecast-chart"></div>`) : ''}
${data.turbofan ? section('Failure prediction', `<p class="muted">One C-MAPSS FD001 training engine (${escapeHtml(data.turbofan.engine)}, held out from the failure model's training) replayed cycle by cycle as the metrics of turbofan-1. The red dot is the predictor's first warning.</p><div class="chart" id="turbofan-chart"></div>`) : ''}
${data.threat ? section('Threat detection', '<div class="chart" id="threat-chart"></div>') : ''}
${section('Remediation timeline', `<div class="chart" id="timeline-chart"></div>${table(['time', 'resource', 'action', 'outcome', 'reason'], remediationRows)}`)}
${section('Approvals', approvalRows.length === 0 ? '<p>none</p>' : table(['time', 'resource', 'action', 'decision', 'by', 'reason'], approvalRows))}
${result.missingModels.length > 0 ? section('Skipped', `<ul>${result.missingModels.map((missing) => `<li>${escapeHtml(`${missing.id}: ${missing.reason}`)}</li>`).join('')}</ul>`) : ''}
<script id="report-data" type="application/json">${scriptJson(data)}</script>
<script>${assets.script}</script>
<script>${REPORT_CLIENT}</script>
</body></html>
`;
}
