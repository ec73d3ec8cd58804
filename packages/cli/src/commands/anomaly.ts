import { accessSync, constants, createReadStream, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, basename } from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import {
  AnomalyDetector,
  MAX_TIMESTAMP,
  MAX_VALUE_MAGNITUDE,
  ValidationError,
  ensembleStrategy,
  parseWith,
  robustZScoreStrategy,
  zScoreStrategy,
  type SkipReason,
} from '@iac-dharma/core';
import { AtomicFile } from '../io/atomic-output.js';
import type { Command } from './command.js';

const STRATEGIES = {
  ensemble: ensembleStrategy,
  'z-score': zScoreStrategy,
  'robust-z-score': robustZScoreStrategy,
} as const;

const OptionsSchema = z.object({
  input: z.string({ error: 'required: a CSV file or a directory of CSV files' }).min(1),
  out: z.string({ error: 'required: the output directory' }).min(1),
  strategy: z
    .enum(Object.keys(STRATEGIES) as [keyof typeof STRATEGIES, ...Array<keyof typeof STRATEGIES>])
    .default('ensemble'),
});

/** Why a CSV row was not scored (the detector's reasons plus a row without the two columns). */
type RowSkipReason = SkipReason | 'malformed-row';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const NAIVE_TIME = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/;

/**
 * Parses a timestamp cell to epoch ms: a number is epoch milliseconds; `YYYY-MM-DD HH:MM[:SS[.fff]]`
 * without a zone is read as UTC (the NAB format); anything else must be an ISO-8601 date. NaN when invalid.
 */
function parseTimestamp(text: string): number {
  const naive = NAIVE_TIME.exec(text);
  const parsed = NUMBER.test(text)
    ? Number(text)
    : naive
      ? Date.parse(`${naive[1]}T${naive[2]}Z`)
      : /^\d{4}-\d{2}-\d{2}/.test(text)
        ? Date.parse(text)
        : Number.NaN;
  // 1970-01-01 to 2200-01-01, as everywhere in the SDK.
  return parsed >= 0 && parsed <= MAX_TIMESTAMP ? parsed : Number.NaN;
}

/** Parses a value cell: a plain decimal number within ±1e18; empty, `NaN`, `Infinity`, 1e308 and other text give NaN. */
function parseValue(text: string): number {
  const value = NUMBER.test(text) ? Number(text) : Number.NaN;
  return Math.abs(value) <= MAX_VALUE_MAGNITUDE ? value : Number.NaN;
}

/** Every CSV under `input` (itself when it is a file), with its path relative to `input`. */
function listInputs(input: string): Array<{ path: string; relativePath: string }> {
  if (!statSync(input).isDirectory()) return [{ path: input, relativePath: basename(input) }];
  const found: Array<{ path: string; relativePath: string }> = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.toLowerCase().endsWith('.csv')) found.push({ path, relativePath: relative(input, path) });
    }
  };
  walk(input);
  return found;
}

interface FileSummary {
  scored: number;
  skipped: Record<RowSkipReason, number>;
}

/** Scores one CSV as a live stream, row by row, writing `timestamp,value,anomaly_score` rows. */
async function scoreFile(path: string, outPath: string, strategy: keyof typeof STRATEGIES): Promise<FileSummary> {
  const detector = new AnomalyDetector({ strategy: STRATEGIES[strategy]() });
  const summary: FileSummary = {
    scored: 0,
    skipped: {
      'invalid-value': 0,
      'invalid-timestamp': 0,
      'out-of-order': 0,
      'duplicate-timestamp': 0,
      'malformed-row': 0,
    },
  };
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  mkdirSync(dirname(outPath), { recursive: true });
  // Written atomically: a file that fails half-way leaves nothing at outPath.
  const output = new AtomicFile(outPath, '--out');
  let columns: { timestamp: number; value: number } | undefined;
  let buffer = 'timestamp,value,anomaly_score\n';
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const cells = line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
    if (!columns) {
      const names = cells.map((cell) => cell.replace(/^\uFEFF/, '').toLowerCase());
      columns = { timestamp: names.indexOf('timestamp'), value: names.indexOf('value') };
      if (columns.timestamp < 0 || columns.value < 0) {
        lines.close();
        output.discard();
        throw new ValidationError(
          `${path}: the header must name a "timestamp" and a "value" column (found: ${cells.join(', ')})`,
          [{ path: 'header', message: 'missing timestamp or value column', code: 'custom' }],
        );
      }
      continue;
    }
    const timestampText = cells[columns.timestamp];
    const valueText = cells[columns.value];
    let score = 0;
    if (timestampText === undefined || valueText === undefined) summary.skipped['malformed-row'] += 1;
    else {
      const outcome = detector.observe('series', parseTimestamp(timestampText), parseValue(valueText));
      if (outcome.status === 'skipped') summary.skipped[outcome.reason] += 1;
      else {
        summary.scored += 1;
        score = outcome.score;
      }
    }
    // One output row per input row, so results line up with the input (NAB's scorer relies on it).
    buffer += `${timestampText ?? ''},${valueText ?? ''},${score}\n`;
    if (buffer.length > 65_536) {
      output.write(buffer);
      buffer = '';
    }
  }
  if (!columns) {
    output.discard();
    throw new ValidationError(`${path}: the file is empty (expected a header with "timestamp" and "value" columns)`, [
      { path: 'header', message: 'empty file', code: 'custom' },
    ]);
  }
  output.write(buffer);
  output.commit();
  return summary;
}

