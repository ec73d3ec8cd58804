/**
 * M4 Hourly interval study (not a benchmark, not a test): the interval recipes tried for issue 21, each scored
 * by MSIS and coverage of 95% intervals on the development origin (where choices are made) and the
 * validation origin (where they are judged), around the default `select` point forecast. Point forecasts and
 * holdout errors are computed once; the recipes only re-shape intervals.
 *
 *   npx tsx --conditions=@iac-dharma/source bench/src/m4/m4-interval-study.ts
 */
import { forecastSeries } from '@iac-dharma/core';
import { builtInMethods } from '../../../packages/core/src/forecast/built-in-methods.js';
import { holdoutErrors, safeForecast } from '../../../packages/core/src/forecast/model-selection.js';
import { predictionIntervals } from '../../../packages/core/src/forecast/prediction-intervals.js';
import { M4_HOURLY_TRAIN, readM4, validationSplit } from './m4-data.js';
import { coverage, msis } from './m4-metrics.js';

const HORIZON = 48;
const SEASONS = [24, 168];
const context = { seasonLengths: SEASONS, augurs: undefined };
const methods = builtInMethods(SEASONS);

interface Component {
  point: number[];
  errors: number[][];
}
interface Case {
  insample: number[];
  actual: number[];
  method: string;
  /** The chosen method: its forecast and holdout errors at up to 11 origins (most recent first). */
  chosen: Component;
  /** Other methods on 4 origins (absent when they cannot run). */
  others: Map<string, Component>;
}
type Recipe = (entry: Case) => { lower: number[]; upper: number[] };

const series = readM4(M4_HOURLY_TRAIN);
const origins = {
  development: validationSplit(
    series.map((entry) => ({ id: entry.id, values: entry.values.slice(0, -HORIZON) })),
    HORIZON,
  ),
  validation: validationSplit(series, HORIZON),
};
const cases: Record<string, Case[]> = {};
for (const [origin, split] of Object.entries(origins)) {
  cases[origin] = split.map((entry) => {
    const result = forecastSeries(entry.insample, { horizon: HORIZON, seasonLengths: SEASONS, intervalBlend: 0 });
    const chosenMethod = methods.get(result.method);
    const others = new Map<string, Component>();
    for (const name of ['seasonal-naive-24', 'theta', 'damped-holt', 'autoregression', 'naive', 'drift']) {
      const method = methods.get(name)!;
      const point = safeForecast(method, entry.insample, HORIZON, context);
      const errors = holdoutErrors(method, entry.insample, HORIZON, 0, 4, context);
      if (point && errors.length > 0 && name !== result.method) others.set(name, { point, errors });
    }
    return {
      insample: entry.insample,
      actual: entry.actual,
      method: result.method,
      chosen: {
        point: result.point,
        errors: chosenMethod ? holdoutErrors(chosenMethod, entry.insample, HORIZON, 0, 11, context) : [],
      },
      others,
    };
  });
}

function evaluate(name: string, recipe: Recipe): void {
  const parts = Object.entries(cases).map(([origin, entries]) => {
    let msisSum = 0;
    let coverageSum = 0;
    for (const entry of entries) {
      let { lower, upper } = recipe(entry);
      if (entry.insample.every((value) => value >= 0)) lower = lower.map((value) => Math.max(0, value));
      msisSum += msis(entry.insample, entry.actual, lower, upper, 24);
      coverageSum += coverage(entry.actual, lower, upper);
    }
    return `${origin} MSIS ${(msisSum / entries.length).toFixed(3)} cover ${((100 * coverageSum) / entries.length).toFixed(2)}%`;
  });
  console.log(`${parts.join('  |  ')}   ${name}`);
}

/** The shipped per-method interval (step^0.25 growth, per-phase scale) on the first `windows` holdouts. */
const shaped = (component: Component, calibration: number, windows = 4) =>
  predictionIntervals({
    point: component.point,
    errors: component.errors.slice(0, windows),
    level: 0.95,
    fallbackScale: 0,
    period: 24,
    calibration,
  });
const meanAbsolute = (errors: number[][]) =>
  errors.flat().reduce((sum, value) => sum + Math.abs(value), 0) / Math.max(1, errors.flat().length);
