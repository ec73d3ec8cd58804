/**
 * Root-cause benchmark: every RootCauseAnalyzer method on the public PetShop issues (top-1/3/5 by scenario,
 * issue type and root cause; time per issue), then `dharma rca` end to end on a sealed-like copy (opaque,
 * shuffled node names; target-only target.json). Writes bench/results/rca.json.
 *
 * Usage: tsx --conditions=@iac-dharma/source bench/src/rca/petshop-rca.ts [--data DIR]  (or PETSHOP_DIR; default /work/shared/datasets/petshop)
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT_CAUSE_METHODS } from '@iac-dharma/core';
import { loadPetshopDataset } from '@iac-dharma/core/node';
import { spawnSync } from 'node:child_process';
import { evaluate, recall, type BaselineMode, type MethodEvaluation } from './petshop-eval.js';
import { scoreRankings, sealPetshop } from './seal-petshop.js';
import { evaluateSimulated } from './simulated-faults.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dataIndex = args.indexOf('--data');
const data = resolve(
  dataIndex >= 0 ? args[dataIndex + 1]! : (process.env['PETSHOP_DIR'] ?? '/work/shared/datasets/petshop'),
);
const include = ['^(latency|availability|requests)$'];

const scenarios = loadPetshopDataset(data, { withLabels: true });
const methods: MethodEvaluation[] = [];
for (const baseline of ['noissue', 'pooled'] as BaselineMode[]) {
  for (const method of ROOT_CAUSE_METHODS) {
    const result = evaluate(scenarios, method, baseline, undefined, { include });
    methods.push(result);
    console.log(
      `${baseline.padEnd(8)} ${method.padEnd(10)} all ${recall(result.overall)} (n=${result.overall.n}) distinct-root-cause mean top-1 ${result.macroByRootCause.top1.toFixed(2)} · ${result.msPerIssue.toFixed(2)} ms/issue`,
    );
  }
}

// The CLI on a sealed-like copy: names and order must not matter.
const sealed = mkdtempSync(join(tmpdir(), 'petshop-sealed-'));
const { labels } = sealPetshop(data, sealed);
const out = join(sealed, 'ranks.csv');
const started = performance.now();
const cliRun = spawnSync(
  process.execPath,
  [resolve(here, '../../../packages/cli/bin/dharma.js'), 'rca', '--format', 'petshop', '--input', sealed, '--out', out],
  { encoding: 'utf8' },
);
const code = cliRun.status;
process.stderr.write(cliRun.stderr);
const cliSeconds = (performance.now() - started) / 1000;
const cli = scoreRankings(readFileSync(out, 'utf8'), labels);
console.log(
  `dharma rca on sealed-like copy: exit ${code}, top-1/3/5 ${recall(cli)} (n=${cli.n}) in ${cliSeconds.toFixed(1)} s`,
);
rmSync(sealed, { recursive: true, force: true });

const simulated = evaluateSimulated();
for (const entry of simulated.methods)
  console.log(`simulator ${entry.method.padEnd(10)} ${recall(entry.overall)} (n=${entry.overall.n})`);

const rate = (hits: number, n: number): number => Math.round((hits / n) * 100) / 100;
const row = (counts: { n: number; top1: number; top3: number; top5: number }) => ({
  issues: counts.n,
  'top-1': rate(counts.top1, counts.n),
  'top-3': rate(counts.top3, counts.n),
  'top-5': rate(counts.top5, counts.n),
});
const shipped = methods.find((entry) => entry.method === 'blame' && entry.baseline === 'noissue')!;
const results = join(here, '../../results');
mkdirSync(results, { recursive: true });
writeFileSync(
  join(results, 'rca.json'),
  `${JSON.stringify(
    {
      title: 'Root-cause analysis: PetShop and simulated fault graphs',
      description:
        'RootCauseAnalyzer on the 38 public PetShop issues (20 train issues, all with root cause PetSearch, and 18 low_traffic test issues with four distinct root causes), scored as top-k recall. ' +
        "`baseline noissue` = normal behaviour from the scenario's noissue recording where present (low/high traffic), else pooled; `pooled` = only the pre-incident rows of the scenario's issue windows (the temporal scenarios' situation). " +
        '"distinct root causes" averages the recall per root cause, so the 20 PetSearch issues count once. The sealed-like row runs `dharma rca` end to end on a copy with opaque, shuffled node names and target-only target.json. ' +
        'The simulator rows inject latency, error and overload faults into random service graphs (12–30 services, client-side alias leaves) from `simulateCallGraphIncident`.',
      command: 'npx tsx --conditions=@iac-dharma/source bench/src/rca/petshop-rca.ts',
      measuredAt: new Date().toISOString(),
      methods: methods.map((entry) => ({
        baseline: entry.baseline,
        method: entry.method,
        ...row(entry.overall),
        'distinct root causes, mean top-1': Math.round(entry.macroByRootCause.top1 * 100) / 100,
        'ms per issue': Math.round(entry.msPerIssue * 100) / 100,
      })),
      'blame (shipped default) by scenario and issue type': [
        ...Object.entries(shipped.byScenario).map(([scenario, counts]) => ({
          slice: `scenario ${scenario}`,
          ...row(counts),
        })),
        ...Object.entries(shipped.byIssueType).map(([type, counts]) => ({
          slice: `issue type ${type}`,
          ...row(counts),
        })),
        ...Object.entries(shipped.byRootCause).map(([cause, counts]) => ({
          slice: `root cause ${cause}`,
          ...row(counts),
        })),
      ],
      'dharma rca on a sealed-like copy': [{ ...row(cli), seconds: Math.round(cliSeconds * 10) / 10 }],
      simulator: simulated.methods.flatMap((entry) => [
        {
          method: entry.method,
          fault: 'all',
          ...row(entry.overall),
          'ms per issue': Math.round(entry.msPerIssue * 100) / 100,
        },
        ...Object.entries(entry.byFault).map(([fault, counts]) => ({
          method: entry.method,
          fault,
          ...row(counts),
          'ms per issue': '',
        })),
      ]),
    },
    null,
    2,
  )}\n`,
);
