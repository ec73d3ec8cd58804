import {
  FindingSchema,
  InsufficientDataError,
  NotFoundError,
  randomId,
  seriesKey,
  type Analyzer,
  type Finding,
  type IngestRecord,
  type MetricSample,
} from '@iac-dharma/core';
import type {
  PredictionContext,
  PredictionOutcome,
  PredictionProvider,
  PredictionRequest,
} from './prediction-provider.js';

/** Options of {@link createAnalyzerPredictionProvider}. */
export interface AnalyzerPredictionProviderOptions {
  /** Registered analyzer names tried in order when the request names none. @default ['failure-predictor', 'capacity-forecaster'] */
  analyzers?: string[];
  /** Most recent points per metric handed to the analyzer, in points. @default 512 */
  window?: number;
  /** Finding kinds accepted as the answer, preferred first. @default ['prediction', 'forecast'] */
  kinds?: Finding['kind'][];
}

/**
 * The default {@link PredictionProvider}: finds a registered analyzer (`engine.analyzer(name)`), hands it
 * the resource's recent history as metric samples in time order, and answers with the most recent finding
 * of an accepted kind. Use it with analyzers that judge a window of history on its own (failure
 * predictors, forecasters); an analyzer that learns from every sample would learn the replayed window again.
 */
export function createAnalyzerPredictionProvider(options: AnalyzerPredictionProviderOptions = {}): PredictionProvider {
  const names = options.analyzers ?? ['failure-predictor', 'capacity-forecaster'];
  const window = options.window ?? 512;
  const kinds = options.kinds ?? ['prediction', 'forecast'];
  return {
    name: 'analyzer',
    async predict(request: PredictionRequest, context: PredictionContext): Promise<PredictionOutcome> {
      const candidates = request.analyzer ? [request.analyzer] : names;
      const analyzer = candidates
        .map((name) => context.engine.analyzer(name))
        .find((found): found is Analyzer => found !== undefined);
      if (!analyzer) {
        throw new NotFoundError(
          request.analyzer
            ? `No analyzer named "${request.analyzer}" is registered with the engine.`
            : `No prediction analyzer is registered: register one named ${candidates.map((name) => `"${name}"`).join(' or ')} with engine.use(), or pass a predictionProvider to createGateway().`,
        );
      }
      const records: IngestRecord[] = [];
      for (const metric of request.metrics) {
        const points = await context.storage.rangePoints({
          series: seriesKey({ resource: request.resourceId, metric }),
          limit: window,
          signal: request.signal,
        });
        for (const point of points)
          records.push({
            kind: 'metric',
            resource: request.resourceId,
            metric,
            value: point.value,
            timestamp: point.timestamp,
          } satisfies MetricSample);
      }
      if (records.length === 0) {
        throw new InsufficientDataError(
          `Resource "${request.resourceId}" has no stored points for ${request.metrics.join(', ') || 'any metric'}; ingest metrics first.`,
        );
      }
      records.sort((a, b) => a.timestamp - b.timestamp);
      const produced = await analyzer.analyze(records, {
        clock: context.engine.clock,
        logger: context.engine.logger,
        storage: context.storage,
        newId: randomId,
      });
      const findings = produced
        .map((raw) =>
          FindingSchema.safeParse({ ...raw, id: raw.id ?? randomId(), analyzer: raw.analyzer ?? analyzer.name }),
        )
        .flatMap((result) => (result.success ? [result.data] : []));
      for (const kind of kinds) {
        const match = findings.filter((finding) => finding.kind === kind).at(-1);
        if (match) return { finding: match };
      }
      throw new InsufficientDataError(
        `Analyzer "${analyzer.name}" made no ${kinds.join(' or ')} from ${records.length} points of "${request.resourceId}"; it may need a longer history.`,
      );
    },
  };
}