const blend = (a: { lower: number[]; upper: number[] }, b: { lower: number[]; upper: number[] }, weight: number) => ({
  lower: a.lower.map((value, index) => (1 - weight) * value + weight * b.lower[index]!),
  upper: a.upper.map((value, index) => (1 - weight) * value + weight * b.upper[index]!),
});
const quantile = (sorted: number[], p: number) => {
  const position = p * (sorted.length - 1);
  const low = Math.floor(position);
  return low + 1 < sorted.length ? sorted[low]! + (position - low) * (sorted[low + 1]! - sorted[low]!) : sorted[low]!;
};

// 1. The unblended recipe with more or fewer holdout windows.
for (const windows of [2, 4, 6, 8, 11])
  evaluate(`unblended, ${windows} holdout windows (4 = before this round)`, (entry) =>
    shaped(entry.chosen, 1.1, windows),
  );
// 2. Empirical (conformal) quantiles of the step-scaled holdout errors, symmetric and asymmetric.
for (const asymmetric of [false, true]) {
  evaluate(`empirical quantiles of e_h / h^0.25, ${asymmetric ? 'asymmetric' : 'symmetric'}, x1.1`, ({ chosen }) => {
    const scaled = chosen.errors
      .slice(0, 4)
      .flatMap((errors) => errors.map((error, index) => error / (index + 1) ** 0.25));
    if (scaled.length === 0) return { lower: chosen.point, upper: chosen.point };
    const sorted = (asymmetric ? scaled : scaled.map(Math.abs)).sort((a, b) => a - b);
    const high = 1.1 * (asymmetric ? Math.max(0, quantile(sorted, 0.975)) : quantile(sorted, 0.95));
    const low = asymmetric ? 1.1 * Math.min(0, quantile(sorted, 0.025)) : -high;
    return {
      lower: chosen.point.map((value, index) => value + low * (index + 1) ** 0.25),
      upper: chosen.point.map((value, index) => value + high * (index + 1) ** 0.25),
    };
  });
}
// 3. Blends with the seasonal naive interval: a fixed weight, and the shipped MAE-relative weight.
for (const weight of [0.2, 0.3]) {
  evaluate(`fixed blend with seasonal-naive-24, weight ${weight}, x0.95`, (entry) => {
    const seasonal = entry.others.get('seasonal-naive-24');
    return seasonal ? blend(shaped(entry.chosen, 0.95), shaped(seasonal, 0.95), weight) : shaped(entry.chosen, 1.1);
  });
}
for (const factor of [0.3, 0.4, 0.5]) {
  evaluate(`blend weight min(0.7, ${factor} x MAE ratio), x0.95${factor === 0.4 ? ' (shipped)' : ''}`, (entry) => {
    const seasonal = entry.others.get('seasonal-naive-24');
    if (!seasonal) return shaped(entry.chosen, 1.1);
    const weight = Math.min(
      0.7,
      (factor * meanAbsolute(entry.chosen.errors.slice(0, 4))) / meanAbsolute(seasonal.errors),
    );
    return blend(shaped(entry.chosen, 0.95), shaped(seasonal, 0.95), weight);
  });
}
// 4. Every candidate's interval, weighted by inverse squared holdout MAE (the chosen one counted twice).
evaluate('all candidates, weights 1 / MAE^2 (chosen x2), x0.9', (entry) => {
  const components = [
    { component: { ...entry.chosen, errors: entry.chosen.errors.slice(0, 4) }, boost: 2 },
    ...[...entry.others.values()].map((component) => ({ component, boost: 1 })),
  ];
  const lower = new Array<number>(HORIZON).fill(0);
  const upper = new Array<number>(HORIZON).fill(0);
  let total = 0;
  for (const { component, boost } of components) {
    const error = meanAbsolute(component.errors);
    if (!(error > 0)) continue;
    const weight = boost / error ** 2;
    const interval = shaped(component, 0.9);
    total += weight;
    interval.lower.forEach((value, index) => (lower[index]! += weight * value));
    interval.upper.forEach((value, index) => (upper[index]! += weight * value));
  }
  if (total === 0) return shaped(entry.chosen, 1.1);
  return {
    lower: lower.map((value, index) => Math.min(value / total, entry.chosen.point[index]!)),
    upper: upper.map((value, index) => Math.max(value / total, entry.chosen.point[index]!)),
  };
});
