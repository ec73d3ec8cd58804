import { createExtractionNotes, NSL_KDD_FEATURES, TabularExtractor, ThreatDetector } from '@iac-dharma/models';
import type { Command } from './command.js';
import { checkInput } from '../io/atomic-output.js';
import { CsvOutput } from '../io/csv-output.js';
import { parseCsvLine } from '../io/csv.js';
import { guardCommand } from '../io/guard-command.js';
import { loadCommandModel, modelOptions, modelUsage, requireOption, UsageError } from '../io/model-options.js';
import { readLines } from '../io/read-lines.js';
import { RunReport } from '../io/run-report.js';

const USAGE = `dharma threat — classify network connections (NSL-KDD)

Usage: dharma threat --format nsl-kdd --input <KDD file> --out <file.csv>

Reads NSL-KDD / KDD'99 rows (41 comma-separated connection features, optionally followed by the label
and difficulty columns, no header) and writes one row per input row, in order:
label,attack_probability  (label: normal|dos|probe|r2l|u2r; attack_probability = 1 - P(normal)).
Lines that cannot be parsed are reported on stderr with their line number and skipped.

Options:
  --format nsl-kdd    input format (only nsl-kdd)
  --input <file>      input file ("-" = stdin)
  --out <file>        output CSV ("-" = stdout)
${modelUsage('threat')}`;

const BATCH = 4096;

/** `dharma threat`: NSL-KDD rows → label,attack_probability per row. */
export const threatCommand: Command = {
  summary: 'classify network connections as normal/dos/probe/r2l/u2r (NSL-KDD)',
  usage: USAGE,
  options: { format: { type: 'string' }, input: { type: 'string' }, out: { type: 'string' }, ...modelOptions },
  run: (values) =>
    guardCommand('threat', async () => {
      const format = values['format'] ?? 'nsl-kdd';
      if (format !== 'nsl-kdd')
        throw new UsageError(`--format must be "nsl-kdd", got "${String(format)}".\n\n${USAGE}`);
      const input = requireOption(values, 'input', USAGE);
      const out = requireOption(values, 'out', USAGE);
      // The input must exist and the output be writable before the model loads and any work starts.
      checkInput(input);
      const output = new CsvOutput(out, ['label', 'attack_probability']);
      const model = await loadCommandModel(values, 'threat');
      const detector = new ThreatDetector({ model });
      const extractor = TabularExtractor.fromCard(model.card);
      const report = new RunReport('threat');
      const notes = createExtractionNotes();
      let batch = new Float32Array(BATCH * extractor.width);
      let rows = 0;
      const flush = async () => {
        if (rows === 0) return;
        const verdicts = await detector.classifyEncoded(batch.subarray(0, rows * extractor.width), rows);
        for (const verdict of verdicts) await output.write([verdict.category, verdict.probability]);
        report.progress(rows);
        rows = 0;
        batch = new Float32Array(BATCH * extractor.width);
      };
      for await (const line of readLines(input)) {
        if (line.text.trim() === '') continue;
        const fields = parseCsvLine(line.text);
        if (!fields || fields.length < NSL_KDD_FEATURES.length || fields.length > NSL_KDD_FEATURES.length + 2) {
          report.reject(
            line.number,
            `expected ${NSL_KDD_FEATURES.length} to ${NSL_KDD_FEATURES.length + 2} comma-separated fields, found ${fields?.length ?? 'an unterminated quote'}`,
          );
          continue;
        }
        const row: Record<string, string> = {};
        NSL_KDD_FEATURES.forEach((name, index) => (row[name] = fields[index]!));
        try {
          extractor.encodeInto(row, batch, rows * extractor.width, notes);
        } catch (error) {
          report.reject(line.number, error instanceof Error ? error.message : String(error));
          continue;
        }
        rows++;
        if (rows === BATCH) await flush();
      }
      await flush();
      await output.close();
      for (const [feature, count] of notes.unknownCategories)
        report.note(`${count} rows had a ${feature} value the model never saw (encoded as all zeros)`);
      await model.release();
      return report.finish(out);
    }),
};
