import { choleskyFactor, solveLower, solveUpper } from '../util/cholesky.js';

/** Hyperparameters of a {@link GaussianProcess} on inputs scaled to [0, 1]. */
export interface GaussianProcessHyperparameters {
  /** Length scale of the squared-exponential kernel, in scaled input units. */
  lengthScale: number;
  /** TuningObservation noise variance, relative to the (standardised) signal variance of 1. */
  noise: number;
}

/** Posterior at one point, in the units of the observed values. */
export interface GaussianProcessPrediction {
  mean: number;
  /** Posterior standard deviation of the latent function (noise excluded). */
  standardDeviation: number;
}

/**
 * Gaussian-process regression with a squared-exponential kernel, in pure TypeScript: fits points
 * (inputs scaled to [0, 1]) by Cholesky factorisation, predicts mean and uncertainty, and scores its
 * hyperparameters by log marginal likelihood. Values are standardised internally. O(n³) to fit: meant
 * for the tens to low hundreds of evaluations an online tuner makes.
 */
export class GaussianProcess {
  private inputs: number[][] = [];
  private lower: Float64Array = new Float64Array(0);
  private alpha: Float64Array = new Float64Array(0);
  private offset = 0;
  private scale = 1;
  private logLikelihood = -Infinity;

  constructor(readonly hyperparameters: GaussianProcessHyperparameters) {}

  /** Number of fitted points. */
  get size(): number {
    return this.inputs.length;
  }

  /** Log marginal likelihood of the standardised values under the current fit. */
  get logMarginalLikelihood(): number {
    return this.logLikelihood;
  }

  /** Fits `inputs` (each a vector in [0, 1]^d) to `values`; replaces any previous fit. */
  fit(inputs: readonly (readonly number[])[], values: readonly number[]): this {
    const count = inputs.length;
    this.inputs = inputs.map((input) => [...input]);
    const average = count === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / count;
    const spread =
      count < 2 ? 0 : Math.sqrt(values.reduce((sum, value) => sum + (value - average) ** 2, 0) / (count - 1));
    this.offset = average;
    this.scale = spread > 1e-12 ? spread : 1;
    const standardised = values.map((value) => (value - this.offset) / this.scale);
    const matrix = new Float64Array(count * count);
    for (let row = 0; row < count; row++) {
      for (let column = 0; column <= row; column++) {
        const covariance =
          this.kernel(this.inputs[row]!, this.inputs[column]!) +
          (row === column ? this.hyperparameters.noise + 1e-9 : 0);
        matrix[row * count + column] = covariance;
      }
    }
    // Clamp tiny negative pivots from rounding: the jitter on the diagonal keeps the matrix positive definite.
    this.lower = choleskyFactor(matrix, count, 1e-12)!;
    this.alpha = solveUpper(this.lower, solveLower(this.lower, Float64Array.from(standardised), count), count);
    let logDeterminant = 0;
    let fitTerm = 0;
    for (let index = 0; index < count; index++) {
      logDeterminant += Math.log(this.lower[index * count + index]!);
      fitTerm += standardised[index]! * this.alpha[index]!;
    }
    this.logLikelihood = -0.5 * fitTerm - logDeterminant - 0.5 * count * Math.log(2 * Math.PI);
    return this;
  }

  /** Posterior mean and standard deviation at `input` (prior mean and unit-scale deviation when unfitted). */
  predict(input: readonly number[]): GaussianProcessPrediction {
    const count = this.inputs.length;
    if (count === 0) return { mean: this.offset, standardDeviation: this.scale };
    const crossCovariance = new Float64Array(count);
    let mean = 0;
    for (let index = 0; index < count; index++) {
      crossCovariance[index] = this.kernel(input, this.inputs[index]!);
      mean += crossCovariance[index]! * this.alpha[index]!;
    }
    const solved = solveLower(this.lower, crossCovariance, count);
    let explained = 0;
    for (let index = 0; index < count; index++) explained += solved[index]! ** 2;
    const variance = Math.max(0, 1 - explained);
    return { mean: this.offset + this.scale * mean, standardDeviation: this.scale * Math.sqrt(variance) };
  }

  private kernel(a: readonly number[], b: readonly number[]): number {
    let distance = 0;
    for (let index = 0; index < a.length; index++) distance += (a[index]! - b[index]!) ** 2;
    return Math.exp(-distance / (2 * this.hyperparameters.lengthScale ** 2));
  }
}

/**
 * Fits a Gaussian process for each candidate pair of hyperparameters and keeps the one with the highest
 * log marginal likelihood (type-II maximum likelihood over a small grid).
 */
export function fitBestGaussianProcess(
  inputs: readonly (readonly number[])[],
  values: readonly number[],
  candidates: readonly GaussianProcessHyperparameters[],
): GaussianProcess {
  let best: GaussianProcess | undefined;
  for (const hyperparameters of candidates) {
    const process = new GaussianProcess(hyperparameters).fit(inputs, values);
    if (!best || process.logMarginalLikelihood > best.logMarginalLikelihood) best = process;
  }
  return best!;
}
