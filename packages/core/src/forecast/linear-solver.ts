import { choleskyFactor, solveLower, solveUpper } from '../util/cholesky.js';

/**
 * Solves the symmetric positive-definite system `matrix · x = vector` by Cholesky decomposition.
 * `matrix` is row-major `size × size`. Returns undefined when the matrix is not positive definite.
 */
export function solveSymmetric(matrix: Float64Array, vector: Float64Array, size: number): Float64Array | undefined {
  const lower = choleskyFactor(matrix, size);
  if (!lower) return undefined;
  return solveUpper(lower, solveLower(lower, vector, size), size);
}