/** `dharma anomaly`: streaming anomaly scores for CSV time series, in the NAB results format. */
export const anomalyCommand: Command = {
  summary: 'score CSV time series (timestamp,value) for anomalies, NAB results format',
  usage: `Usage: dharma anomaly --input <file.csv or directory> --out <directory> [--strategy ensemble]

Reads every CSV (header with "timestamp" and "value" columns) and scores each file as a live stream,
row by row in file order, with a fresh AnomalyDetector per file. For each input it writes a CSV at the
same relative path under --out with the columns timestamp,value,anomaly_score (anomaly_score in [0, 1],
computed only from earlier rows). Progress and a summary go to stderr.

Every input row gets one output row, in order. Rows that cannot be scored are written with
anomaly_score 0, are not learned from, and are counted by reason: a value that is missing, not a plain
number, NaN or Infinity (invalid-value); an unparseable timestamp (invalid-timestamp); a timestamp
earlier than (out-of-order) or equal to (duplicate-timestamp) the last scored row; a row without the
two columns (malformed-row). Timestamps: epoch ms, "YYYY-MM-DD HH:MM:SS" (read as UTC) or ISO-8601.

Options:
  --input     a CSV file or a directory searched recursively for *.csv   (required)
  --out       output directory, created when missing                      (required)
  --strategy  ensemble (default) | z-score | robust-z-score

Exit code: 0 when every file was scored, 1 when a file could not be read or was empty, 2 for bad options
(including an --out folder that cannot be written). Each output file is written atomically.`,
  options: { input: { type: 'string' }, out: { type: 'string' }, strategy: { type: 'string' } },
  async run(values) {
    let options: z.output<typeof OptionsSchema>;
    let inputs: Array<{ path: string; relativePath: string }>;
    try {
      options = parseWith(OptionsSchema, values, 'options');
      inputs = listInputs(options.input);
      // The output folder must be writable before any file is scored.
      mkdirSync(options.out, { recursive: true });
      accessSync(options.out, constants.W_OK);
    } catch (error) {
      process.stderr.write(
        `dharma anomaly: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}\n`,
      );
      return 2;
    }
    const totals: FileSummary = {
      scored: 0,
      skipped: {
        'invalid-value': 0,
        'invalid-timestamp': 0,
        'out-of-order': 0,
        'duplicate-timestamp': 0,
        'malformed-row': 0,
      },
    };
    let failed = 0;
    for (const [index, input] of inputs.entries()) {
      try {
        const summary = await scoreFile(input.path, join(options.out, input.relativePath), options.strategy);
        totals.scored += summary.scored;
        let skipped = 0;
        for (const reason of Object.keys(summary.skipped) as RowSkipReason[]) {
          totals.skipped[reason] += summary.skipped[reason];
          skipped += summary.skipped[reason];
        }
        process.stderr.write(
          `[${index + 1}/${inputs.length}] ${input.relativePath}: ${summary.scored} rows scored, ${skipped} skipped\n`,
        );
      } catch (error) {
        failed += 1;
        process.stderr.write(
          `[${index + 1}/${inputs.length}] ${input.relativePath}: failed: ${error instanceof Error ? error.message : String(error)}\n`,
        );
      }
    }
    const skippedTotal = Object.values(totals.skipped).reduce((sum, count) => sum + count, 0);
    const reasons = Object.entries(totals.skipped)
      .filter(([, count]) => count > 0)
      .map(([reason, count]) => `${reason} ${count}`)
      .join(', ');
    process.stderr.write(
      `dharma anomaly: ${inputs.length - failed} of ${inputs.length} files, ${totals.scored} rows scored, ${skippedTotal} skipped${reasons ? ` (${reasons})` : ''}\n`,
    );
    return failed > 0 ? 1 : 0;
  },
};
