/**
 * Exponential smoothing fitted by a coarse-to-fine grid search on the one-step-ahead squared error.
 * Pure TypeScript: O(n) per candidate parameter set.
 */

/** Simple exponential smoothing: the final level and the chosen alpha. */
export function fitSimpleExponentialSmoothing(values: readonly number[]): { level: number; alpha: number } {
  let best = { level: values[values.length - 1] ?? 0, alpha: 1, error: Number.POSITIVE_INFINITY };
  const evaluate = (alpha: number) => {
    let level = values[0]!;
    let error = 0;
    for (let index = 1; index < values.length; index++) {
      const residual = values[index]! - level;
      error += residual * residual;
      level += alpha * residual;
    }
    if (error < best.error) best = { level, alpha, error };
  };
  for (let alpha = 0.05; alpha <= 1.0001; alpha += 0.05) evaluate(Math.min(alpha, 1));
  const center = best.alpha;
  for (let offset = -0.04; offset <= 0.04001; offset += 0.01) {
    const alpha = center + offset;
    if (alpha > 0.005 && alpha <= 1) evaluate(alpha);
  }
  return { level: best.level, alpha: best.alpha };
}

/** A fitted damped-trend Holt model: forecast(h) = level + (φ + … + φ^h)·trend. */
export interface DampedHoltFit {
  level: number;
  trend: number;
  alpha: number;
  beta: number;
  phi: number;
}

/** Fits Holt's linear method with a damped trend (Gardner & McKenzie) by grid search. */
export function fitDampedHolt(values: readonly number[]): DampedHoltFit {
  const n = values.length;
  const initialTrend = n > 1 ? (values[Math.min(n - 1, 10)]! - values[0]!) / Math.min(n - 1, 10) : 0;
  let best: DampedHoltFit & { error: number } = {
    level: values[n - 1] ?? 0,
    trend: 0,
    alpha: 1,
    beta: 0,
    phi: 0.9,
    error: Number.POSITIVE_INFINITY,
  };
  for (const alpha of [0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1]) {
    for (const beta of [0.001, 0.01, 0.05, 0.1, 0.2]) {
      if (beta > alpha) continue;
      for (const phi of [0.8, 0.9, 0.95, 0.98]) {
        let level = values[0]!;
        let trend = initialTrend;
        let error = 0;
        for (let index = 1; index < n; index++) {
          const predicted = level + phi * trend;
          const residual = values[index]! - predicted;
          error += residual * residual;
          const nextLevel = predicted + alpha * residual;
          trend = phi * trend + alpha * beta * residual;
          level = nextLevel;
        }
        if (error < best.error) best = { level, trend, alpha, beta, phi, error };
      }
    }
  }
  const { error: _error, ...fit } = best;
  return fit;
}

/** Forecasts `horizon` steps from a damped Holt fit. */
export function forecastDampedHolt(fit: DampedHoltFit, horizon: number): number[] {
  const result = new Array<number>(horizon);
  let damping = 0;
  let power = 1;
  for (let step = 0; step < horizon; step++) {
    power *= fit.phi;
    damping += power;
    result[step] = fit.level + damping * fit.trend;
  }
  return result;
}
