import { FailurePredictor } from '@iac-dharma/models';
import type { Command } from './command.js';
import { checkInput } from '../io/atomic-output.js';
import { CsvOutput } from '../io/csv-output.js';
import { guardCommand } from '../io/guard-command.js';
import { loadCommandModel, modelOptions, modelUsage, requireOption, UsageError } from '../io/model-options.js';
import { readLines } from '../io/read-lines.js';
import { RunReport } from '../io/run-report.js';

const USAGE = `dharma failure — remaining useful life and failure probability per unit

Usage: dharma failure --format cmapss --input <test_FD00x.txt> --out <file.csv>

Reads NASA C-MAPSS rows (unit, cycle, 3 settings, 21 sensors; whitespace-separated), keeps each unit's
last cycles and writes, for the last cycle of each unit: unit,rul,probability
(rul in cycles, capped at the model's cap; probability = P(failure within the model's horizon)).

Options:
  --format cmapss     input format (only cmapss)
  --input <file>      input file ("-" = stdin)
  --out <file>        output CSV ("-" = stdout)
${modelUsage('failure')}`;

const COLUMNS = 26;
const BATCH = 1024;

/** `dharma failure`: C-MAPSS test file → unit,rul,probability for each unit's last cycle. */
export const failureCommand: Command = {
  summary: 'predict remaining useful life and failure probability (C-MAPSS)',
  usage: USAGE,
  options: { format: { type: 'string' }, input: { type: 'string' }, out: { type: 'string' }, ...modelOptions },
  run: (values) =>
    guardCommand('failure', async () => {
      const format = values['format'] ?? 'cmapss';
      if (format !== 'cmapss') throw new UsageError(`--format must be "cmapss", got "${String(format)}".\n\n${USAGE}`);
      const input = requireOption(values, 'input', USAGE);
      const out = requireOption(values, 'out', USAGE);
      // The input must exist and the output be writable before the model loads and any work starts.
      checkInput(input);
      const output = new CsvOutput(out, ['unit', 'rul', 'probability']);
      const model = await loadCommandModel(values, 'failure');
      const predictor = new FailurePredictor({ model });
      const sensors = model.card.features.map((feature) => feature.name);
      const columnOf = sensors.map((name) => cmapssColumn(name));
      const length = model.card.window?.length ?? 1;
      const report = new RunReport('failure');
      const units = new Map<number, { lastCycle: number; rows: number[][] }>();
      for await (const line of readLines(input)) {
        if (line.text.trim() === '') continue;
        const fields = line.text.trim().split(/\s+/);
        if (fields.length !== COLUMNS) {
          report.reject(line.number, `expected ${COLUMNS} whitespace-separated numbers, found ${fields.length}`);
          continue;
        }
        const numbers = fields.map(Number);
        const bad = numbers.findIndex((value) => !Number.isFinite(value));
        if (bad >= 0) {
          report.reject(line.number, `column ${bad + 1} is not a number ("${fields[bad]}")`);
          continue;
        }
        const [unit, cycle] = numbers as [number, number];
        if (!Number.isInteger(unit) || !Number.isInteger(cycle) || unit < 0 || cycle < 0) {
          report.reject(
            line.number,
            `unit and cycle must be non-negative integers, found ${fields[0]} and ${fields[1]}`,
          );
          continue;
        }
        let state = units.get(unit);
        if (!state) units.set(unit, (state = { lastCycle: -Infinity, rows: [] }));
        if (cycle <= state.lastCycle) {
          report.reject(line.number, `unit ${unit}: cycle ${cycle} does not follow cycle ${state.lastCycle}`);
          continue;
        }
        state.lastCycle = cycle;
        state.rows.push(columnOf.map((column) => numbers[column]!));
        if (state.rows.length > length) state.rows.shift();
      }
      const ordered = [...units.entries()].sort((a, b) => a[0] - b[0]);
      for (let start = 0; start < ordered.length; start += BATCH) {
        const chunk = ordered.slice(start, start + BATCH);
        const predictions = await predictor.predictBatch(
          chunk.map(([, state]) => state.rows),
          { explain: false },
        );
        for (const [index, [unit]] of chunk.entries()) {
          const prediction = predictions[index]!;
          await output.write([unit, prediction.timeToFailure ?? '', prediction.probability]);
        }
        report.progress(chunk.length);
      }
      await output.close();
      await model.release();
      return report.finish(out, 'units');
    }),
};

/** 0-based column of a card feature in a C-MAPSS row: `sensor_k` → 4 + k, `setting_k` → 1 + k. */
function cmapssColumn(feature: string): number {
  const match = /^(sensor|setting)_(\d+)$/.exec(feature);
  if (!match)
    throw new UsageError(
      `the model's feature "${feature}" is not a C-MAPSS column (expected sensor_<k> or setting_<k>)`,
    );
  const index = Number(match[2]);
  return match[1] === 'sensor' ? 4 + index : 1 + index;
}
