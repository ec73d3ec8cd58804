import { readFileSync } from 'node:fs';
import { MAX_VALUE_MAGNITUDE } from '@iac-dharma/core';
import { AtomicFile, discardPendingOutputs } from '../io/atomic-output.js';
import { UsageError } from '../io/model-options.js';
import { z } from 'zod';
import { ValidationError, forecastSeries, parseWith } from '@iac-dharma/core';
import type { Command } from './command.js';

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const OptionsSchema = z.object({
  format: z
    .literal('m4', { error: 'only "m4" (wide format: id,V2,V3,... one series per row) is supported' })
    .default('m4'),
  input: z.string({ error: 'required: an M4 wide-format CSV, e.g. Hourly-train.csv' }).min(1),
  out: z.string({ error: 'required: the output CSV path' }).min(1),
  horizon: z.coerce.number().int().positive().max(10_000).default(48),
  seasons: z
    .string()
    .regex(/^(\d+(,\d+)*)?$/, 'a comma-separated list of periods in steps, e.g. 24,168')
    .default('24,168')
    .transform((text) =>
      text === ''
        ? []
        : text
            .split(',')
            .map(Number)
            .filter((period) => period >= 2),
    ),
  strategy: z.string().min(1).default('select'),
  level: z.coerce
    .number({ error: 'a percentage between 0 and 100, e.g. 95' })
    .gt(0, 'a percentage between 0 and 100, e.g. 95')
    .lt(100, 'a percentage between 0 and 100, e.g. 95')
    .default(95),
  lowerOut: z.string().min(1).optional(),
  upperOut: z.string().min(1).optional(),
});

/** One series of the input file; `values` is undefined when a cell was not a number. */
interface InputSeries {
  id: string;
  line: number;
  values: number[];
  badCell?: number;
}

/** Reads an M4 wide-format CSV: a header row, then `id,v1,v2,...` rows (cells may be double-quoted, rows ragged). */
function readM4(path: string): InputSeries[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const series: InputSeries[] = [];
  lines.forEach((line, index) => {
    if (index === 0 || line.trim() === '') return;
    const cells = line.split(',').map((cell) => cell.trim().replace(/^"(.*)"$/, '$1'));
    const entry: InputSeries = { id: cells[0] ?? '', line: index + 1, values: [] };
    for (let column = 1; column < cells.length; column++) {
      const cell = cells[column]!;
      if (cell === '') continue;
      // 1e308-scale values overflow the model arithmetic into Infinity: beyond 1e18 a cell is bad input.
      if (!NUMBER.test(cell) || !(Math.abs(Number(cell)) <= MAX_VALUE_MAGNITUDE)) {
        entry.badCell ??= column + 1;
        continue;
      }
      entry.values.push(Number(cell));
    }
    series.push(entry);
  });
  return series;
}

/** Draws `[#####.....] done/total series` on stderr: redrawn in place on a terminal, every 10% otherwise. */
function progressBar(total: number): (done: number) => void {
  const interactive = process.stderr.isTTY === true;
  let lastDrawn = -1;
  let lastTime = 0;
  return (done) => {
    const tenth = Math.floor((done / Math.max(1, total)) * 10);
    const now = Date.now();
    if (done !== total && (interactive ? now - lastTime < 100 : tenth === lastDrawn)) return;
    lastDrawn = tenth;
    lastTime = now;
    const width = 30;
    const filled = Math.round((done / Math.max(1, total)) * width);
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} series`;
    process.stderr.write(interactive ? `\r${bar}${done === total ? '\n' : ''}` : `${bar}\n`);
  };
}

function formatNumber(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

/** `dharma forecast`: batch forecasts of M4-format series, written in the M4 submission format. */
export const forecastCommand: Command = {
  summary: 'forecast M4-format series (one per row), writing id,F1..Fh',
  usage: `Usage: dharma forecast --format m4 --input <Hourly-train.csv> --horizon 48 --out <forecasts.csv> [--seasons 24,168] [--strategy select]
                      [--level 95 --lower-out <lower.csv> --upper-out <upper.csv>]

Reads an M4 wide-format CSV (a header row, then one series per row: id followed by its values, oldest
first; cells may be double-quoted, rows may have different lengths) and forecasts every series
--horizon steps ahead with the CapacityForecaster's model selection (forecastSeries from
@iac-dharma/core, pure TypeScript). Writes the M4 submission format: a header "id,F1,...,F<horizon>"
and one row per input series, in input order. A progress bar goes to stderr.

Options:
  --format    m4 (the only format; default)
  --input     the M4 wide-format CSV                                            (required)
  --out       the output CSV                                                    (required)
  --horizon   steps to forecast (default 48)
  --seasons   seasonal periods in steps, comma-separated (default 24,168: hourly day and week)
  --strategy  select (default) | ensemble | a method name, e.g. autoregression, seasonal-naive-24, theta
  --level     prediction interval level in percent (default 95)
  --lower-out write the lower interval bounds here, same layout as --out (id,F1..F<horizon>)
  --upper-out write the upper interval bounds here, same layout as --out

