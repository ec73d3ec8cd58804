import {
  InsufficientDataError,
  forecastSeries,
  randomId,
  seriesKey,
  type ForecastFinding,
  type Severity,
} from '@iac-dharma/core';
import type {
  ForecastPoint,
  PredictionContext,
  PredictionOutcome,
  PredictionProvider,
  PredictionRequest,
} from './prediction-provider.js';

/** Options of {@link createForecastPredictionProvider}. */
export interface ForecastPredictionProviderOptions {
  /** Steps forecast when the request gives no horizon. @default 12 */
  horizon?: number;
  /** Most recent points used as history. @default 1000 */
  window?: number;
  /** Interval level. @default 0.95 */
  level?: number;
}

/**
 * The default {@link PredictionProvider}: forecasts the resource's metric with core's `forecastSeries`
 * (method chosen by out-of-sample error, with prediction intervals) and reports a `forecast` finding with
 * the forecast path. With a `threshold` it says when the series is expected to cross it (severity `high`
 * when the point forecast crosses within the horizon, `medium` when only the pessimistic bound does,
 * `critical` when already crossed); without one the threshold is the highest value seen so far.
 * Steps are the median spacing of the history's timestamps. Works on any metric history of 3+ points.
 */
export function createForecastPredictionProvider(options: ForecastPredictionProviderOptions = {}): PredictionProvider {
  const window = options.window ?? 1000;
  const level = options.level ?? 0.95;
  return {
    name: 'forecast',
    async predict(request: PredictionRequest, context: PredictionContext): Promise<PredictionOutcome> {
      const metric = request.metrics[0];
      if (metric === undefined) throw new InsufficientDataError('Name a metric to forecast.');
      const series = seriesKey({ resource: request.resourceId, metric });
      const points = await context.storage.rangePoints({ series, limit: window, signal: request.signal });
      if (points.length < 3)
        throw new InsufficientDataError(
          `Series "${series}" has ${points.length} stored point(s); forecasting needs at least 3. Ingest more samples first.`,
        );
      const horizon = request.horizon ?? options.horizon ?? 12;
      const values = points.map((point) => point.value);
      const threshold = request.threshold ?? Math.max(...values);
      const result = forecastSeries(values, { horizon, level, threshold, direction: 'above' });
      const stepMs = medianStep(points.map((point) => point.timestamp));
      const last = points[points.length - 1]!.timestamp;
      const forecast: ForecastPoint[] = result.point.map((value, index) => ({
        timestamp: last + (index + 1) * stepMs,
        value,
        lower: result.lower[index]!,
        upper: result.upper[index]!,
      }));
      const exhaustion = result.exhaustion;
      const pointStep = exhaustion?.step;
      const boundStep = exhaustion?.boundStep;
      const severity: Severity =
        pointStep === 0 ? 'critical' : pointStep !== undefined ? 'high' : boundStep !== undefined ? 'medium' : 'info';
      const nearest = pointStep ?? boundStep;
      const score = nearest === undefined ? 0 : Math.min(1, Math.max(0, 1 - nearest / horizon));
      const when =
        pointStep === undefined
          ? `does not cross it within ${horizon} steps`
          : pointStep === 0
            ? 'has already crossed it'
            : `crosses it in ${pointStep.toFixed(1)} steps`;
      const finding: ForecastFinding = {
        kind: 'forecast',
        id: randomId(),
        resource: request.resourceId,
        series,
        analyzer: 'gateway-forecast',
        timestamp: context.engine.clock.now(),
        severity,
        score,
        summary: `Forecast of ${series} against ${threshold}: the point forecast ${when} (${Math.round(level * 100)}% interval, method ${result.method}).`,
        threshold,
        ...(pointStep === undefined ? {} : { exhaustionAt: last + pointStep * stepMs }),
        ...(boundStep === undefined ? {} : { exhaustionUpperAt: last + boundStep * stepMs }),
        level,
        horizon,
        method: result.method,
      };
      return { finding, forecast };
    },
  };
}

function medianStep(timestamps: number[]): number {
  const steps = timestamps
    .slice(1)
    .map((timestamp, index) => timestamp - timestamps[index]!)
    .filter((step) => step > 0)
    .sort((a, b) => a - b);
  return steps.length === 0 ? 1000 : steps[Math.floor(steps.length / 2)]!;
}
