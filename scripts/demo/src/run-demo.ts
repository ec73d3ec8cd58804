import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CapacityForecaster,
  Engine,
  zScoreStrategy,
  Remediator,
  type Analyzer,
  type Finding,
  type IngestRecordInput,
  type RemediationResult,
} from '@iac-dharma/core';
import { FleetSimulator, FLEET_METRICS, INCIDENT_CATALOG } from '@iac-dharma/core/simulator';
import { ManualClock } from '@iac-dharma/core/testing';
import { FailurePredictor, ThreatDetector } from '@iac-dharma/models';
import { SqliteStorage } from '@iac-dharma/storage-sqlite';
import { ConnectionGenerator } from './connection-generator.js';
import { createOnCallApprover, DEMO_GUARDS, DEMO_POLICIES, type ApprovalDecision } from './demo-policies.js';
import type { DemoRunResult, MissingModel } from './demo-run-result.js';
import { createDemoScenario } from './demo-scenario.js';
import { snapshotForecast } from './forecast-snapshot.js';
import { ThreatTally } from './threat-tally.js';
import { loadDemoModel } from './models-status.js';
import { RecordingAnomalyDetector } from './recording-anomaly-detector.js';
import { cycleSamples, readTurbofanTrajectory } from './turbofan-replay.js';
import { isValidationEngine, turbofanOutcome } from './turbofan-outcome.js';

/** Options of {@link runDemo}. */
export interface RunDemoOptions {
  seed: number;
  hours: number;
  /** SQLite file; a temporary one (deleted afterwards) when absent. */
  db?: string;
  /** ONNX artifacts folder. @default the bundled artifacts */
  models?: string;
  /** Anomaly strategy. @default 'z-score' */
  strategy?: 'z-score' | 'ensemble';
  /** Called after every simulated step. */
  onProgress?(progress: { now: number; done: number; total: number; findings: number; remediations: number }): void;
  /** Called for notable moments (an incident starts, its first detection, a remediation ends...). */
  onEvent?(event: { at: number; kind: string; text: string }): void;
}

const FORECAST_STEP_MS = 300_000;

