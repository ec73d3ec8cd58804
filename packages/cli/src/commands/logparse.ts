import { z } from 'zod';
import {
  LOGHUB_LOG_FORMATS,
  LogFormat,
  LogTemplateMiner,
  ValidationError,
  loghubSystem,
  parseWith,
} from '@iac-dharma/core';
import { CsvOutput } from '../io/csv-output.js';
import { readLines } from '../io/read-lines.js';
import type { Command } from './command.js';

const OptionsSchema = z.object({
  input: z.string({ error: 'required: the log file (- for stdin)' }).min(1),
  out: z.string({ error: 'required: the output CSV (- for stdout)' }).min(1),
  format: z.enum(['loghub', 'lines']).default('loghub'),
  system: z.string().optional(),
  'log-format': z.string().optional(),
});

/** The header format from `--system` or `--log-format` (the whole line is the message when neither is given). */
function headerFormat(options: z.output<typeof OptionsSchema>): LogFormat | undefined {
  if (options.system !== undefined && options['log-format'] !== undefined) {
    throw new ValidationError('give either --system or --log-format, not both', [
      { path: 'system', message: 'conflicts with --log-format', code: 'custom' },
    ]);
  }
  if (options['log-format'] !== undefined) return new LogFormat(options['log-format']);
  if (options.system !== undefined) {
    const system = loghubSystem(options.system);
    if (!system) {
      throw new ValidationError(
        `--system "${options.system}" is not a Loghub system; use one of ${Object.keys(LOGHUB_LOG_FORMATS).join(', ')} or --log-format`,
        [{ path: 'system', message: 'unknown system', code: 'custom' }],
      );
    }
    return LogFormat.loghub(system);
  }
  if (options.format === 'loghub') {
    throw new ValidationError('--format loghub needs --system NAME or --log-format FORMAT', [
      { path: 'system', message: 'required with --format loghub', code: 'custom' },
    ]);
  }
  return undefined;
}

/** `dharma logparse`: streaming log template mining, one CSV row per input line. */
export const logparseCommand: Command = {
  summary: 'mine log templates: one LineId,EventId,EventTemplate row per log line',
  usage: `Usage: dharma logparse --format loghub (--system NAME | --log-format FORMAT) --input <file.log> --out <file.csv>

Splits each line into its header and its message by a header format, mines the message templates with the
LogTemplateMiner (online, one pass, the same configuration for every log) and writes one CSV row per input
line, in order: LineId,EventId,EventTemplate,Content. LineId counts lines from 1; EventId names the final
template (templates merged later in the stream are reported by their surviving id); variable parts of a
template are written <*>. Lines that do not match the header format keep the whole line as message (counted
on stderr).

Options:
  --input       log file, - for stdin                                  (required)
  --out         output CSV file, - for stdout                          (required)
  --format      loghub (default): a header format is required | lines: the whole line is the message
  --system      one of the 16 Loghub systems: ${Object.keys(LOGHUB_LOG_FORMATS).join(', ')}
  --log-format  any other header format, e.g. '<Date> <Time> <Level>: <Content>' (fields in <>, one
                <Content>; text between fields is matched literally, runs of spaces match any whitespace)

Exit code: 0 when every line was written, 1 when the input could not be read, 2 for bad options.`,
  options: {
    input: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    system: { type: 'string' },
    'log-format': { type: 'string' },
  },
  async run(values) {
    let options: z.output<typeof OptionsSchema>;
    let format: LogFormat | undefined;
    try {
      options = parseWith(OptionsSchema, values, 'options');
      format = headerFormat(options);
    } catch (error) {
      process.stderr.write(`dharma logparse: ${error instanceof Error ? error.message : String(error)}\n`);
      return 2;
    }
    const miner = new LogTemplateMiner();
    const assigned: number[] = [];
    const contents: string[] = [];
    let unmatched = 0;
    try {
      for await (const line of readLines(options.input)) {
        let content = line.text.trim();
        if (format) {
          const parsed = format.parse(line.text);
          if (!parsed.matched) unmatched += 1;
          content = parsed.content;
        }
        assigned.push(miner.add(content).id);
        // A file is read again for the Content column; only stdin's messages are kept in memory.
        if (options.input === '-') contents.push(content);
      }
    } catch (error) {
      process.stderr.write(
        `dharma logparse: cannot read ${options.input}: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      return 1;
    }
    const output = new CsvOutput(options.out, ['LineId', 'EventId', 'EventTemplate', 'Content']);
    const messages = options.input === '-' ? contents.values() : rereadContents(options.input, format);
    let index = 0;
    for await (const content of messages) {
      if (index >= assigned.length) break;
      const id = miner.resolve(assigned[index]!);
      index += 1;
      await output.write([index, `E${id}`, miner.template(id)?.template ?? content, content]);
    }
    await output.close();
    process.stderr.write(
      `dharma logparse: ${assigned.length} lines, ${miner.size} templates${unmatched > 0 ? `, ${unmatched} lines did not match the header format (whole line used as message)` : ''}\n`,
    );
    return 0;
  },
};

/** The messages of a file, read a second time (the first pass only keeps template ids). */
async function* rereadContents(path: string, format: LogFormat | undefined): AsyncGenerator<string> {
  for await (const line of readLines(path)) yield format ? format.parse(line.text).content : line.text.trim();
}
