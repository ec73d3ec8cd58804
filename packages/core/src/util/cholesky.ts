/**
 * Lower-triangular Cholesky factor L (row-major, `size × size`) of a symmetric positive-definite matrix, so
 * that L·Lᵀ = matrix; only the lower half of `matrix` is read. Returns undefined when a pivot is not positive,
 * unless `minimumPivot` is given: then pivots are clamped up to it (for matrices kept positive definite by a
 * diagonal jitter, where a tiny negative pivot is rounding).
 */
export function choleskyFactor(matrix: Float64Array, size: number, minimumPivot?: number): Float64Array | undefined {
  const lower = new Float64Array(size * size);
  for (let row = 0; row < size; row++) {
    for (let column = 0; column <= row; column++) {
      let sum = matrix[row * size + column]!;
      for (let inner = 0; inner < column; inner++) sum -= lower[row * size + inner]! * lower[column * size + inner]!;
      if (row === column) {
        if (minimumPivot !== undefined) sum = Math.max(sum, minimumPivot);
        else if (sum <= 0) return undefined;
        lower[row * size + row] = Math.sqrt(sum);
      } else {
        lower[row * size + column] = sum / lower[column * size + column]!;
      }
    }
  }
  return lower;
}

/** Solves L·x = vector for the lower-triangular `lower` (forward substitution). */
export function solveLower(lower: Float64Array, vector: Float64Array, size: number): Float64Array {
  const result = new Float64Array(size);
  for (let row = 0; row < size; row++) {
    let sum = vector[row]!;
    for (let column = 0; column < row; column++) sum -= lower[row * size + column]! * result[column]!;
    result[row] = sum / lower[row * size + row]!;
  }
  return result;
}

/** Solves Lᵀ·x = vector for the lower-triangular `lower` (back substitution). */
export function solveUpper(lower: Float64Array, vector: Float64Array, size: number): Float64Array {
  const result = new Float64Array(size);
  for (let row = size - 1; row >= 0; row--) {
    let sum = vector[row]!;
    for (let column = row + 1; column < size; column++) sum -= lower[column * size + row]! * result[column]!;
    result[row] = sum / lower[row * size + row]!;
  }
  return result;
}
