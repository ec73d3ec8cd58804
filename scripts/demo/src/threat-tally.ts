import type { EventRecordInput, Finding } from '@iac-dharma/core';
import type { ThreatOutcome } from './demo-run-result.js';

/** Counts the edge gateway's traffic per step and what the threat detector flagged in it. */
export class ThreatTally {
  readonly outcome: ThreatOutcome;

  constructor(scanSource: string) {
    this.outcome = {
      scanSource,
      scanConnections: 0,
      normalConnections: 0,
      flaggedScan: 0,
      flaggedNormal: 0,
      categories: {},
      perStep: { timestamps: [], normal: [], scan: [], flagged: [] },
    };
  }

  /** Notes one step's generated connections. */
  traffic(at: number, normal: readonly EventRecordInput[], scan: readonly EventRecordInput[]): void {
    const outcome = this.outcome;
    outcome.normalConnections += normal.length;
    outcome.scanConnections += scan.length;
    outcome.perStep.timestamps.push(at);
    outcome.perStep.normal.push(normal.length);
    outcome.perStep.scan.push(scan.length);
  }

  /** Notes the step's findings: threat findings on the scanner's connections (by their `source` label) or on normal traffic. */
  findings(findings: readonly Finding[]): void {
    const outcome = this.outcome;
    let flagged = 0;
    for (const finding of findings) {
      if (finding.kind !== 'threat') continue;
      flagged++;
      if (finding.labels?.['source'] === outcome.scanSource) outcome.flaggedScan++;
      else outcome.flaggedNormal++;
      outcome.categories[finding.category] = (outcome.categories[finding.category] ?? 0) + 1;
      outcome.firstFlagAt ??= finding.timestamp;
    }
    outcome.perStep.flagged.push(flagged);
  }
}
