import type { Finding } from '../schemas/finding.js';
import type { HistoryRecord } from '../schemas/remediation.js';
import type { Resource } from '../schemas/resource.js';

let counter = 0;

/** A valid anomaly finding for tests; override any field. */
export function makeAnomalyFinding(overrides: Partial<Extract<Finding, { kind: 'anomaly' }>> = {}): Finding {
  counter++;
  return {
    kind: 'anomaly',
    id: `finding-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    resource: 'web-1',
    series: 'web-1/cpu',
    timestamp: Date.UTC(2026, 0, 1) + counter * 1000,
    analyzer: 'test',
    severity: 'medium',
    score: 0.9,
    summary: 'cpu is unusually high',
    value: 97,
    ...overrides,
  };
}

/** A valid history record for tests (hashes are placeholders: storage does not check them). */
export function makeHistoryRecord(seq: number, overrides: Partial<HistoryRecord> = {}): HistoryRecord {
  return {
    seq,
    id: `record-${seq}`,
    timestamp: Date.UTC(2026, 0, 1) + seq * 1000,
    type: 'plan',
    remediationId: `remediation-${Math.ceil(seq / 2)}`,
    resource: 'web-1',
    data: { step: seq },
    prevHash: seq === 1 ? '' : `hash-${seq - 1}`,
    hash: `hash-${seq}`,
    ...overrides,
  };
}

/** A valid deployment resource for tests. */
export function makeDeployment(id: string, replicas = 2): Resource {
  return {
    type: 'deployment',
    id,
    name: id,
    labels: { team: 'core' },
    status: 'running',
    replicas,
    readyReplicas: replicas,
  };
}
