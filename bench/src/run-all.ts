/**
 * `npm run bench`: runs every benchmark (each writes bench/results/<area>.json), then writes
 * docs/benchmarks.md from those results with the machine they ran on. A benchmark whose service is not
 * available (Kafka), that fails or that runs longer than the time limit is reported as not run, with the
 * reason; its figures from an earlier run, if any, stay in the report marked as not re-measured.
 *
 * Usage: npm run bench [-- --only anomaly,m4] [-- --report-only]
 * Env: BENCH_TIMEOUT_MINUTES (per benchmark, default 15), DHARMA_SERVICES_DIR (default .services/).
 *
 * The rendering functions are exported for bench/test/run-all.test.ts; importing this module runs nothing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const resultsDir = join(root, 'bench/results');

/** One benchmark: its area (= results file name), entry file relative to bench/src, and how to run it. */
export interface Benchmark {
  area: string;
  entry: string;
  /** Arguments after the entry file (the ones its results' `command` records). */
  args?: string[];
  /** Extra Node flags. */
  nodeArgs?: string[];
  /** A service started by scripts/services/start-<needs>.sh, checked through its .env file. */
  needs?: 'kafka' | 'chromium';
}

/** Every benchmark, in run order (cheap and self-contained first; services last). */
export const BENCHMARKS: Benchmark[] = [
  { area: 'package-sizes', entry: 'package-sizes/package-sizes.ts' },
  { area: 'anomaly', entry: 'anomaly/anomaly-throughput.ts', nodeArgs: ['--expose-gc'] },
  { area: 'nab', entry: 'nab/run-nab.ts' },
  { area: 'm4', entry: 'm4/m4-validate.ts', args: ['--with-mstl', '--repeats', '3'] },
  { area: 'scoring', entry: 'scoring/scoring-bench.ts' },
  { area: 'model-integrity', entry: 'model-integrity/model-integrity-bench.ts' },
  {
    area: 'snapshot',
    entry: 'snapshot/snapshot-bench.ts',
    args: [
      '--series',
      '100000',
      '--samples',
      '20',
      '--storage',
      'sqlite,postgres',
      '--before',
      'bench/src/snapshot/before-main-51975cb.json',
      '--before-label',
      'before: main 51975cb, one state row',
      '--label',
      'chunked (schema 3)',
    ],
  },
  { area: 'python-peers', entry: 'python-peers/python-peers-bench.ts' },
  { area: 'remediation', entry: 'remediation/remediation-bench.ts', args: ['200', '5'] },
  { area: 'optimizer', entry: 'optimizer/optimizer-bench.ts' },
  { area: 'loghub', entry: 'loghub/loghub-bench.ts' },
  { area: 'incident', entry: 'logs/incident-bench.ts' },
  { area: 'rca', entry: 'rca/petshop-rca.ts' },
  { area: 'gateway', entry: 'gateway/gateway-bench.ts', args: ['3'] },
  { area: 'prometheus', entry: 'prometheus/prometheus-bench.ts' },
  { area: 'kafka', entry: 'kafka/kafka-bench.ts', needs: 'kafka' },
  { area: 'browser', entry: 'browser/browser-bench.ts', needs: 'chromium' },
];

const SERVICE_HINT: Record<string, string> = {
  kafka: 'no broker: run `bash scripts/services/start-kafka.sh` first',
  chromium: 'no Chromium: run `bash scripts/services/start-chromium.sh` first',
};

function parseArgs(argv: string[]): { only?: Set<string>; reportOnly: boolean } {
  const onlyIndex = argv.indexOf('--only');
  return {
    ...(onlyIndex >= 0 && argv[onlyIndex + 1] ? { only: new Set(argv[onlyIndex + 1]!.split(',')) } : {}),
    reportOnly: argv.includes('--report-only'),
  };
}

