import type { Finding } from '@iac-dharma/core';
import type { FailurePredictor, ModelCard } from '@iac-dharma/models';
import type { TurbofanOutcome } from './demo-run-result.js';
import type { DemoScenario } from './demo-scenario.js';
import type { TurbofanTrajectory } from './turbofan-replay.js';

/**
 * What the failure predictor said along the replayed trajectory: the first `prediction` finding the
 * engine raised, and (for the chart) the same model's probability and predicted remaining cycles at
 * every cycle, computed in one batch over the same windows the analyzer saw.
 */
export async function turbofanOutcome(options: {
  predictor: FailurePredictor;
  card: ModelCard;
  trajectory: TurbofanTrajectory;
  sensors: readonly string[];
  scenario: DemoScenario;
  findings: readonly Finding[];
}): Promise<TurbofanOutcome> {
  const { trajectory, sensors, scenario, card } = options;
  const length = card.window?.length ?? 30;
  const rows = trajectory.cycles.map((cycle) => sensors.map((sensor) => cycle.sensors[sensor]!));
  const histories = rows.map((_, index) => rows.slice(Math.max(0, index + 1 - length), index + 1));
  const predictions = await options.predictor.predictBatch(histories, { explain: false });
  const timeOf = (index: number) => scenario.start + (index + 1) * scenario.turbofan.cycleMs;
  const first = options.findings.find(
    (finding) => finding.kind === 'prediction' && finding.resource === scenario.turbofan.resource,
  );
  const last = trajectory.cycles.length;
  return {
    engine: trajectory.engine,
    validationEngine: isValidationEngine(card, trajectory.engine),
    cycles: last,
    endOfLifeAt: timeOf(last - 1),
    curve: {
      timestamps: rows.map((_, index) => timeOf(index)),
      cycles: trajectory.cycles.map((cycle) => cycle.cycle),
      probability: predictions.map((prediction) => prediction.probability),
      rul: predictions.map((prediction) => prediction.timeToFailure ?? Number.NaN),
      trueRul: trajectory.cycles.map((_, index) => last - (index + 1)),
    },
    horizon: predictions[0]?.horizon ?? 30,
    ...(first
      ? {
          firstWarning: {
            finding: first,
            cycle: Math.round((first.timestamp - scenario.start) / scenario.turbofan.cycleMs),
          },
        }
      : {}),
  };
}

/**
 * Whether the model card lists `engine` (e.g. `FD001/22`) among the engines held out for validation; the
 * card's `training.split` names them, e.g. "validation engines ['FD001/3', 'FD001/5', ...]". `undefined`
 * when the card does not describe its split.
 */
export function isValidationEngine(card: ModelCard, engine: string): boolean | undefined {
  const split = card.training['split'];
  const text = typeof split === 'string' ? split : split === undefined ? '' : JSON.stringify(split);
  return text === '' ? undefined : new RegExp(`['"]${engine}['"]`).test(text);
}
