import { readFileSync } from 'node:fs';

/** Default location of the M4 Hourly training file. */
export const M4_HOURLY_TRAIN = process.env.M4_HOURLY_TRAIN ?? '/work/shared/datasets/m4-hourly/Hourly-train.csv';

/** One M4 series: id and its values (oldest first). */
export interface M4Series {
  id: string;
  values: number[];
}

/** Reads an M4 wide-format CSV (`"V1","V2",…` header, quoted cells, ragged rows). */
export function readM4(path: string): M4Series[] {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  return lines.slice(1).map((line) => {
    const cells = line.split(',').map((cell) => cell.trim().replace(/^"|"$/g, ''));
    return {
      id: cells[0]!,
      values: cells
        .slice(1)
        .filter((cell) => cell !== '')
        .map(Number),
    };
  });
}

/** The validation split: fit on everything but the last `horizon` points, score on those. */
export function validationSplit(
  series: readonly M4Series[],
  horizon: number,
): Array<{ id: string; insample: number[]; actual: number[] }> {
  return series.map((entry) => ({
    id: entry.id,
    insample: entry.values.slice(0, -horizon),
    actual: entry.values.slice(-horizon),
  }));
}
