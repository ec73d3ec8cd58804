import { parseArgs } from 'node:util';
import { parseWith } from '@iac-dharma/core';
import { z } from 'zod';

/** The demo's command-line options, validated. */
export const DemoOptionsSchema = z.object({
  /** Seed of every random draw (metrics noise, traffic, which service gets which incident). @default 7 */
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(7),
  /** Simulated hours; the first 3 are a quiet warm-up. @default 24 */
  hours: z.coerce.number().int().min(6, 'at least 6: 3 hours of warm-up and 3 with incidents').max(168).default(24),
  /** Where the HTML report is written. @default './dharma-report.html' */
  out: z.string().min(1).default('./dharma-report.html'),
  /** Print only the summary (no progress line, no event log). @default false */
  quiet: z.boolean().default(false),
  /** SQLite file for the run. @default a temporary file, deleted at the end */
  db: z.string().min(1).optional(),
  /** Folder holding the ONNX artifacts (`<id>/model-card.json`). @default the bundled artifacts of @iac-dharma/models */
  models: z.string().min(1).optional(),
  /** Anomaly strategy: `z-score` (threshold 0.8) suits the simulated fleet's steady metrics; `ensemble` is the SDK default. @default 'z-score' */
  strategy: z.enum(['z-score', 'ensemble']).default('z-score'),
  help: z.boolean().default(false),
});
export type DemoOptions = z.output<typeof DemoOptionsSchema>;

/** Usage text of `npm run demo -- --help`. */
export const DEMO_USAGE = `npm run demo -- [options]

Runs a simulated fleet through a compressed day on the embedded default (SQLite storage, in-process
transport): anomaly detection, failure prediction, capacity forecasting, threat detection and guarded
remediation. Prints a summary and writes an HTML report that opens offline.

Options:
  --seed <n>      seed of every random draw (default 7)
  --hours <n>     simulated hours, 6..168 (default 24; the first 3 are a quiet warm-up)
  --out <file>    HTML report path (default ./dharma-report.html)
  --quiet         print only the summary
  --db <file>     keep the SQLite database at this path (default: a temporary file, deleted)
  --models <dir>  ONNX artifacts folder (default: the bundled artifacts of @iac-dharma/models)
  --strategy <s>  anomaly strategy: z-score (default; threshold 0.8) or ensemble (the SDK default, threshold 0.6)
  --help          this text`;

/** Parses `argv` (without node and the script); throws `ValidationError` naming the bad option. */
export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      seed: { type: 'string' },
      hours: { type: 'string' },
      out: { type: 'string' },
      quiet: { type: 'boolean' },
      db: { type: 'string' },
      models: { type: 'string' },
      strategy: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  return parseWith(DemoOptionsSchema, values, 'demo options');
}
