/**
 * Remediation benchmark on the fleet simulator (not a test): learning curve, auto-remediation rate, simulated
 * MTTR, guard violations (checked independently from the audit history) and unsafe actions in dry-run.
 * Run: npx tsx --conditions=@iac-dharma/source bench/src/remediation/remediation-bench.ts [episodes] [seeds]
 * Writes bench/results/remediation.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Engine, MemoryStorage, Remediator, type GuardsConfigInput, type HistoryRecord } from '@iac-dharma/core';
import { FleetSimulator, createThresholdAnalyzer } from '@iac-dharma/core/simulator';
import { ManualClock } from '@iac-dharma/core/testing';

const EPISODES = Number(process.argv[2] ?? 200);
const SEEDS = Array.from({ length: Number(process.argv[3] ?? 5) }, (_, index) => 101 + index);
const BLOCK = 20;
/** Simulated quiet time between incidents, in ms: incidents do not arrive back to back. */
const QUIET_MS = 15 * 60_000;
const ACTIONS = ['restart', 'scale-out', 'clean-disk', 'rollback-deploy', 'migrate'];
const GUARDS = {
  cooldown: { resourceMs: 10_000, actionMs: 600_000 },
  rateLimit: { perResource: { max: 12, windowMs: 3_600_000 }, perAction: { max: 60, windowMs: 3_600_000 } },
  blastRadius: { maxResources: 4, windowMs: 600_000 },
  circuitBreaker: { failureThreshold: 3, resetAfterMs: 600_000 },
} satisfies GuardsConfigInput;

function setup(seed: number, mode: 'enforce' | 'dry-run') {
  const clock = new ManualClock();
  const storage = new MemoryStorage();
  const fleet = new FleetSimulator({ clock, seed, services: 6 });
  const remediator = new Remediator({
    storage,
    clock,
    plugins: [fleet.plugin()],
    learner: { seed },
    guards: GUARDS,
    policies: [
      {
        name: 'fleet',
        mode,
        match: { kinds: ['anomaly'] },
        maxAttempts: 2,
        actions: ACTIONS.map((action) => ({ plugin: 'fleet', action })),
        verify: { windowMs: 30_000, intervalMs: 5_000, consecutive: 2 },
      },
    ],
  });
  const engine = new Engine({
    storage,
    clock,
    analyzers: [createThresholdAnalyzer({ rules: fleet.thresholdRules() })],
    handlers: [remediator],
    publishFindings: false,
    closeAdapters: false,
  });
  const firstFinding = new Map<string, number>();
  engine.on('finding', (finding) => {
    const incident = fleet.activeIncidents().find((item) => item.service === finding.resource);
    if (incident && !firstFinding.has(incident.id)) firstFinding.set(incident.id, finding.timestamp);
  });
  const run = (durationMs: number, until?: () => boolean, stepMs = 5_000) =>
    fleet.runFor(durationMs, {
      stepMs,
      ingest: (samples) => engine.ingest(samples),
      pendingWork: () => remediator.pendingWork(),
      ...(until ? { until } : {}),
    });
  return { clock, storage, fleet, remediator, engine, firstFinding, run };
}

/** Replays the audit history and counts every execution that broke a guard limit. */
function guardViolations(history: HistoryRecord[]): number {
  const executions = history
    .filter((record) => record.type === 'execution')
    .map((record) => {
      const action = record.data.action as { plugin: string; action: string };
      return {
        at: record.timestamp,
        resource: record.resource,
        action: `${action.plugin}.${action.action}`,
        remediation: record.remediationId,
      };
    });
  let violations = 0;
  executions.forEach((execution, index) => {
    const before = executions.slice(0, index);
    const within = (ms: number) => before.filter((other) => execution.at - other.at < ms);
    if (
      within(GUARDS.cooldown.resourceMs).some(
        (other) => other.resource === execution.resource && other.remediation !== execution.remediation,
      )
    )
      violations++;
    if (
      within(GUARDS.cooldown.actionMs).some(
        (other) => other.resource === execution.resource && other.action === execution.action,
      )
    )
      violations++;
    if (
      within(GUARDS.rateLimit.perResource.windowMs).filter((other) => other.resource === execution.resource).length >=
      GUARDS.rateLimit.perResource.max
    )
      violations++;
    if (
      within(GUARDS.rateLimit.perAction.windowMs).filter((other) => other.action === execution.action).length >=
      GUARDS.rateLimit.perAction.max
    )
      violations++;
    const radius = new Set(within(GUARDS.blastRadius.windowMs).map((other) => other.resource));
    if (!radius.has(execution.resource) && radius.size >= GUARDS.blastRadius.maxResources) violations++;
  });
  return violations;
}

