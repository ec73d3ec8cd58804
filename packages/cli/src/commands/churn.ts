import { ChurnPredictor, createExtractionNotes, TabularExtractor } from '@iac-dharma/models';
import type { Command } from './command.js';
import { checkInput } from '../io/atomic-output.js';
import { CsvOutput } from '../io/csv-output.js';
import { parseCsvLine } from '../io/csv.js';
import { guardCommand } from '../io/guard-command.js';
import { loadCommandModel, modelOptions, modelUsage, requireOption, UsageError } from '../io/model-options.js';
import { readLines } from '../io/read-lines.js';
import { RunReport } from '../io/run-report.js';

const USAGE = `dharma churn — customer churn probability (IBM Telco schema)

Usage: dharma churn --input <customers.csv> --out <file.csv>

Reads a CSV with a header row holding customerID and the model's feature columns (gender, SeniorCitizen,
Partner, ..., MonthlyCharges, TotalCharges; extra columns such as Churn are ignored) and writes
customerID,churn_probability per row, in order. Blank TotalCharges (brand-new customers) are imputed
as the model card says and counted in the summary.

Options:
  --input <file>      input CSV ("-" = stdin)
  --out <file>        output CSV ("-" = stdout)
  --id-column <name>  column identifying the customer (default: customerID)
${modelUsage('churn')}`;

const BATCH = 4096;

/** `dharma churn`: account CSV → customerID,churn_probability. */
export const churnCommand: Command = {
  summary: 'estimate customer churn probability (IBM Telco schema)',
  usage: USAGE,
  options: { input: { type: 'string' }, out: { type: 'string' }, 'id-column': { type: 'string' }, ...modelOptions },
  run: (values) =>
    guardCommand('churn', async () => {
      const input = requireOption(values, 'input', USAGE);
      const out = requireOption(values, 'out', USAGE);
      const idColumn = typeof values['id-column'] === 'string' ? values['id-column'] : 'customerID';
      // The input must exist and the output be writable before the model loads and any work starts.
      checkInput(input);
      const output = new CsvOutput(out, [idColumn, 'churn_probability']);
      const model = await loadCommandModel(values, 'churn');
      const predictor = new ChurnPredictor({ model });
      const extractor = TabularExtractor.fromCard(model.card);
      const report = new RunReport('churn');
      const notes = createExtractionNotes();
      let header: string[] | undefined;
      let columns: number[] = [];
      let idIndex = -1;
      let batch = new Float32Array(BATCH * extractor.width);
      let ids: string[] = [];
      const flush = async () => {
        if (ids.length === 0) return;
        const probabilities = await predictor.scoreEncoded(
          model,
          batch.subarray(0, ids.length * extractor.width),
          ids.length,
        );
        for (const [index, id] of ids.entries()) await output.write([id, probabilities[index]!]);
        report.progress(ids.length);
        ids = [];
        batch = new Float32Array(BATCH * extractor.width);
      };
      for await (const line of readLines(input)) {
        if (line.text.trim() === '') continue;
        const fields = parseCsvLine(line.text);
        if (!header) {
          header = (fields ?? []).map((name) => name.trim().replace(/^\uFEFF/, ''));
          idIndex = header.indexOf(idColumn);
          const absent = [idColumn, ...extractor.featureNames].filter((name) => !header!.includes(name));
          if (absent.length > 0) throw new UsageError(`the header of ${input} lacks column(s) ${absent.join(', ')}.`);
          columns = extractor.featureNames.map((name) => header!.indexOf(name));
          continue;
        }
        if (!fields || fields.length !== header.length) {
          report.reject(
            line.number,
            `expected ${header.length} fields like the header, found ${fields?.length ?? 'an unterminated quote'}`,
          );
          continue;
        }
        const row: Record<string, string> = {};
        extractor.featureNames.forEach((name, index) => (row[name] = fields[columns[index]!]!));
        try {
          extractor.encodeInto(row, batch, ids.length * extractor.width, notes);
        } catch (error) {
          report.reject(line.number, error instanceof Error ? error.message : String(error));
          continue;
        }
        ids.push(fields[idIndex]!);
        if (ids.length === BATCH) await flush();
      }
      if (!header) throw new UsageError(`${input} is empty: expected a header row and customer rows.`);
      await flush();
      await output.close();
      for (const [feature, count] of notes.imputed) {
        const rule = model.card.features.find((spec) => spec.name === feature);
        const value = rule?.kind === 'numeric' ? rule.missing?.value : undefined;
        report.note(`${count} rows had a blank or unparseable ${feature}, imputed as ${value} per the model card`);
      }
      for (const [feature, count] of notes.unknownCategories)
        report.note(`${count} rows had a ${feature} value the model never saw (encoded as all zeros)`);
      await model.release();
      return report.finish(out);
    }),
};
