/**
 * M4 Hourly validation of the CapacityForecaster's forecasting (not a test). The M4 test split is sealed,
 * so each series' last 48 training points are held back and the forecast is fitted on the rest
 * ("validation"). A second origin 48 points earlier ("development") checks that choices made on the
 * validation split carry over. Prints sMAPE, MASE and OWA (vs our Naive2), and MSIS and coverage of the
 * 95% intervals, per method and per strategy, with series/s, and writes bench/results/m4.json.
 *
 *   npx tsx --conditions=@iac-dharma/source bench/src/m4/m4-validate.ts [--with-mstl] [--repeats 3]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { forecastSeries } from '@iac-dharma/core';
import { loadAugurs } from '@iac-dharma/core/node';
import { M4_HOURLY_TRAIN, readM4, validationSplit } from './m4-data.js';
import { accuracy, coverage, msis, owa, type Accuracy } from './m4-metrics.js';

const HORIZON = 48;
const SEASONS = [24, 168];
const args = process.argv.slice(2);
const withMstl = args.includes('--with-mstl');
const repeats = Number(args[args.indexOf('--repeats') + 1] ?? 3) || 3;

const series = readM4(M4_HOURLY_TRAIN);
const origins = {
  validation: validationSplit(series, HORIZON),
  development: validationSplit(
    series.map((entry) => ({ id: entry.id, values: entry.values.slice(0, -HORIZON) })),
    HORIZON,
  ),
};
const augurs = withMstl ? loadAugurs() : undefined;

const allConfigurations: Array<{ name: string; strategy: string; repeats: number }> = [
  { name: 'naive2', strategy: 'naive2', repeats: 1 },
  { name: 'seasonal-naive-24', strategy: 'seasonal-naive-24', repeats: 1 },
  { name: 'seasonal-naive-168', strategy: 'seasonal-naive-168', repeats: 1 },
  { name: 'theta', strategy: 'theta', repeats: 1 },
  { name: 'damped-holt', strategy: 'damped-holt', repeats: 1 },
  { name: 'autoregression', strategy: 'autoregression', repeats },
  { name: 'select (default)', strategy: 'select', repeats },
  { name: 'ensemble', strategy: 'ensemble', repeats },
  ...(withMstl ? [{ name: 'mstl-ets', strategy: 'mstl-ets', repeats: 1 }] : []),
];
// --only naive2,select: a subset (naive2 is always kept: OWA needs it). Results are then not written.
const only = args.includes('--only') ? ['naive2', ...(args[args.indexOf('--only') + 1] ?? '').split(',')] : undefined;
const configurations = only
  ? allConfigurations.filter((configuration) => only.includes(configuration.strategy))
  : allConfigurations;

interface Row {
  method: string;
  origin: string;
  smape: number;
  mase: number;
  owa: number;
  /** M4 mean scaled interval score of the 95% intervals (lower is better). */
  msis95: number;
  /** Share of held-back values inside the 95% intervals (ideal 0.95). */
  coverage95: number;
  /** Median wall time for all series (s) and its min/max over repeats. */
  seconds: number;
  secondsMin: number;
  secondsMax: number;
  seriesPerSecond: number;
  /** Median CPU time (user + system) of the process for all series, s: less sensitive to other load on the machine. */
  cpuSeconds: number;
}
const rows: Row[] = [];
for (const [origin, split] of Object.entries(origins)) {
  let baseline: Accuracy | undefined;
  for (const configuration of configurations) {
    const times: number[] = [];
    const cpuTimes: number[] = [];
    let results: Array<ReturnType<typeof forecastSeries>> = [];
    for (let run = 0; run < configuration.repeats; run++) {
      const started = performance.now();
      const cpuStarted = process.cpuUsage();
      results = split.map((entry) =>
        forecastSeries(
          entry.insample,
          { horizon: HORIZON, level: 0.95, seasonLengths: SEASONS, strategy: configuration.strategy },
          { augurs },
        ),
      );
      times.push((performance.now() - started) / 1000);
      const cpu = process.cpuUsage(cpuStarted);
      cpuTimes.push((cpu.user + cpu.system) / 1e6);
    }
    cpuTimes.sort((a, b) => a - b);
    const forecasts = results.map((result) => result.point);
    let msisSum = 0;
    let coverageSum = 0;
    results.forEach((result, index) => {
      // As `dharma forecast` does: a series with no negative value gets its lower bounds floored at 0.
      const floor = split[index]!.insample.every((value) => value >= 0);
      if (floor) result.lower = result.lower.map((value) => Math.max(0, value));
      msisSum += msis(split[index]!.insample, split[index]!.actual, result.lower, result.upper, 24);
      coverageSum += coverage(split[index]!.actual, result.lower, result.upper);
    });
    times.sort((a, b) => a - b);
    const result = accuracy(split, forecasts, 24);
    if (configuration.strategy === 'naive2') baseline = result;
    const seconds = times[times.length >> 1]!;
    const row: Row = {
      method: configuration.name,
      origin,
      smape: round(result.smape, 3),
      mase: round(result.mase, 4),
      owa: round(owa(result, baseline!), 4),
      msis95: round(msisSum / split.length, 3),
      coverage95: round(coverageSum / split.length, 4),
      seconds: round(seconds, 3),
      secondsMin: round(times[0]!, 3),
      secondsMax: round(times[times.length - 1]!, 3),
      seriesPerSecond: round(split.length / seconds, 1),
      cpuSeconds: round(cpuTimes[cpuTimes.length >> 1]!, 3),
    };
    rows.push(row);
    process.stdout.write(
      `${origin.padEnd(12)} ${row.method.padEnd(20)} sMAPE ${row.smape.toFixed(3).padStart(7)}  MASE ${row.mase.toFixed(4).padStart(7)}  OWA ${row.owa.toFixed(4)}  MSIS ${row.msis95.toFixed(2).padStart(6)}  cover ${row.coverage95.toFixed(3)}  ${row.seconds.toFixed(2)} s wall, ${row.cpuSeconds.toFixed(2)} s CPU (${row.seriesPerSecond} series/s, ${configuration.repeats} run(s))\n`,
    );
  }
}
mkdirSync('bench/results', { recursive: true });
if (!only)
  writeFileSync(
    'bench/results/m4.json',
    `${JSON.stringify({ benchmark: 'm4-hourly-validation', command: 'npx tsx --conditions=@iac-dharma/source bench/src/m4/m4-validate.ts ' + args.join(' '), loadAverage: loadavg(), horizon: HORIZON, seasonLengths: SEASONS, series: series.length, node: process.version, date: new Date().toISOString(), rows }, null, 2)}\n`,
  );

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
