/**
 * Quick validation: `npx tsx --conditions=@iac-dharma/source bench/src/rca/validate-petshop.ts [DIR] [--misses]`
 * prints top-1/3/5 of every method × baseline mode on the public PetShop issues.
 */
import { ROOT_CAUSE_METHODS } from '@iac-dharma/core';
import { loadPetshopDataset } from '@iac-dharma/core/node';
import { evaluate, recall, type BaselineMode } from './petshop-eval.js';

const args = process.argv.slice(2);
const dir = args.find((arg) => !arg.startsWith('--')) ?? '/work/shared/datasets/petshop';
const extra = JSON.parse(process.env['RCA_OPTIONS'] ?? '{}');
const scenarios = loadPetshopDataset(dir, { withLabels: true });
for (const baseline of ['noissue', 'pooled'] as BaselineMode[]) {
  for (const method of ROOT_CAUSE_METHODS) {
    const e = evaluate(scenarios, method, baseline, undefined, extra);
    const scen = Object.entries(e.byScenario)
      .map(([name, c]) => `${name.replace('_traffic', '')} ${recall(c)}`)
      .join(' | ');
    const types = Object.entries(e.byIssueType)
      .map(([name, c]) => `${name} ${recall(c)}`)
      .join(' | ');
    const macro = `${e.macroByRootCause.top1.toFixed(2)}/${e.macroByRootCause.top3.toFixed(2)}`;
    console.log(
      `${baseline.padEnd(8)} ${method.padEnd(10)} all ${recall(e.overall)} (n=${e.overall.n}) macroRC ${macro} || ${types} || ${scen} || ${e.msPerIssue.toFixed(2)} ms`,
    );
    if (args.includes('--misses'))
      for (const miss of e.misses)
        console.log(`      miss ${miss.id} rc=${miss.rootCause} rank=${miss.rank} top3=${miss.top3.join(' ; ')}`);
  }
}
