/**
 * The main job: `npm run demo` (scripts/demo.sh runs this file with the source export condition).
 * A simulated fleet on the embedded default — SQLite storage, in-process transport, no services —
 * runs through a compressed day; see src/run-demo.ts for what happens and src/html-report.ts for the report.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DharmaError } from '@iac-dharma/core';
import { DEMO_USAGE, parseDemoOptions } from './src/demo-options.js';
import { renderHtmlReport } from './src/html-report.js';
import { clockTime } from './src/incident-rows.js';
import { ProgressLine } from './src/progress-line.js';
import { runDemo } from './src/run-demo.js';
import { summaryText } from './src/summary-table.js';

async function main(): Promise<number> {
  const options = parseDemoOptions(process.argv.slice(2));
  if (options.help) {
    process.stdout.write(`${DEMO_USAGE}\n`);
    return 0;
  }
  const progress = new ProgressLine();
  const start = Date.UTC(2026, 0, 1);
  const hhmm = (at: number) => clockTime({ scenario: { start } } as never, at);
  const result = await runDemo({
    seed: options.seed,
    hours: options.hours,
    strategy: options.strategy,
    ...(options.db ? { db: options.db } : {}),
    ...(options.models ? { models: options.models } : {}),
    ...(options.quiet
      ? {}
      : {
          onProgress: (state) =>
            progress.update({
              done: state.done,
              total: state.total,
              simulated: hhmm(state.now),
              findings: state.findings,
              remediations: state.remediations,
            }),
          onEvent: (event) => {
            progress.clear();
            process.stdout.write(`${hhmm(event.at)}  ${event.kind.padEnd(11)} ${event.text}\n`);
          },
        }),
  });
  progress.done();
  const out = resolve(options.out);
  writeFileSync(out, renderHtmlReport(result));
  process.stdout.write(`${summaryText(result, out)}\n`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message =
      error instanceof DharmaError || error instanceof TypeError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`demo: ${message}\n\n${DEMO_USAGE}\n`);
    process.exit(1);
  },
);
