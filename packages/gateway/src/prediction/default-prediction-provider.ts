import { createAnalyzerPredictionProvider } from './analyzer-prediction-provider.js';
import { createForecastPredictionProvider } from './forecast-prediction-provider.js';
import type { PredictionProvider } from './prediction-provider.js';

/**
 * The gateway's default {@link PredictionProvider}: a request naming an `analyzer` goes to that registered
 * analyzer (`createAnalyzerPredictionProvider`); any other request gets a forecast of the metric's history
 * (`createForecastPredictionProvider`), which works on any metric with at least 3 stored points.
 */
export function createDefaultPredictionProvider(): PredictionProvider {
  const analyzer = createAnalyzerPredictionProvider();
  const forecast = createForecastPredictionProvider();
  return {
    name: 'default',
    predict: (request, context) =>
      request.analyzer ? analyzer.predict(request, context) : forecast.predict(request, context),
  };
}