/** Why a benchmark cannot run now (missing entry or service), or undefined. */
function missingPrerequisite(bench: Benchmark): string | undefined {
  if (!existsSync(join(here, bench.entry))) return `no benchmark at bench/src/${bench.entry}`;
  if (!bench.needs) return undefined;
  const servicesDir = process.env['DHARMA_SERVICES_DIR'] ?? join(root, '.services');
  const envFile = join(servicesDir, `${bench.needs}.env`);
  if (!existsSync(envFile)) return SERVICE_HINT[bench.needs];
  const pid = /DHARMA_KAFKA_PID=(\d+)/.exec(readFileSync(envFile, 'utf8'))?.[1];
  if (pid && !processAlive(Number(pid)))
    return `${SERVICE_HINT[bench.needs]} (the broker in ${envFile} is not running)`;
  return undefined;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function run(): void {
  const options = parseArgs(process.argv.slice(2));
  const timeoutMinutes = Number(process.env['BENCH_TIMEOUT_MINUTES'] ?? 15);
  const skipped: Record<string, string> = {};
  const wallSeconds: Record<string, number> = {};
  if (!options.reportOnly) {
    for (const bench of BENCHMARKS) {
      if (options.only && !options.only.has(bench.area)) continue;
      const missing = missingPrerequisite(bench);
      if (missing) {
        skipped[bench.area] = missing;
        continue;
      }
      process.stderr.write(`\n=== bench: ${bench.area} (${bench.entry}) ===\n`);
      const start = performance.now();
      const args = [
        ...(bench.nodeArgs ?? []),
        '--conditions=@iac-dharma/source',
        '--import',
        'tsx',
        join(here, bench.entry),
        ...(bench.args ?? []),
      ];
      const result = spawnSync(process.execPath, args, {
        cwd: root,
        stdio: 'inherit',
        env: process.env,
        timeout: timeoutMinutes * 60_000,
        killSignal: 'SIGTERM',
      });
      wallSeconds[bench.area] = Math.round((performance.now() - start) / 1000);
      if (result.error && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
        skipped[bench.area] = `stopped after the ${timeoutMinutes}-minute limit`;
      else if (result.status !== 0) skipped[bench.area] = `exited with status ${result.status ?? result.signal}`;
    }
  }
  const { results, modifiedAt } = readResults();
  writeFileSync(
    join(root, 'docs/benchmarks.md'),
    renderReport({
      results,
      modifiedAt,
      skipped,
      wallSeconds,
      machine: machine(),
      generatedAt: new Date().toISOString(),
    }),
  );
  process.stderr.write(`wrote docs/benchmarks.md (${Object.keys(results).length} result files)\n`);
}

function readResults(): { results: Record<string, Record<string, unknown>>; modifiedAt: Record<string, string> } {
  const files = existsSync(resultsDir) ? readdirSync(resultsDir).filter((file) => file.endsWith('.json')) : [];
  const area = (file: string) => file.replace(/\.json$/, '');
  return {
    results: Object.fromEntries(
      files.map((file) => [
        area(file),
        JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as Record<string, unknown>,
      ]),
    ),
    modifiedAt: Object.fromEntries(
      files.map((file) => [area(file), statSync(join(resultsDir, file)).mtime.toISOString()]),
    ),
  };
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const load = loadavg()
    .map((value) => value.toFixed(1))
    .join(' / ');
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, ${process.platform}/${process.arch}; load average (1/5/15 min) when the report was written: ${load}`;
}

// ---------------------------------------------------------------------------------------- rendering

type Results = Record<string, unknown>;

/** A headline figure next to its goal; `met` is undefined when there is no goal to check. */
export interface GoalRow {
  figure: string;
  measured: string;
  goal: string;
  met?: boolean;
}

/** A `{ median, min, max }` (or `{ median, p25, p75 }`) summary of repeated runs. */
function isSpread(
  value: unknown,
): value is { median: number; min?: number; max?: number; p25?: number; p75?: number; runs?: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { median?: unknown }).median === 'number' &&
    ((typeof (value as { min?: unknown }).min === 'number' && typeof (value as { max?: unknown }).max === 'number') ||
      (typeof (value as { p25?: unknown }).p25 === 'number' && typeof (value as { p75?: unknown }).p75 === 'number'))
  );
}

/** A number for a table: thousands separators from 1000, otherwise 4 significant digits, never exponent notation above 1e-4. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  if (Number.isInteger(value)) return String(value);
  const digits = Math.abs(value) >= 1 ? 4 : 3;
  return String(Number(value.toPrecision(digits)));
}

/** One table cell: spreads as `median (min–max)`, numbers formatted, objects as inline JSON, `|` escaped. */
export function renderValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (isSpread(value)) {
    const range =
      typeof value.min === 'number' && typeof value.max === 'number'
        ? `${formatNumber(value.min)}–${formatNumber(value.max)}`
        : `IQR ${formatNumber(value.p25!)}–${formatNumber(value.p75!)}`;
    return `${formatNumber(value.median)} (${range}${typeof value.runs === 'number' ? `, n=${value.runs}` : ''})`;
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'number'))
    return value.map(formatNumber).join(', ');
  const text = typeof value === 'object' ? `\`${JSON.stringify(value)}\`` : String(value);
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}

/** A markdown table of `rows` (column order: first appearance). */
export function renderTable(rows: readonly Record<string, unknown>[]): string[] {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return [
    `| ${columns.join(' | ')} |`,
    `|${columns.map((column) => (rows.some((row) => typeof row[column] === 'number' || isSpread(row[column])) ? '---:' : '---')).join('|')}|`,
    ...rows.map((row) => `| ${columns.map((column) => renderValue(row[column])).join(' | ')} |`),
  ];
}

const META_KEYS = [
  'title',
  'benchmark',
  'description',
  'command',
  'measuredAt',
  'generatedAt',
  'date',
  'figures',
  'notRun',
];
const isFlatRow = (item: unknown) =>
  typeof item === 'object' &&
  item !== null &&
  !Array.isArray(item) &&
  Object.values(item).every((value) => typeof value !== 'object' || value === null || isSpread(value));

/** Tables for a results file: `figures` if present; otherwise arrays of flat rows, then top-level spreads and numbers. Returns the keys it used. */
function renderFigures(data: Results): { lines: string[]; used: Set<string> } {
  const used = new Set<string>();
  const lines: string[] = [];
  if (Array.isArray(data['figures']) && data['figures'].length > 0) {
    lines.push(...renderTable(data['figures'] as Record<string, unknown>[]), '');
    return { lines, used };
  }
  for (const [key, value] of Object.entries(data)) {
    if (META_KEYS.includes(key) || !Array.isArray(value) || value.length === 0 || !value.every(isFlatRow)) continue;
    if (value.length > 40) continue; // long series (learning curves) stay in the details
    lines.push(...(key === 'rows' ? [] : [`**${key}**`, '']), ...renderTable(value as Record<string, unknown>[]), '');
    used.add(key);
  }
  const scalars = Object.entries(data).filter(
    ([key, value]) =>
      !META_KEYS.includes(key) && (typeof value === 'number' || typeof value === 'boolean' || isSpread(value)),
  );
  if (scalars.length > 0) {
    lines.push(
      ...renderTable(
        scalars.map(([key, value]) => ({ figure: key, 'value (median (min–max) for repeated runs)': value })),
      ),
      '',
    );
    for (const [key] of scalars) used.add(key);
  }
  return { lines, used };
}

const percent = (text: unknown) => (typeof text === 'string' ? Number.parseFloat(text.replace('%', '')) : Number.NaN);
const TREE_ALGORITHMS = new Set(['random-forest', 'xgboost', 'lightgbm']);

/** Goal rows from `figures` rows with `scenario`, `median`, `unit` and a `goal` such as `< 5` or `≥ 100000`. */
function goalRows(data: Results): GoalRow[] {
  return ((data['figures'] ?? []) as Results[])
    .filter((row) => typeof row['goal'] === 'string' && row['goal'] !== '—')
    .map((row) => {
      const goal = String(row['goal']);
      const bound = Number.parseFloat(goal.replace(/[^\d.]/g, ''));
      const median = row['median'] as number;
      return {
        figure: String(row['scenario']),
        measured: `${formatNumber(median)} ${String(row['unit'] ?? '')}`.trim(),
        goal,
        met: goal.startsWith('<')
          ? median < bound
          : goal.startsWith('≥') || goal.startsWith('>=')
            ? median >= bound
            : undefined,
      };
    });
}

/** Headline figures vs the goals stated in the issues, per area. */
export const HEADLINES: Record<string, (data: Results) => GoalRow[]> = {
  anomaly: (data) => {
    const rows: GoalRow[] = [];
    if (typeof data['cpuSecondsMedian'] === 'number') {
      const cpu = data['cpuSecondsMedian'];
      rows.push({
        figure: `CPU seconds for the NAB corpus (${renderValue(data['rows'])} samples, fresh detector per file)`,
        measured: `${formatNumber(cpu)} s (${formatNumber(data['cpuSecondsMin'] as number)}–${formatNumber(data['cpuSecondsMax'] as number)})`,
        goal: '< 1 s',
        met: cpu < 1,
      });
    }
    if (typeof data['samplesPerSecondPerCore'] === 'number')
      rows.push({
        figure: 'samples per second per core',
        measured: formatNumber(data['samplesPerSecondPerCore']),
        goal: '—',
      });
    for (const [key, label] of [
      ['snapshotBytesPerSeries', 'snapshot bytes per series'],
      ['heapBytesPerSeries', 'memory bytes per series'],
    ] as const) {
      if (typeof data[key] === 'number')
        rows.push({ figure: label, measured: formatNumber(data[key]), goal: '< 2 KB', met: data[key] < 2048 });
    }
    return rows;
  },
  nab: (data) =>
    Object.values(
      (data['scores'] ?? {}) as Record<string, { profile: string; normalizedScore: number; threshold: number }>,
    ).map((score) => ({
      figure: `NAB score, ${score.profile} profile (threshold ${formatNumber(score.threshold)})`,
      measured: formatNumber(score.normalizedScore),
      goal: '— (0 = null detector, 100 = perfect)',
    })),
  scoring: (data) =>
    ((data['figures'] ?? []) as Results[]).flatMap((row) => {
      const model = `${String(row['model'])} (${String(row['algorithm'])})`;
      const overhead = percent(row['SDK overhead p50']);
      const rows: GoalRow[] = [
        {
          figure: `${model}: SDK overhead vs bare onnxruntime-node, p50`,
          measured: String(row['SDK overhead p50']),
          goal: '< +10%',
          met: overhead < 10,
        },
      ];
      if (TREE_ALGORITHMS.has(String(row['algorithm'])) && typeof row['SDK p99 ms'] === 'number') {
        rows.push({
          figure: `${model}: SDK single-row p99`,
          measured: `${formatNumber(row['SDK p99 ms'])} ms`,
          goal: '< 0.2 ms',
          met: row['SDK p99 ms'] < 0.2,
        });
      }
      return rows;
    }),
  m4: (data) =>
    ((data['rows'] ?? []) as Results[])
      .filter((row) => row['method'] === 'select (default)')
      .flatMap((row) => {
        const rows: GoalRow[] = [
          {
            figure: `default forecaster (select), ${String(row['origin'])} split: OWA (sMAPE ${formatNumber(row['smape'] as number)}, MASE ${formatNumber(row['mase'] as number)})`,
            measured: formatNumber(row['owa'] as number),
            goal: '— (Naive2 = 1, lower is better)',
          },
        ];
        if (typeof row['msis95'] === 'number' && typeof row['coverage95'] === 'number') {
          rows.push({
            figure: `95% intervals, ${String(row['origin'])} split: MSIS`,
            measured: formatNumber(row['msis95']),
            goal: '≤ 6.0 (M4 hourly best 6.139)',
            met: row['msis95'] <= 6,
          });
          rows.push({
            figure: `95% intervals, ${String(row['origin'])} split: coverage`,
            measured: formatNumber(row['coverage95']),
            goal: '0.94–0.96',
            met: Math.abs(row['coverage95'] - 0.95) <= 0.01,
          });
        }
        return rows;
      }),
  'nab-cv': (data) => {
    const rows: GoalRow[] = [];
    const k = data['kFold'] as { score?: number } | undefined;
    const loco = data['leaveCategoryOut'] as { score?: number } | undefined;
    const inSample = (data['inSample'] as Array<{ config: string; inSample: number }> | undefined)?.find(
      (row) => row.config === 'default',
    );
    if (typeof k?.score === 'number')
      rows.push({
        figure: `NAB standard profile, ${String(data['folds'])}-fold cross-validation over the 31 labelled files (out of sample)`,
        measured: formatNumber(k.score),
        goal: '≥ 75 (ARTime 74.9)',
        met: k.score >= 75,
      });
    if (typeof loco?.score === 'number')
      rows.push({
        figure: 'NAB standard profile, leave one category out (out of sample)',
        measured: formatNumber(loco.score),
        goal: '≥ 75',
        met: loco.score >= 75,
      });
    if (inSample)
      rows.push({
        figure: 'NAB standard profile, in-sample (threshold optimised on the same 31 files)',
        measured: formatNumber(inSample.inSample),
        goal: '— (in-sample, for comparison only)',
      });
    return rows;
  },
  'threat-cv': (data) => {
    const summary = data['summary'] as
      Record<string, { testMixAccuracy: number; novelDetection: number; falseAlarm: number }> | undefined;
    const shipped = typeof data['shipped'] === 'string' ? summary?.[data['shipped']] : undefined;
    const alone = summary?.['w=1.0'];
    const rows: GoalRow[] = [];
    if (shipped)
      rows.push({
        figure: `NSL-KDD, attack types left out of training: test-mix binary accuracy of the shipped model (${String(data['shipped'])}); novel detection ${formatNumber(shipped.novelDetection)}, false alarms ${formatNumber(shipped.falseAlarm)}`,
        measured: formatNumber(shipped.testMixAccuracy),
        goal: '≥ 0.90',
        met: shipped.testMixAccuracy >= 0.9,
      });
    if (alone)
      rows.push({
        figure: `the classifier alone (before); novel detection ${formatNumber(alone.novelDetection)}, false alarms ${formatNumber(alone.falseAlarm)}`,
        measured: formatNumber(alone.testMixAccuracy),
        goal: '—',
      });
    return rows;
  },
  loghub: (data) => {
    const rows: GoalRow[] = [];
    const number = (key: string) => (typeof data[key] === 'number' ? (data[key] as number) : undefined);
    const ga = number('meanGACorrected');
    const pa = number('meanPACorrected');
    const speed = number('linesPerCpuSecond');
    if (ga !== undefined)
      rows.push({
        figure: 'mean grouping accuracy, 8 systems with public corrected labels',
        measured: formatNumber(ga),
        goal: '≥ 0.95 (Drain 0.865)',
        met: ga >= 0.95,
      });
    if (pa !== undefined)
      rows.push({
        figure: 'mean parsing accuracy, 8 systems with public corrected labels',
        measured: formatNumber(pa),
        goal: '≥ 0.90',
        met: pa >= 0.9,
      });
    if (speed !== undefined)
      rows.push({
        figure: 'lines per CPU second (header split + mining, one thread)',
        measured: formatNumber(speed),
        goal: '≥ 200,000',
        met: speed >= 200_000,
      });
    return rows;
  },
  prometheus: (data) => goalRows(data),
  snapshot: (data) =>
    ((data['figures'] ?? []) as Results[])
      .filter((row) => !String(row['code'] ?? '').startsWith('before'))
      .flatMap((row) => {
        const where = `${String(row['storage'])}, ${renderValue(row['series'])} series`;
        const largest = row['largest state row bytes'] as number;
        return [
          {
            figure: `${where}: engine.close() saving every series (peak RSS ${renderValue(row['close peak RSS MiB'])} MiB)`,
            measured: `${formatNumber(row['close s (all series dirty)'] as number)} s`,
            goal: '—',
          },
          {
            figure: `${where}: largest stored state row`,
            measured: `${formatNumber(largest)} bytes`,
            goal: '< 64 KB (one series, not all)',
            met: largest < 65_536,
          },
        ];
      }),
  kafka: (data) =>
    ((data['figures'] ?? []) as Results[])
      .filter((row) => typeof row['goal'] === 'string' && row['goal'] !== '—')
      .map((row) => {
        const goal = String(row['goal']);
        const bound = Number.parseFloat(goal.replace(/[^\d.]/g, ''));
        const median = row['median'] as number;
        return {
          figure: `${String(row['scenario'])}, ${String(row['instances'])} instance(s)`,
          measured:
            `${formatNumber(median)}${typeof row['min'] === 'number' && typeof row['max'] === 'number' ? ` (${formatNumber(row['min'])}–${formatNumber(row['max'])})` : ''} ${String(row['unit'] ?? '')}`.trim(),
          goal,
          met: goal.startsWith('<')
            ? median < bound
            : goal.startsWith('≥') || goal.startsWith('>=')
              ? median >= bound
              : undefined,
        };
      }),
};

/** Scoring next to its Python peers (both from bench/results), one row per model. */
export function renderPeerComparison(scoring: Results, peers: Results): string[] {
  const peerRows = new Map(((peers['figures'] ?? []) as Results[]).map((row) => [row['model'], row]));
  const rows = ((scoring['figures'] ?? []) as Results[])
    .filter((row) => peerRows.has(row['model']))
    .map((row) => {
      const peer = peerRows.get(row['model'])!;
      const ratio = (a: unknown, b: unknown) =>
        typeof a === 'number' && typeof b === 'number' && b > 0 ? `${formatNumber(a / b)}×` : '—';
      return {
        model: row['model'],
        'SDK p50 ms': row['SDK p50 ms'],
        'bare ORT-node p50 ms': row['bare p50 ms'],
        'Python ORT p50 ms': peer['Python ORT p50 ms'],
        'library p50 ms': peer['library p50 ms'],
        'SDK p99 ms': row['SDK p99 ms'],
        'Python ORT p99 ms': peer['Python ORT p99 ms'],
        'library p99 ms': peer['library p99 ms'],
        'library p50 / SDK p50': ratio(peer['library p50 ms'], row['SDK p50 ms']),
        'SDK rows/s': row['SDK rows/s (batch 1024)'],
        'Python ORT rows/s': peer['Python ORT rows/s (batch 1024)'],
        'library rows/s': peer['library rows/s (batch 1024)'],
      };
    });
  if (rows.length === 0) return [];
  return [
    "**Next to the Python peers** (bench/results/python-peers.json; `library` = the model's original library, see that section). The TypeScript and Python figures come from separate processes of the same run, minutes apart, so treat the cross-language ratio as indicative.",
    '',
    ...renderTable(rows),
    '',
  ];
}

/** Section titles for results files that carry no `title`. */
const AREA_TITLES: Record<string, string> = {
  anomaly: 'Streaming anomaly detection: speed and memory',
  nab: 'Streaming anomaly detection: accuracy on NAB',
  m4: 'Capacity forecasting: accuracy on M4 Hourly',
  remediation: 'Auto-remediation on the fleet simulator',
  optimizer: 'Optimizers on simulated services with a known optimum',
};

/** The command that runs one benchmark alone, for results files that do not record it. */
export function benchCommand(bench: Benchmark): string {
  return [
    'npx tsx',
    ...(bench.nodeArgs ?? []),
    '--conditions=@iac-dharma/source',
    `bench/src/${bench.entry}`,
    ...(bench.args ?? []),
  ].join(' ');
}

/** Optimizer results (`results.<scenario>.<method>.<figure>` spreads, `rightsizing.distributions`) as tables. */
function renderOptimizerTables(data: Results): string[] {
  const lines: string[] = [];
  const scenarios = (data['results'] ?? {}) as Record<string, Record<string, unknown>>;
  const rows = Object.entries(scenarios).flatMap(([scenario, result]) =>
    Object.entries(result)
      .filter(([, value]) => typeof value === 'object' && value !== null && 'finalRelativeRegret' in value)
      .map(([method, value]) => {
        const figures = value as Record<string, unknown>;
        return {
          scenario,
          method,
          'initial relative regret': result['initialRelativeRegret'],
          'final relative regret': figures['finalRelativeRegret'],
          'evaluations to within 5%': figures['evaluationsTo5Percent'],
          'runs within 5%': figures['runsWithin5Percent'],
          'mean regret of applied configs': figures['meanRelativeRegretOfApplied'],
        };
      }),
  );
  if (rows.length > 0)
    lines.push(
      `Figures are median (min–max) over ${renderValue(data['runs'])} seeded runs, budget ${renderValue(data['budget'])} evaluations.`,
      '',
      ...renderTable(rows),
      '',
    );
  const rightsizing = data['rightsizing'] as { distributions?: Results[]; days?: number } | undefined;
  if (rightsizing?.distributions) {
    lines.push(
      `**ResourceOptimizer CPU target vs the known truth** (${renderValue(rightsizing.days)} days of samples)`,
      '',
      ...renderTable(
        rightsizing.distributions.map((row) => {
          const error = (row['relativeError'] ?? {}) as { median?: number; max?: number };
          return {
            distribution: row['name'],
            'true P90 × 1.15 (cores)': row['truth'],
            'relative error, median': error.median,
            'relative error, max': error.max,
          };
        }),
      ),
      '',
    );
  }
  return lines;
}

/** Renders one results file as a section: status, description, headline vs goals, tables, how to reproduce, details. */
export function renderArea(
  area: string,
  data: Results,
  context: { skipped?: string; all?: Record<string, Results>; wallSeconds?: number; modifiedAt?: string } = {},
): string {
  const title = String(data['title'] ?? AREA_TITLES[area] ?? data['benchmark'] ?? area);
  const lines = [`## ${title}`, ''];
  const measuredAt = data['measuredAt'] ?? data['generatedAt'] ?? data['date'];
  if (context.skipped)
    lines.push(
      `> **Not re-measured in the last run** (${context.skipped}); the figures below are from ${typeof measuredAt === 'string' ? measuredAt : 'an earlier run'}.`,
      '',
    );
  if (typeof data['notRun'] === 'string') lines.push(`**${data['notRun']}**`, '');
  if (typeof data['description'] === 'string') lines.push(data['description'], '');
  else if (typeof data['benchmark'] === 'string' && data['benchmark'] !== title)
    lines.push(String(data['benchmark']), '');
  const headline = HEADLINES[area]?.(data) ?? [];
  if (headline.length > 0) lines.push('**Headline figures vs goals**', '', ...renderGoalRows(headline), '');
  const { lines: tables, used } = renderFigures(data);
  lines.push(...tables);
  if (area === 'optimizer') lines.push(...renderOptimizerTables(data));
  if (area === 'scoring' && context.all?.['python-peers'])
    lines.push(...renderPeerComparison(data, context.all['python-peers']));
  const bench = BENCHMARKS.find((item) => item.area === area);
  const command = typeof data['command'] === 'string' ? data['command'] : bench ? benchCommand(bench) : undefined;
  if (command) lines.push(`Reproduce: \`${command}\``, '');
  lines.push(
    `Measured: ${typeof measuredAt === 'string' ? measuredAt : context.modifiedAt ? `${context.modifiedAt} (results file written)` : 'date not recorded'}${context.wallSeconds !== undefined ? ` (benchmark wall time ${context.wallSeconds} s)` : ''}`,
    '',
  );
  if (area === 'optimizer') used.add('results');
  const rest = Object.entries(data).filter(([key]) => !META_KEYS.includes(key) && !used.has(key));
  if (rest.length > 0)
    lines.push(
      '<details><summary>All figures</summary>',
      '',
      '```json',
      JSON.stringify(Object.fromEntries(rest), null, 2),
      '```',
      '',
      '</details>',
      '',
    );
  return lines.join('\n');
}

/** Goal rows as a table with a ✅ / ❌ column. */
export function renderGoalRows(rows: readonly GoalRow[]): string[] {
  return renderTable(
    rows.map((row) => ({
      figure: row.figure,
      measured: row.measured,
      goal: row.goal,
      met: row.met === undefined ? '—' : row.met ? '✅' : '❌',
    })),
  );
}

/** The whole docs/benchmarks.md. */
export function renderReport(input: {
  results: Record<string, Results>;
  skipped: Record<string, string>;
  machine: string;
  generatedAt: string;
  wallSeconds?: Record<string, number>;
  modifiedAt?: Record<string, string>;
}): string {
  const order = [...BENCHMARKS.map((bench) => bench.area), ...Object.keys(input.results).sort()].filter(
    (area, index, all) => all.indexOf(area) === index,
  );
  const present = order.filter((area) => input.results[area]);
  const summary = present.flatMap((area) =>
    (HEADLINES[area]?.(input.results[area]!) ?? [])
      .filter((row) => row.met !== undefined)
      .map((row) => ({ ...row, figure: `${area}: ${row.figure}` })),
  );
  const notRun = Object.entries(input.skipped);
  return [
    '# Benchmarks',
    '',
    'Performance and accuracy figures of the IaC Dharma AIOps SDK, measured by `npm run bench` (bench/src/run-all.ts runs each',
    'benchmark in `bench/src/<area>/` as a child process; each writes `bench/results/<area>.json`, and this page is generated',
    'from those files). Figures are medians of repeated runs with their spread `median (min–max)`; comparisons are ratios',
    'measured in the same run. Benchmarks never run inside the test suite.',
    '',
    '## Machine',
    '',
    `${input.machine}. Report written ${input.generatedAt}.`,
    '',
    'The machine is a shared 2-core VM: other jobs ran at the same time, so tail latencies (p99) and throughputs vary between runs;',
    'each section gives the spread of its repetitions and several record the load average.',
    '',
    ...(summary.length > 0 ? ['## Goals at a glance', '', ...renderGoalRows(summary), ''] : []),
    ...present.map((area) =>
      renderArea(area, input.results[area]!, {
        ...(input.skipped[area] ? { skipped: input.skipped[area] } : {}),
        all: input.results,
        ...(input.wallSeconds?.[area] !== undefined ? { wallSeconds: input.wallSeconds[area] } : {}),
        ...(input.modifiedAt?.[area] ? { modifiedAt: input.modifiedAt[area] } : {}),
      }),
    ),
    ...(notRun.length > 0
      ? ['## Not run in the last invocation', '', ...notRun.map(([area, reason]) => `- ${area}: ${reason}`), '']
      : []),
    '## How to reproduce',
    '',
    '```sh',
    'npm install                                  # once',
    'bash training/setup.sh                       # once: Python peers (training/.venv)',
    'bash scripts/services/start-kafka.sh         # Kafka benchmark',
    'bash scripts/services/start-chromium.sh      # browser benchmark',
    'npm run bench                                # all benchmarks, then this page',
    "npm run bench -- --only scoring,python-peers # some of them (the page keeps the others' last figures)",
    'npm run bench -- --report-only               # only regenerate this page from bench/results/',
    '```',
    '',
    'Each section also gives the command that runs its benchmark alone. `BENCH_TIMEOUT_MINUTES` (default 15) stops a benchmark that runs longer.',
    '',
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) run();
