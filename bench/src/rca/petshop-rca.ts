/**
 * Root-cause benchmark: every RootCauseAnalyzer method on the public PetShop issues (top-1/3/5 by scenario,
 * issue type and root cause; time per issue), then `dharma rca` end to end on a sealed-like copy (opaque,
 * shuffled node names; target-only target.json). Writes bench/results/rca.json.
 *
 * Usage: tsx --conditions=@iac-dharma/source bench/src/rca/petshop-rca.ts [--data DIR]
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT_CAUSE_METHODS } from '@iac-dharma/core';
import { loadPetshopDataset } from '@iac-dharma/core/node';
import { run } from '@iac-dharma/cli';
import { evaluate, recall, type BaselineMode, type MethodEvaluation } from './petshop-eval.js';
import { scoreRankings, sealPetshop } from './seal-petshop.js';
import { evaluateSimulated } from './simulated-faults.js';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const dataIndex = args.indexOf('--data');
const data = resolve(dataIndex >= 0 ? args[dataIndex + 1]! : '/work/shared/datasets/petshop');
const include = ['^(latency|availability|requests)$'];

const scenarios = loadPetshopDataset(data, { withLabels: true });
const methods: MethodEvaluation[] = [];
for (const baseline of ['noissue', 'pooled'] as BaselineMode[]) {
  for (const method of ROOT_CAUSE_METHODS) {
    const result = evaluate(scenarios, method, baseline, undefined, { include });
    methods.push(result);
    console.log(`${baseline.padEnd(8)} ${method.padEnd(10)} all ${recall(result.overall)} (n=${result.overall.n}) distinct-root-cause mean top-1 ${result.macroByRootCause.top1.toFixed(2)} · ${result.msPerIssue.toFixed(2)} ms/issue`);
  }
}

// The CLI on a sealed-like copy: names and order must not matter.
const sealed = mkdtempSync(join(tmpdir(), 'petshop-sealed-'));
const { labels } = sealPetshop(data, sealed);
const out = join(sealed, 'ranks.csv');
const started = performance.now();
const code = await run(['rca', '--format', 'petshop', '--input', sealed, '--out', out]);
const cliSeconds = (performance.now() - started) / 1000;
const cli = scoreRankings(readFileSync(out, 'utf8'), labels);
console.log(`dharma rca on sealed-like copy: exit ${code}, top-1/3/5 ${recall(cli)} (n=${cli.n}) in ${cliSeconds.toFixed(1)} s`);
rmSync(sealed, { recursive: true, force: true });

const simulated = evaluateSimulated();
for (const entry of simulated.methods) console.log(`simulator ${entry.method.padEnd(10)} ${recall(entry.overall)} (n=${entry.overall.n})`);

const results = join(here, '../../results');
mkdirSync(results, { recursive: true });
writeFileSync(
  join(results, 'rca.json'),
  `${JSON.stringify({ command: 'npm run bench -- --only rca', dataset: 'petshop (public: 20 train + 18 low_traffic test issues)', methods: methods.map(({ misses, ...rest }) => ({ ...rest, misses: misses.length })), sealedLikeCli: { ...cli, seconds: cliSeconds }, simulator: simulated }, null, 2)}\n`,
);