async function learningRun(seed: number) {
  const { fleet, remediator, storage, firstFinding, run, engine } = setup(seed, 'enforce');
  const episodes: Array<{ auto: boolean; firstTry: boolean; mttrMs?: number; resolved: boolean }> = [];
  for (let episode = 0; episode < EPISODES; episode++) {
    const incident = fleet.injectRandom()!;
    const isResolved = () => fleet.incidents().find((item) => item.id === incident.id)!.resolvedAt !== undefined;
    await run(30 * 60_000, isResolved);
    await run(60_000); // let verification and learning finish
    await run(QUIET_MS, undefined, 60_000); // quiet time before the next incident (sampled once a minute)
    const final = fleet.incidents().find((item) => item.id === incident.id)!;
    const attempts = fleet.actionLog().filter((entry) => entry.incidentId === incident.id);
    const records = await storage.readHistory({ resource: incident.service, from: incident.startedAt });
    const remediations = new Set(
      records.filter((record) => record.type === 'plan').map((record) => record.remediationId),
    );
    const verifiedAt = records.find((record) => record.type === 'outcome' && record.outcome === 'succeeded')?.timestamp;
    const detectedAt = firstFinding.get(incident.id);
    episodes.push({
      resolved: final.resolvedAt !== undefined,
      // Auto-remediated: fixed by the first remediation the incident triggered (no escalation to a human).
      auto: final.resolvedAt !== undefined && remediations.size === 1,
      firstTry: attempts[0]?.fixed ?? false,
      // MTTR: from the first finding until the fix was verified (the remediation's `succeeded` outcome).
      ...(verifiedAt !== undefined && detectedAt !== undefined ? { mttrMs: verifiedAt - detectedAt } : {}),
    });
    if (!final.resolvedAt) fleet.applyAction(incident.service, INCIDENT_FIX[final.kind]); // a human fixes it
  }
  const history = await storage.readHistory({});
  const verified = await remediator.verifyHistory();
  await engine.close();
  return {
    episodes,
    guardViolations: guardViolations(history),
    historyOk: verified.ok,
    historyRecords: history.length,
  };
}

const INCIDENT_FIX = {
  'memory-leak': 'restart',
  'cpu-saturation': 'scale-out',
  'disk-filling': 'clean-disk',
  'bad-deploy': 'rollback-deploy',
  'noisy-neighbour': 'migrate',
} as const;

