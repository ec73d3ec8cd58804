import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

/** Raw Loghub-2k logs and original labels. */
export const LOGHUB_DIR = process.env.LOGHUB_DIR ?? '/work/shared/datasets/loghub';
/** Corrected labels (Khan et al. 2022) of the 8 public systems. */
export const LOGHUB_CORRECTED_DIR = process.env.LOGHUB_CORRECTED_DIR ?? '/work/shared/datasets/loghub-corrected';

/** The 8 systems whose corrected labels are public. */
export const CORRECTED_SYSTEMS = [
  'Apache',
  'HDFS',
  'Hadoop',
  'HealthApp',
  'Linux',
  'OpenSSH',
  'Spark',
  'Zookeeper',
] as const;
/** The other 8 systems: their corrected labels are sealed; only their original labels are public. */
export const ORIGINAL_ONLY_SYSTEMS = [
  'Android',
  'BGL',
  'HPC',
  'Mac',
  'OpenStack',
  'Proxifier',
  'Thunderbird',
  'Windows',
] as const;

/** Splits one CSV line (RFC 4180 quoting). */
export function parseCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let index = 0; index < line.length; index += 1) {
    const char = line[index]!;
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

/** Reads a structured CSV into rows keyed by header name. */
export function readStructured(path: string): Array<Record<string, string>> {
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter((line) => line !== '');
  const header = parseCsvLine(lines[0]!.replace(/^\uFEFF/, ''));
  return lines.slice(1).map((line) => {
    const cells = parseCsvLine(line);
    return Object.fromEntries(header.map((name, index) => [name, cells[index] ?? '']));
  });
}

/** The raw lines of a system's 2k sample (CR stripped). */
export function readRawLines(system: string): string[] {
  const lines = readFileSync(join(LOGHUB_DIR, system, `${system}_2k.log`), 'utf8')
    .split('\n')
    .map((line) => line.replace(/\r$/, ''));
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Ground truth of a system: corrected labels when public, else the original ones. */
export function readTruth(
  system: string,
  labels: 'corrected' | 'original',
): Array<{ eventId: string; template: string }> {
  const path =
    labels === 'corrected'
      ? join(LOGHUB_CORRECTED_DIR, system, `${system}_2k.log_structured_corrected.csv`)
      : join(LOGHUB_DIR, system, `${system}_2k.log_structured.csv`);
  if (!existsSync(path)) throw new Error(`no ${labels} labels for ${system} at ${path}`);
  return readStructured(path).map((row) => ({ eventId: row.EventId!, template: row.EventTemplate! }));
}
