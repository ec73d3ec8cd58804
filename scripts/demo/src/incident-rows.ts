import { INCIDENT_CATALOG } from '@iac-dharma/core/simulator';
import type { DemoRunResult } from './demo-run-result.js';

/** One line of the summary table: an incident, how and when it was detected, and what was done. */
export interface IncidentRow {
  incident: string;
  resource: string;
  startedAt: number;
  detectedAt?: number;
  detectedBy: string;
  /** Detection lead: how long before the breach (or end of life) it was detected, or what happened instead. */
  lead: string;
  remediation: string;
  outcome: string;
}

const MINUTE = 60_000;
/** Findings up to this long after an incident ends still belong to it (the signal settling). */
const SETTLE_MS = 30 * MINUTE;

/** Formats simulated time as hours:minutes since the start of the run (may exceed 24). */
export function clockTime(result: DemoRunResult, at: number): string {
  const minutes = Math.round((at - result.scenario.start) / MINUTE);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A duration in simulated time: `45 s`, `12 min`, `3.4 h`. */
export function duration(ms: number): string {
  const absolute = Math.abs(ms);
  if (absolute < MINUTE) return `${Math.round(absolute / 1000)} s`;
  if (absolute < 120 * MINUTE) return `${Math.round(absolute / MINUTE)} min`;
  return `${(absolute / 3_600_000).toFixed(1)} h`;
}

/** Builds the incident rows (fleet incidents, the slow disk fill, the turbofan, the port scan). */
export function incidentRows(result: DemoRunResult): IncidentRow[] {
  const rows: IncidentRow[] = [];
  const end = result.scenario.start + result.scenario.durationMs;
  for (const incident of result.incidents) {
    const until = (incident.resolvedAt ?? end) + SETTLE_MS;
    const first = result.findings.find(
      (finding) =>
        finding.resource === incident.service &&
        finding.kind === 'anomaly' &&
        finding.timestamp >= incident.startedAt &&
        finding.timestamp <= until,
    );
    const breach = result.breaches[incident.id];
    const metric = first?.series?.split('/')[1] ?? first?.kind;
    let lead = 'not detected';
    if (first) {
      if (breach === undefined) lead = incident.resolvedAt !== undefined ? 'breach prevented' : 'no breach';
      else if (first.timestamp === breach) lead = 'at the breach (same sample)';
      else
        lead =
          first.timestamp < breach
            ? `${duration(breach - first.timestamp)} before the breach`
            : `${duration(first.timestamp - breach)} after the breach`;
    }
    const attempts = result.remediations.filter(
      (remediation) =>
        remediation.resource === incident.service &&
        remediation.startedAt >= incident.startedAt &&
        remediation.startedAt <= until,
    );
    rows.push({
      incident: incident.kind,
      resource: incident.service,
      startedAt: incident.startedAt,
      ...(first ? { detectedAt: first.timestamp } : {}),
      detectedBy: first ? `anomaly: ${metric}` : '—',
      lead,
      remediation: grouped(
        attempts.map(
          (attempt) =>
            `${attempt.action ? attempt.action.action : 'no action'}${attempt.findingId.startsWith('manual:') ? ' by hand' : ''} ${attempt.outcome}`,
        ),
      ),
      outcome:
        incident.resolvedAt !== undefined
          ? `fixed ${clockTime(result, incident.resolvedAt)} by ${incident.resolvedBy}`
          : `open (fix: ${INCIDENT_CATALOG[incident.kind].fixedBy.join('/')})`,
    });
  }
  const fill = result.scenario.diskFill;
  const forecast = result.forecast;
  const forecastRemediations = result.remediations.filter(
    (remediation) => remediation.resource === fill.service && remediation.action?.action === 'clean-disk',
  );
  rows.push({
    incident: 'disk filling slowly',
    resource: fill.service,
    startedAt: fill.startAt,
    ...(forecast ? { detectedAt: forecast.finding.timestamp } : {}),
    detectedBy: forecast
      ? `forecast: ${Math.round(fill.threshold * 100)}% by ${clockTime(result, forecast.finding.exhaustionUpperAt!)}${forecast.finding.exhaustionAt !== undefined ? ` (point ${clockTime(result, forecast.finding.exhaustionAt)})` : ' (pessimistic)'}`
      : 'not forecast',
    lead: forecast
      ? `${duration(forecast.trueCrossingAt - forecast.finding.timestamp)} before it is full (true crossing ${clockTime(result, forecast.trueCrossingAt)})`
      : '—',
    remediation:
      forecastRemediations.length === 0
        ? 'none'
        : grouped(forecastRemediations.map((remediation) => `clean-disk ${remediation.outcome}`)),
    outcome: 'planned only (dry-run policy)',
  });
  const turbofan = result.turbofan;
  if (turbofan) {
    const warning = turbofan.firstWarning;
    rows.push({
      incident: `turbofan wear (C-MAPSS ${turbofan.engine})`,
      resource: result.scenario.turbofan.resource,
      startedAt: result.scenario.start,
      ...(warning ? { detectedAt: warning.finding.timestamp } : {}),
      detectedBy:
        warning && warning.finding.kind === 'prediction'
          ? `prediction: P(fail ≤ ${turbofan.horizon} cycles) = ${warning.finding.probability.toFixed(2)}`
          : 'no warning',
      lead: warning
        ? `cycle ${warning.cycle}: ${turbofan.cycles - warning.cycle} cycles (${duration(turbofan.endOfLifeAt - warning.finding.timestamp)}) before failure`
        : '—',
      remediation: 'none (reported)',
      outcome: `fails at cycle ${turbofan.cycles}`,
    });
  }
  const threat = result.threat;
  if (threat) {
    rows.push({
      incident: 'port scan',
      resource: result.scenario.portScan.target,
      startedAt: result.scenario.portScan.at,
      ...(threat.firstFlagAt !== undefined ? { detectedAt: threat.firstFlagAt } : {}),
      detectedBy:
        threat.flaggedScan > 0
          ? `threat: ${Object.keys(threat.categories).join('/')}, ${threat.flaggedScan}/${threat.scanConnections} flagged`
          : 'not detected',
      lead:
        threat.firstFlagAt !== undefined
          ? `${duration(threat.firstFlagAt - result.scenario.portScan.at)} after it began`
          : '—',
      remediation: 'none (reported)',
      outcome: `${threat.flaggedNormal} of ${threat.normalConnections} normal flagged`,
    });
  }
  return rows;
}

/** Anomaly findings on fleet services outside every incident window (false alarms). */
export function unexplainedAnomalies(result: DemoRunResult): number {
  const end = result.scenario.start + result.scenario.durationMs;
  return result.findings.filter((finding) => {
    if (finding.kind !== 'anomaly' || !result.scenario.services.includes(finding.resource)) return false;
    if (
      finding.resource === result.scenario.diskFill.service &&
      finding.series?.endsWith('/disk_utilization') &&
      finding.timestamp >= result.scenario.diskFill.startAt
    )
      return false;
    return !result.incidents.some(
      (incident) =>
        incident.service === finding.resource &&
        finding.timestamp >= incident.startedAt &&
        finding.timestamp <= (incident.resolvedAt ?? end) + SETTLE_MS,
    );
  }).length;
}

/** `restart succeeded, migrate rejected ×2`: repeated entries counted, order kept. */
function grouped(entries: readonly string[]): string {
  if (entries.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const entry of entries) counts.set(entry, (counts.get(entry) ?? 0) + 1);
  return [...counts].map(([entry, count]) => (count > 1 ? `${entry} ×${count}` : entry)).join(', ');
}
