/**
 * `npm run bench`: runs every benchmark (each writes bench/results/<area>.json), then writes
 * docs/benchmarks.md from those results with the machine they ran on. Benchmarks whose service is not
 * available (Kafka) are reported as not run, with the reason.
 *
 * Usage: npm run bench [-- --only anomaly,m4] [-- --report-only]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const resultsDir = join(root, 'bench/results');

/** Each benchmark: its area (= results file name) and entry file, relative to bench/src. */
const BENCHMARKS: { area: string; entry: string; needs?: string }[] = [
  { area: 'anomaly', entry: 'anomaly/anomaly-bench.ts' },
  { area: 'nab', entry: 'nab/run-nab.ts' },
  { area: 'm4', entry: 'm4/run-m4.ts' },
  { area: 'scoring', entry: 'scoring/scoring-bench.ts' },
  { area: 'remediation', entry: 'remediation/remediation-bench.ts' },
  { area: 'optimizer', entry: 'optimizer/optimizer-bench.ts' },
  { area: 'gateway', entry: 'gateway/gateway-bench.ts' },
  { area: 'kafka', entry: 'kafka/kafka-bench.ts', needs: 'kafka' },
  { area: 'browser', entry: 'browser/browser-bench.ts', needs: 'chromium' },
];

function parseArgs(argv: string[]): { only?: Set<string>; reportOnly: boolean } {
  const onlyIndex = argv.indexOf('--only');
  return {
    ...(onlyIndex >= 0 && argv[onlyIndex + 1] ? { only: new Set(argv[onlyIndex + 1]!.split(',')) } : {}),
    reportOnly: argv.includes('--report-only'),
  };
}

function run(): void {
  const options = parseArgs(process.argv.slice(2));
  const skipped: Record<string, string> = {};
  if (!options.reportOnly) {
    for (const bench of BENCHMARKS) {
      if (options.only && !options.only.has(bench.area)) continue;
      const entry = join(here, bench.entry);
      if (!existsSync(entry)) {
        skipped[bench.area] = `no benchmark at bench/src/${bench.entry}`;
        continue;
      }
      process.stderr.write(`\n=== bench: ${bench.area} (${bench.entry}) ===\n`);
      const result = spawnSync(process.execPath, ['--conditions=@iac-dharma/source', '--import', 'tsx', entry], { cwd: root, stdio: 'inherit', env: process.env });
      if (result.status !== 0) skipped[bench.area] = `exited with status ${result.status}`;
    }
  }
  writeReport(skipped);
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}`;
}

function renderValue(value: unknown): string {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return `\`${JSON.stringify(value)}\``;
  return String(value);
}

/** Renders a results file: `figures` as a table when present, any other fields as a list. */
function renderArea(area: string, data: Record<string, unknown>): string {
  const lines = [`## ${String(data.title ?? area)}`, ''];
  if (typeof data.description === 'string') lines.push(data.description, '');
  if (typeof data.command === 'string') lines.push(`Reproduce: \`${data.command}\``, '');
  if (typeof data.measuredAt === 'string') lines.push(`Measured: ${data.measuredAt}`, '');
  const figures = data.figures;
  if (Array.isArray(figures) && figures.length > 0) {
    const columns = [...new Set(figures.flatMap((row) => Object.keys(row as object)))];
    lines.push(`| ${columns.join(' | ')} |`, `|${columns.map(() => '---').join('|')}|`);
    for (const row of figures as Record<string, unknown>[]) lines.push(`| ${columns.map((column) => renderValue(row[column])).join(' | ')} |`);
    lines.push('');
  }
  const rest = Object.entries(data).filter(([key]) => !['title', 'description', 'command', 'measuredAt', 'figures'].includes(key));
  if (rest.length > 0) {
    lines.push('<details><summary>All figures</summary>', '', '```json', JSON.stringify(Object.fromEntries(rest), null, 2), '```', '', '</details>', '');
  }
  return lines.join('\n');
}

function writeReport(skipped: Record<string, string>): void {
  const files = existsSync(resultsDir) ? readdirSync(resultsDir).filter((file) => file.endsWith('.json')).sort() : [];
  const sections = files.map((file) => renderArea(file.replace(/\.json$/, ''), JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as Record<string, unknown>));
  const report = [
    '# Benchmarks',
    '',
    'Every figure here was measured by `npm run bench` (which runs each file in `bench/src/` and writes',
    '`bench/results/<area>.json`), on the machine below. Figures are medians of repeated runs with their spread;',
    'comparisons are ratios measured in the same run. Benchmarks never run inside the test suite.',
    '',
    `Machine of the last run: ${machine()}.`,
    '',
    ...sections,
    ...(Object.keys(skipped).length > 0
      ? ['## Not run in the last invocation', '', ...Object.entries(skipped).map(([area, reason]) => `- ${area}: ${reason}`), '']
      : []),
  ].join('\n');
  writeFileSync(join(root, 'docs/benchmarks.md'), report);
  process.stderr.write(`wrote docs/benchmarks.md (${files.length} result files)\n`);
}

run();