async function dryRun(seed: number) {
  const { fleet, remediator, run, engine } = setup(seed, 'dry-run');
  for (let index = 0; index < 4; index++) fleet.injectRandom();
  await run(20 * 60_000);
  const stats = remediator.stats();
  await engine.close();
  return { unsafeActions: fleet.actionLog().length, dryRunDecisions: stats.outcomes['dry-run'] };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const summary = (values: number[]) => ({
  median: median(values),
  min: Math.min(...values),
  max: Math.max(...values),
  runs: values.length,
});
const rate = (items: boolean[]) => items.filter(Boolean).length / Math.max(1, items.length);

const runs: Array<
  { seed: number; wallMs: number } & Awaited<ReturnType<typeof learningRun>> & Awaited<ReturnType<typeof dryRun>>
> = [];
for (const seed of SEEDS) {
  const started = performance.now();
  const learning = await learningRun(seed);
  const dry = await dryRun(seed);
  runs.push({ seed, ...learning, ...dry, wallMs: performance.now() - started });
  console.log(
    `seed ${seed}: auto ${rate(learning.episodes.slice(BLOCK).map((e) => e.auto)).toFixed(3)} violations ${learning.guardViolations} unsafe-dry-run ${dry.unsafeActions} (${Math.round(performance.now() - started)} ms)`,
  );
}

const blocks = Math.ceil(EPISODES / BLOCK);
const learningCurve = Array.from({ length: blocks }, (_, block) => {
  const slice = (run: (typeof runs)[number]) => run.episodes.slice(block * BLOCK, (block + 1) * BLOCK);
  return {
    episodes: `${block * BLOCK + 1}-${Math.min(EPISODES, (block + 1) * BLOCK)}`,
    autoRemediationRate: summary(runs.map((run) => rate(slice(run).map((e) => e.auto)))),
    firstActionCorrectRate: summary(runs.map((run) => rate(slice(run).map((e) => e.firstTry)))),
  };
});
const afterWarmup = (run: (typeof runs)[number]) => run.episodes.slice(BLOCK);
const result = {
  benchmark: 'remediation',
  description: `Fleet simulator (6 services, 5 incident kinds, 5 actions), threshold analyzer, Remediator with Thompson sampling, maxAttempts 2, 5 s sampling; ${EPISODES} sequential incidents per seed (15 simulated quiet minutes between them), ${SEEDS.length} seeds. Auto-remediated = fixed by the first remediation the incident triggered (no escalation). MTTR = simulated time from the first finding to the verified fix (the remediation's succeeded outcome). Warm-up = first ${BLOCK} episodes.`,
  command:
    'npx tsx --conditions=@iac-dharma/source bench/src/remediation/remediation-bench.ts ' +
    `${EPISODES} ${SEEDS.length}`,
  seeds: SEEDS,
  autoRemediationRateAfterWarmup: summary(runs.map((run) => rate(afterWarmup(run).map((e) => e.auto)))),
  autoRemediationRateLast100: summary(runs.map((run) => rate(run.episodes.slice(-100).map((e) => e.auto)))),
  resolvedAutomaticallyEventually: summary(runs.map((run) => rate(run.episodes.map((e) => e.resolved)))),
  mttrSecondsMedianAfterWarmup: summary(
    runs.map((run) => median(afterWarmup(run).flatMap((e) => (e.mttrMs === undefined ? [] : [e.mttrMs / 1000])))),
  ),
  mttrSecondsP95AfterWarmup: summary(
    runs.map((run) => {
      const values = afterWarmup(run)
        .flatMap((e) => (e.mttrMs === undefined ? [] : [e.mttrMs / 1000]))
        .sort((a, b) => a - b);
      return values[Math.floor(0.95 * (values.length - 1))]!;
    }),
  ),
  guardViolations: summary(runs.map((run) => run.guardViolations)),
  unsafeActionsInDryRun: summary(runs.map((run) => run.unsafeActions)),
  dryRunDecisions: summary(runs.map((run) => run.dryRunDecisions)),
  historyChainIntact: runs.every((run) => run.historyOk),
  historyRecords: summary(runs.map((run) => run.historyRecords)),
  wallMsPerSeed: summary(runs.map((run) => run.wallMs)),
  learningCurve,
  measuredAt: new Date().toISOString(),
};
mkdirSync(new URL('../../results/', import.meta.url), { recursive: true });
writeFileSync(new URL('../../results/remediation.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
console.log(
  JSON.stringify(
    {
      ...result,
      learningCurve: learningCurve.map(
        (block) =>
          `${block.episodes}: auto ${block.autoRemediationRate.median.toFixed(2)} first ${block.firstActionCorrectRate.median.toFixed(2)}`,
      ),
    },
    null,
    2,
  ),
);