/** Runs the whole demo on simulated time and returns what happened. */
export async function runDemo(options: RunDemoOptions): Promise<DemoRunResult> {
  const startedAt = performance.now();
  const trajectory = readTurbofanTrajectory();
  const scenario = createDemoScenario({ seed: options.seed, hours: options.hours, cycles: trajectory.cycles.length });
  const clock = new ManualClock(scenario.start);
  const temporary = options.db ? undefined : mkdtempSync(join(tmpdir(), 'dharma-demo-'));
  const databasePath = options.db ?? join(temporary!, 'demo.sqlite');
  const storage = new SqliteStorage({ path: databasePath });
  const emit = (kind: string, text: string) => options.onEvent?.({ at: clock.now(), kind, text });

  const fleet = new FleetSimulator({ clock, seed: options.seed, services: scenario.services });
  for (const resource of fleet.resources()) await storage.putResource({ resource });
  await storage.putResource({
    resource: {
      type: 'infrastructure',
      id: scenario.turbofan.resource,
      name: `turbofan (C-MAPSS ${trajectory.engine})`,
      provider: 'simulated',
      status: 'running',
      labels: {},
      spec: {},
    },
  });
  await storage.putResource({
    resource: {
      type: 'infrastructure',
      id: scenario.portScan.target,
      name: 'edge gateway',
      provider: 'simulated',
      status: 'running',
      labels: {},
      spec: {},
    },
  });

  // The simulated fleet's metrics are steady with Gaussian noise: the z-score strategy at 0.8 (about 8
  // standard deviations) suits them; `--strategy ensemble` shows the SDK default on the same data.
  const detector =
    options.strategy === 'ensemble'
      ? new RecordingAnomalyDetector()
      : new RecordingAnomalyDetector({ strategy: zScoreStrategy(), threshold: 0.8 });
  const forecaster = new CapacityForecaster({
    targets: [{ metric: 'disk_utilization', threshold: scenario.diskFill.threshold }],
    horizon: scenario.forecastHorizon,
    stepMs: FORECAST_STEP_MS,
    level: 0.95,
    renotifyMs: 6 * 3_600_000,
  });
  const analyzers: Analyzer[] = [detector, forecaster];
  const missingModels: MissingModel[] = [];
  const failureModel = await loadDemoModel('failure', options.models);
  const threatModel = await loadDemoModel('threat', options.models);
  const predictor = failureModel.ready
    ? new FailurePredictor({ model: failureModel.model, threshold: 0.5, cooldownMs: 6 * 3_600_000 })
    : undefined;
  const threatDetector = threatModel.ready ? new ThreatDetector({ model: threatModel.model }) : undefined;
  if (predictor) analyzers.push(predictor);
  else if (!failureModel.ready) missingModels.push({ id: 'failure', reason: failureModel.reason });
  if (threatDetector) analyzers.push(threatDetector);
  else if (!threatModel.ready) missingModels.push({ id: 'threat', reason: threatModel.reason });
  const sensors = failureModel.ready ? failureModel.model.card.features.map((feature) => feature.name) : [];

  const approvals: ApprovalDecision[] = [];
  const remediator = new Remediator({
    storage,
    clock,
    plugins: [fleet.plugin()],
    policies: DEMO_POLICIES,
    guards: DEMO_GUARDS,
    approve: createOnCallApprover(() => clock.now(), approvals),
    learner: { seed: options.seed },
  });
  const engine = new Engine({ storage, clock, analyzers, handlers: [remediator] });
  await engine.start();
  if (failureModel.ready) {
    const heldOut = isValidationEngine(failureModel.model.card, trajectory.engine);
    const status =
      heldOut === true
        ? "held out from the failure model's training"
        : heldOut === false
          ? 'NOT a validation engine of this model'
          : 'the model card does not list its split';
    emit(
      'setup',
      `${scenario.turbofan.resource} replays C-MAPSS ${trajectory.engine} (${trajectory.cycles.length} cycles, run to failure; ${status}), one cycle every ${Math.round(scenario.turbofan.cycleMs / 60_000)} simulated min`,
    );
  }
  emit(
    'setup',
    `${scenario.diskFill.service}'s disk fills slowly all day; the forecaster re-forecasts every ${scenario.forecastEveryMs / 60_000} simulated min`,
  );

  const findings: Finding[] = [];
  const remediations: RemediationResult[] = [];
  const firstFindingOn = new Set<string>();
  engine.on('finding', (finding) => {
    findings.push(finding);
    const key = `${finding.kind}:${finding.resource}`;
    if (firstFindingOn.has(key)) return;
    firstFindingOn.add(key);
    emit(finding.kind, finding.summary);
  });
  remediator.on('remediation', (result) => {
    remediations.push(result);
    const action = result.action ? `${result.action.plugin}.${result.action.action}` : 'no action';
    emit(
      'remediation',
      `${result.outcome.padEnd(9)} ${action} on ${result.resource}${result.reason ? ` — ${result.reason}` : ''}`,
    );
  });
  engine.on('error', (error, context) =>
    emit('error', `${context.source}${context.component ? ` (${context.component})` : ''}: ${error.message}`),
  );

  const connections = new ConnectionGenerator(options.seed, scenario.portScan.target);
  const threat = new ThreatTally(scenario.portScan.source);
  const thresholds = new Map(FLEET_METRICS.map((metric) => [metric.name, metric.threshold]));
  const breaches: Record<string, number> = {};
  const pendingIncidents = [...scenario.incidents];
  let manualPending = true;
  let nextCycle = 0;
  let lastForecast = scenario.start;
  const total = Math.round(scenario.durationMs / scenario.stepMs);

  for (let step = 1; step <= total; step++) {
    const previous = clock.now();
    await clock.advance(scenario.stepMs);
    const now = clock.now();
    while (pendingIncidents.length > 0 && pendingIncidents[0]!.at <= now) {
      const planned = pendingIncidents.shift()!;
      fleet.inject({ service: planned.service, kind: planned.kind });
      emit('incident', `${planned.kind} starts on ${planned.service} (${INCIDENT_CATALOG[planned.kind].description})`);
    }
    if (manualPending && scenario.manualMigration.at <= now) {
      manualPending = false;
      emit('manual', `operator asks to migrate ${scenario.manualMigration.service} in the maintenance window`);
      void remediator.execute({
        action: { plugin: 'fleet', action: 'migrate', params: {} },
        resourceId: scenario.manualMigration.service,
        requestedBy: 'operator',
        reason: 'noisy neighbour: move in the maintenance window',
      });
    }

    const records: IngestRecordInput[] = fleet.sample();
    for (const sample of records as Array<{ resource: string; metric: string; value: number }>) {
      if (
        sample.resource === scenario.diskFill.service &&
        sample.metric === 'disk_utilization' &&
        now > scenario.diskFill.startAt
      ) {
        sample.value = Math.min(
          1,
          sample.value + (scenario.diskFill.ratePerHour * (now - scenario.diskFill.startAt)) / 3_600_000,
        );
      }
      for (const incident of fleet.activeIncidents()) {
        if (incident.service !== sample.resource || INCIDENT_CATALOG[incident.kind].primaryMetric !== sample.metric)
          continue;
        if (breaches[incident.id] === undefined && sample.value > thresholds.get(sample.metric as never)!)
          breaches[incident.id] = now;
      }
    }
    if (predictor) {
      while (
        nextCycle < trajectory.cycles.length &&
        scenario.start + (nextCycle + 1) * scenario.turbofan.cycleMs <= now
      ) {
        const timestamp = scenario.start + (nextCycle + 1) * scenario.turbofan.cycleMs;
        records.push(
          ...cycleSamples({
            resource: scenario.turbofan.resource,
            row: trajectory.cycles[nextCycle]!,
            sensors,
            timestamp,
          }),
        );
        nextCycle++;
      }
    }
    if (threatDetector) {
      const normal = connections.normal(previous, scenario.stepMs);
      const scan =
        scenario.portScan.at >= previous && scenario.portScan.at < now
          ? connections.scan(
              scenario.portScan.at,
              scenario.portScan.durationMs,
              scenario.portScan.connections,
              scenario.portScan.source,
            )
          : [];
      if (scan.length > 0)
        emit(
          'attack',
          `port scan from ${scenario.portScan.source}: ${scan.length} connections to ${new Set(scan.map((event) => event.attributes?.['service'])).size} services in ${scenario.portScan.durationMs / 1000} s`,
        );
      threat.traffic(now, normal, scan);
      records.push(...[...normal, ...scan].sort((a, b) => Number(a.timestamp) - Number(b.timestamp)));
    }

    const result = await engine.ingest(records);
    if (threatDetector) threat.findings(result.findings);
    if (now - lastForecast >= scenario.forecastEveryMs) {
      lastForecast = now;
      await engine.tick();
    }
    // Let remediations finish what they can (history hashing, SQLite) before simulated time moves on.
    const settleBy = performance.now() + 30_000;
    while (remediator.pendingWork() > 0 && performance.now() < settleBy)
      await new Promise((resolve) => setImmediate(resolve));
    options.onProgress?.({ now, done: step, total, findings: findings.length, remediations: remediations.length });
  }

  await engine.flush();
  const forecastFinding = findings.find(
    (finding) => finding.kind === 'forecast' && finding.resource === scenario.diskFill.service,
  );
  const forecast =
    forecastFinding?.kind === 'forecast'
      ? await snapshotForecast({ storage, finding: forecastFinding, scenario, stepMs: FORECAST_STEP_MS })
      : undefined;
  const turbofan =
    predictor && failureModel.ready
      ? await turbofanOutcome({ predictor, card: failureModel.model.card, trajectory, sensors, scenario, findings })
      : undefined;
  const historyCheck = await remediator.verifyHistory();
  const records = (await remediator.history({})).length;
  const result: DemoRunResult = {
    scenario,
    strategy: options.strategy ?? 'z-score',
    elapsedMs: 0,
    findings,
    remediations,
    approvals,
    incidents: fleet.incidents(),
    breaches,
    actions: fleet.actionLog(),
    scored: detector.scored,
    ...(forecast ? { forecast } : {}),
    ...(turbofan ? { turbofan } : {}),
    ...(threatDetector ? { threat: threat.outcome } : {}),
    missingModels,
    historyVerified: { ok: historyCheck.ok, ...(historyCheck.reason ? { reason: historyCheck.reason } : {}), records },
    engineStats: engine.stats(),
    storage: options.db ? `SQLite file ${options.db}` : 'SQLite (temporary file, deleted)',
  };
  await engine.close();
  if (failureModel.ready) await failureModel.model.release();
  if (threatModel.ready) await threatModel.model.release();
  if (temporary) rmSync(temporary, { recursive: true, force: true });
  result.elapsedMs = performance.now() - startedAt;
  return result;
}
