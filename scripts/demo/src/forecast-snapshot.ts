import { forecastSeries, type ForecastFinding, type Storage } from '@iac-dharma/core';
import type { ForecastSnapshot } from './demo-run-result.js';
import type { DemoScenario } from './demo-scenario.js';

/**
 * Recomputes the forecast behind a `forecast` finding for the report's chart: the same stored points the
 * CapacityForecaster read at that moment (its last 2000), placed on its 5-minute grid the same way (the
 * later point wins a slot), and the same `forecastSeries` options, so the chart shows what it decided on.
 */
export async function snapshotForecast(options: {
  storage: Storage;
  finding: ForecastFinding;
  scenario: DemoScenario;
  stepMs: number;
}): Promise<ForecastSnapshot> {
  const { finding, stepMs, scenario } = options;
  const series = finding.series!;
  const points = await options.storage.rangePoints({ series, to: finding.timestamp + 1, limit: 2000 });
  const start = points[0]!.timestamp;
  const slots = Math.round((points[points.length - 1]!.timestamp - start) / stepMs) + 1;
  const values = new Array<number | null>(slots).fill(null);
  for (const point of points) values[Math.round((point.timestamp - start) / stepMs)] = point.value;
  const result = forecastSeries(values as number[], {
    horizon: finding.horizon,
    level: finding.level,
    nonNegative: true,
    threshold: finding.threshold,
    direction: 'above',
  });
  const last = start + (slots - 1) * stepMs;
  const fill = scenario.diskFill;
  const firstFilled = points.find((point) => point.timestamp > fill.startAt);
  // Noise-free crossing: the service's baseline (its level before the fill) plus the fill rate.
  const before = points.filter((point) => point.timestamp <= fill.startAt).map((point) => point.value);
  const baseline =
    before.length > 0 ? before.reduce((sum, value) => sum + value, 0) / before.length : (firstFilled?.value ?? 0);
  return {
    finding,
    series,
    history: {
      timestamps: values.map((_, index) => start + index * stepMs),
      values: values.map((value) => value ?? Number.NaN),
    },
    forecast: {
      timestamps: result.point.map((_, index) => last + (index + 1) * stepMs),
      point: result.point,
      lower: result.lower,
      upper: result.upper,
    },
    trueCrossingAt: fill.startAt + ((fill.threshold - baseline) / fill.ratePerHour) * 3_600_000,
  };
}
