import type { AnomalyEvent, Prediction } from '../types/findings.js';
import type { IngestResult, RemediationRecord, RemediationResult, ScaleResult } from '../types/remediation.js';
import type {
  Compute,
  Deployment,
  Infrastructure,
  InfrastructureDetail,
  Metric,
  StatusChange,
} from '../types/resources.js';
import { renderSelection, type Selection } from './selection.js';

const resourceTimes = { createdAt: true, updatedAt: true } as const;

/** Selection text of each result type (exported for the SDL conformance test). */
export const selections = (() => {
  const infrastructure = renderSelection<Infrastructure>({
    id: true,
    name: true,
    provider: true,
    region: true,
    status: true,
    labels: true,
    spec: true,
    ...resourceTimes,
  });
  const compute = renderSelection<Compute>({
    id: true,
    name: true,
    infrastructureId: true,
    status: true,
    labels: true,
    cpu: true,
    memoryMiB: true,
    diskGiB: true,
    ...resourceTimes,
  });
  const deployment = renderSelection<Deployment>({
    id: true,
    name: true,
    infrastructureId: true,
    image: true,
    status: true,
    labels: true,
    replicas: true,
    readyReplicas: true,
    pids: true,
    ...resourceTimes,
  });
  const infrastructureDetail = renderSelection<InfrastructureDetail>({
    id: true,
    name: true,
    provider: true,
    region: true,
    status: true,
    labels: true,
    spec: true,
    ...resourceTimes,
    compute,
    deployments: deployment,
  });
  const metric = renderSelection<Metric>({ resourceId: true, metric: true, timestamp: true, value: true });
  const predictionFields: Selection<Prediction> = {
    id: true,
    resourceId: true,
    kind: true,
    analyzer: true,
    severity: true,
    score: true,
    summary: true,
    timestamp: true,
    series: true,
    probability: true,
    horizon: true,
    timeToFailure: true,
    threshold: true,
    exhaustionAt: true,
    exhaustionUpperAt: true,
    level: true,
    method: true,
    model: true,
    topFactors: '{ feature weight }',
    forecast: '{ timestamp value lower upper }',
  };
  const prediction = renderSelection(predictionFields);
  const anomalyEvent = renderSelection<AnomalyEvent>({
    id: true,
    resourceId: true,
    series: true,
    analyzer: true,
    severity: true,
    score: true,
    summary: true,
    timestamp: true,
    value: true,
    expected: true,
  });
  const remediationResult = renderSelection<RemediationResult>({
    id: true,
    resourceId: true,
    findingId: true,
    action: '{ plugin action params }',
    outcome: true,
    reason: true,
    startedAt: true,
    finishedAt: true,
  });
  const remediationRecord = renderSelection<RemediationRecord>({
    seq: true,
    id: true,
    timestamp: true,
    type: true,
    remediationId: true,
    resourceId: true,
    outcome: true,
    data: true,
    prevHash: true,
    hash: true,
  });
  const scaleResult = renderSelection<ScaleResult>({ remediation: remediationResult, deployment });
  const ingestResult = renderSelection<IngestResult>({ accepted: true, rejected: true, errors: true });
  const statusChange = renderSelection<StatusChange>({
    resourceId: true,
    resourceType: true,
    status: true,
    previousStatus: true,
    replicas: true,
    readyReplicas: true,
    timestamp: true,
  });
  return {
    infrastructure,
    compute,
    deployment,
    infrastructureDetail,
    metric,
    prediction,
    anomalyEvent,
    remediationResult,
    remediationRecord,
    scaleResult,
    ingestResult,
    statusChange,
  };
})();
