import type { ForecastMethod } from '../forecast-method.js';
import { solveSymmetric } from '../linear-solver.js';

/** Options of {@link autoregression}. */
export interface AutoregressionOptions {
  /** Ridge penalty relative to the mean diagonal of XᵀX. @default 0.0001 */
  ridge?: number;
}

/**
 * A local linear autoregression fitted by ridge least squares on the series' own history, forecasting
 * recursively. Lags: the last full primary season (1…m) plus every multiple of m up to twice the longest
 * configured season and the hours either side of each longer season, each only when the history holds three
 * times the lag. Works on log values for positive series.
 */
export function autoregression(options: AutoregressionOptions = {}): ForecastMethod {
  const ridge = options.ridge ?? 0.0001;
  return {
    name: 'autoregression',
    supports(length, context) {
      const lags = lagsFor(length, context.seasonLengths);
      const maxLag = Math.max(...lags);
      return length >= LAG_FACTOR * maxLag && length - maxLag >= 2 * (lags.length + 1);
    },
    forecast(values, horizon, context) {
      const positive = values.every((value) => value > 0);
      const transformed = values.map((value) => (positive ? Math.log(value) : value));
      const offset = transformed.reduce((sum, value) => sum + value, 0) / transformed.length;
      const series = transformed.map((value) => value - offset);
      const lags = lagsFor(values.length, context.seasonLengths);
      const size = lags.length + 1;
      const maxLag = Math.max(...lags);
      const gram = new Float64Array(size * size);
      const moment = new Float64Array(size);
      const row = new Float64Array(size);
      for (let t = maxLag; t < series.length; t++) {
        row[0] = 1;
        for (let index = 0; index < lags.length; index++) row[index + 1] = series[t - lags[index]!]!;
        const target = series[t]!;
        for (let i = 0; i < size; i++) {
          moment[i]! += row[i]! * target;
          for (let j = 0; j <= i; j++) gram[i * size + j]! += row[i]! * row[j]!;
        }
      }
      let trace = 0;
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < i; j++) gram[j * size + i] = gram[i * size + j]!;
        trace += gram[i * size + i]!;
      }
      const penalty = (ridge * trace) / size;
      for (let i = 1; i < size; i++) gram[i * size + i]! += penalty;
      const coefficients = solveSymmetric(gram, moment, size);
      const extended = [...series];
      for (let step = 0; step < horizon; step++) {
        const t = extended.length;
        let value = coefficients ? coefficients[0]! : 0;
        if (coefficients)
          for (let index = 0; index < lags.length; index++)
            value += coefficients[index + 1]! * extended[t - lags[index]!]!;
        else value = extended[t - 1]!;
        extended.push(value);
      }
      return extended.slice(series.length).map((value) => (positive ? Math.exp(value + offset) : value + offset));
    },
  };
}

/** A lag is used only when the history holds at least this many times as many points. */
const LAG_FACTOR = 3;

function lagsFor(length: number, seasonLengths: readonly number[]): number[] {
  const primary = seasonLengths[0] ?? 1;
  const lags = new Set<number>();
  for (let lag = 1; lag <= Math.max(primary, 3); lag++) lags.add(lag);
  const longest = Math.max(primary, ...seasonLengths);
  for (const season of seasonLengths) {
    for (let multiple = season; multiple <= 2 * longest && multiple * LAG_FACTOR <= length; multiple += primary)
      lags.add(multiple);
  }
  // The hours either side of a week ago carry the weekly shape's local slope.
  for (const season of seasonLengths) {
    if (season > primary && (season + 1) * LAG_FACTOR <= length) {
      lags.add(season - 1);
      lags.add(season + 1);
    }
  }
  return [...lags].sort((a, b) => a - b);
}