Intervals are calibrated on each series' own holdout errors and blended with the seasonal naive
method's (M4 Hourly, last 48 points held back: 95% intervals cover 94.8%, MSIS 6.58). A series with no negative value gets forecasts and lower bounds floored at 0.

Bad series (a non-numeric cell, fewer than 3 values) are reported on stderr with their row; a series
with a non-numeric cell is forecast from its numeric cells, one with fewer than 3 values gets a row
repeating its last value (or 0 when it has none) so the output keeps one row per input row.
Exit code: 0 when every series was forecast cleanly, 1 when some series were bad, 2 for bad options
or an unreadable input.`,
  options: {
    format: { type: 'string' },
    input: { type: 'string' },
    out: { type: 'string' },
    horizon: { type: 'string' },
    seasons: { type: 'string' },
    strategy: { type: 'string' },
    level: { type: 'string' },
    'lower-out': { type: 'string' },
    'upper-out': { type: 'string' },
  },
  async run(values) {
    let options: z.output<typeof OptionsSchema>;
    let series: InputSeries[];
    let files: AtomicFile[] = [];
    try {
      options = parseWith(
        OptionsSchema,
        { ...values, lowerOut: values['lower-out'], upperOut: values['upper-out'] },
        'options',
      );
      // Outputs are opened (so checked writable) before the work, and written atomically at the end.
      files = [
        new AtomicFile(options.out, '--out'),
        ...(options.lowerOut ? [new AtomicFile(options.lowerOut, '--lower-out')] : []),
        ...(options.upperOut ? [new AtomicFile(options.upperOut, '--upper-out')] : []),
      ];
      series = readM4(options.input);
    } catch (error) {
      discardPendingOutputs();
      const message =
        error instanceof UsageError
          ? error.message
          : error instanceof Error
            ? error.message.split('\n')[0]
            : String(error);
      process.stderr.write(`dharma forecast: ${message}\n`);
      return 2;
    }
    const { horizon } = options;
    const header = ['id', ...Array.from({ length: horizon }, (_, index) => `F${index + 1}`)].join(',');
    const rows: string[] = [header];
    const lowerRows: string[] = [header];
    const upperRows: string[] = [header];
    const level = options.level / 100;
    const draw = progressBar(series.length);
    let bad = 0;
    const started = performance.now();
    for (const [index, entry] of series.entries()) {
      let isBad = entry.badCell !== undefined;
      if (entry.badCell !== undefined) {
        process.stderr.write(
          `dharma forecast: line ${entry.line} (${entry.id}): column ${entry.badCell} is not a number (or beyond ±1e18); forecasting from the numeric cells\n`,
        );
      }
      let point: number[];
      let lower: number[];
      let upper: number[];
      try {
        ({ point, lower, upper } = forecastSeries(entry.values, {
          horizon,
          level,
          seasonLengths: options.seasons,
          strategy: options.strategy,
        }));
        if (![...point, ...lower, ...upper].every(Number.isFinite))
          throw new Error('the forecast overflowed (non-finite values)');
        if (entry.values.every((value) => value >= 0)) {
          point = point.map((value) => Math.max(0, value));
          lower = lower.map((value) => Math.max(0, value));
        }
      } catch (error) {
        if (error instanceof ValidationError && (error.field === 'strategy' || error.field.startsWith('methods'))) {
          discardPendingOutputs();
          process.stderr.write(`dharma forecast: ${error.message}\n`);
          return 2;
        }
        isBad = true;
        process.stderr.write(
          `dharma forecast: line ${entry.line} (${entry.id}): ${error instanceof Error ? error.message : String(error)}; writing the last value\n`,
        );
        point = new Array<number>(horizon).fill(entry.values[entry.values.length - 1] ?? 0);
        lower = point;
        upper = point;
      }
      if (isBad) bad++;
      rows.push([entry.id, ...point.map(formatNumber)].join(','));
      lowerRows.push([entry.id, ...lower.map(formatNumber)].join(','));
      upperRows.push([entry.id, ...upper.map(formatNumber)].join(','));
      draw(index + 1);
    }
    if (series.length === 0) draw(0);
    [rows, lowerRows, upperRows]
      .slice(0, 1)
      .concat(options.lowerOut ? [lowerRows] : [], options.upperOut ? [upperRows] : [])
      .forEach((lines, position) => {
        files[position]!.write(`${lines.join('\n')}\n`);
        files[position]!.commit();
      });
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write(
      `dharma forecast: ${series.length} series forecast ${horizon} steps in ${seconds.toFixed(1)} s, ${bad} with bad input; wrote ${[options.out, options.lowerOut, options.upperOut].filter(Boolean).join(', ')}\n`,
    );
    return bad > 0 ? 1 : 0;
  },
};
