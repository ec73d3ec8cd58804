import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Default location of the NAB dataset. */
export const NAB_DIR = process.env.NAB_DIR ?? '/work/shared/datasets/nab';

/** One NAB data file. */
export interface NabSeries {
  /** Path relative to `data/`, e.g. `realKnownCause/nyc_taxi.csv`. */
  name: string;
  timestamps: number[];
  values: number[];
  /** Labelled windows (epoch ms), or `undefined` when the file's labels are not available. */
  windows: Array<[number, number]> | undefined;
}

/** Parses a NAB timestamp (`YYYY-MM-DD HH:MM:SS[.ffffff]`, no zone) as UTC epoch ms. */
export function parseNabTime(text: string): number {
  const [date = '', time = '00:00:00'] = text.trim().split(' ');
  return Date.parse(`${date}T${time.slice(0, 8)}Z`);
}

/** Lists every CSV under `directory`, recursively, relative to it and sorted. */
export function listCsv(directory: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.csv')) found.push(relative(directory, path));
    }
  };
  walk(directory);
  return found;
}

/** Loads the NAB corpus; `labelledOnly` keeps the files whose windows are known. */
export function loadNab(options: { directory?: string; labelledOnly?: boolean } = {}): NabSeries[] {
  const directory = options.directory ?? NAB_DIR;
  const labels = JSON.parse(readFileSync(join(directory, 'labels/combined_windows.json'), 'utf8')) as Record<
    string,
    string[][]
  >;
  const series: NabSeries[] = [];
  for (const name of listCsv(join(directory, 'data'))) {
    const windowText = labels[name];
    if (options.labelledOnly && !windowText) continue;
    const lines = readFileSync(join(directory, 'data', name), 'utf8')
      .split('\n')
      .slice(1);
    const timestamps: number[] = [];
    const values: number[] = [];
    for (const line of lines) {
      if (line.trim() === '') continue;
      const comma = line.indexOf(',');
      timestamps.push(parseNabTime(line.slice(0, comma)));
      values.push(Number(line.slice(comma + 1)));
    }
    const windows = windowText?.map(
      ([start = '', end = '']) => [parseNabTime(start), parseNabTime(end)] as [number, number],
    );
    series.push({ name, timestamps, values, windows });
  }
  return series;
}
