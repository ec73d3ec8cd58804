import type { DemoRunResult } from './demo-run-result.js';
import { clockTime, incidentRows, unexplainedAnomalies } from './incident-rows.js';

/** Lays out rows as a plain-text table with a header and aligned columns. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}

/** Counts by key, formatted `3 succeeded · 1 dry-run`. */
function counts(values: readonly string[]): string {
  const map = new Map<string, number>();
  for (const value of values) map.set(value, (map.get(value) ?? 0) + 1);
  return map.size === 0 ? 'none' : [...map].map(([key, count]) => `${count} ${key}`).join(' · ');
}

/** The end-of-run summary: incidents with detection lead times, remediations and outcomes, the audit check. */
export function summaryText(result: DemoRunResult, reportPath: string): string {
  const { scenario } = result;
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
  const lines = [
    '',
    `IaC Dharma demo — ${scenario.durationMs / 3_600_000} simulated hours of a ${scenario.services.length}-service fleet, a turbofan and an edge gateway (seed ${scenario.seed}), run in ${(result.elapsedMs / 1000).toFixed(1)} s`,
    `Embedded default: ${result.storage}, in-process transport. Times are simulated hh:mm since the start; the first ${scenario.warmupMs / 3_600_000} h are a quiet warm-up.`,
    '',
    textTable(['incident', 'resource', 'start', 'detected', 'by', 'detection lead', 'remediation', 'outcome'], rows),
    '',
    `Detectors     anomaly (${result.strategy === 'z-score' ? 'z-score strategy, threshold 0.8' : 'default ensemble strategy, threshold 0.6'}), capacity forecaster (disk ≥ ${Math.round(scenario.diskFill.threshold * 100)}%)${result.turbofan ? ', failure predictor (ONNX)' : ''}${result.threat ? ', threat detector (ONNX)' : ''}`,
    `Findings      ${counts(result.findings.map((finding) => finding.kind))}; ${unexplainedAnomalies(result)} anomalies on the fleet outside any incident (false alarms)`,
    `Remediations  ${counts(result.remediations.map((remediation) => remediation.outcome))}`,
    `Approvals     ${result.approvals.filter((decision) => decision.approved).length} approved, ${result.approvals.filter((decision) => !decision.approved).length} declined (actions above low risk need one)`,
    `Audit         ${result.historyVerified.records} hash-chained history records, ${result.historyVerified.ok ? 'verified intact' : `BROKEN: ${result.historyVerified.reason}`}`,
    `Engine        ${result.engineStats.ingested} records ingested, ${result.engineStats.rejected} rejected, ${result.engineStats.errors} errors`,
  ];
  if (result.turbofan) {
    const validation =
      result.turbofan.validationEngine === true
        ? 'a validation engine the failure model never trained on'
        : result.turbofan.validationEngine === false
          ? "NOT listed among the model card's validation engines"
          : 'validation status unknown (the model card does not list its split)';
    lines.push(
      `Turbofan      replays C-MAPSS ${result.turbofan.engine} (${result.turbofan.cycles} cycles, run to failure; ${validation}), sensor by sensor, into the failure predictor`,
    );
  }
  for (const missing of result.missingModels)
    lines.push(
      `Skipped       the ${missing.id} model is not available, so that analyzer is not part of this run: ${missing.reason}`,
    );
  lines.push(`Report        ${reportPath}`, '');
  return lines.join('\n');
}
