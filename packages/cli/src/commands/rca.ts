import { pooledBaseline, ROOT_CAUSE_METHODS, RootCauseAnalyzer, type RootCauseMethod } from '@iac-dharma/core';
import { loadPetshopDataset } from '@iac-dharma/core/node';
import type { Command } from './command.js';
import { CsvOutput } from '../io/csv-output.js';
import { guardCommand } from '../io/guard-command.js';
import { requireOption, UsageError } from '../io/model-options.js';
import { RunReport } from '../io/run-report.js';

const USAGE = `dharma rca — rank the root causes of performance issues in a service graph

Usage: dharma rca --format petshop --input <dir> --out <file.csv>

Reads PetShop-format scenario folders under <dir> (or <dir> itself when it holds graph.csv): graph.csv (who
calls whom), optional noissue/metrics.csv (normal operation) and <split>/issue_N/{metrics.csv,target.json}.
Only "target" is read from target.json. Ranks every node of the scenario's graph as the root cause of the
target's symptom and writes issue_id,rank1,...,rankK, with issue_id = <scenario>/<split>/issue_N.
Without noissue/, normal behaviour comes from the rows before each issue in the scenario's issue windows.

Options:
  --format petshop   input layout (only petshop for now)
  --input <dir>      folder of scenario folders
  --out <file>       output CSV ("-" = stdout)
  --method <name>    ${ROOT_CAUSE_METHODS.join(' | ')} (default: blame)
  --ranks <k>        rank columns to write (default: 5)`;

/** PetShop's averaged statistics: the percentiles of sparse nodes are too noisy to rank on. */
const PETSHOP_METRICS = ['^(latency|availability|requests)$'];

/** `dharma rca`: PetShop-format issues → issue_id,rank1..rankK. */
export const rcaCommand: Command = {
  summary: 'rank root causes of performance issues over a service call graph (PetShop format)',
  usage: USAGE,
  options: {
    format: { type: 'string' },
    input: { type: 'string' },
    out: { type: 'string' },
    method: { type: 'string' },
    ranks: { type: 'string' },
  },
  run: (values) =>
    guardCommand('rca', async () => {
      const format = requireOption(values, 'format', USAGE);
      if (format !== 'petshop') throw new UsageError(`--format ${format} is not supported: use --format petshop.`);
      const input = requireOption(values, 'input', USAGE);
      const out = requireOption(values, 'out', USAGE);
      const method = (typeof values['method'] === 'string' ? values['method'] : 'blame') as RootCauseMethod;
      if (!ROOT_CAUSE_METHODS.includes(method))
        throw new UsageError(`--method ${method} is unknown: use one of ${ROOT_CAUSE_METHODS.join(', ')}.`);
      const ranks = typeof values['ranks'] === 'string' ? Number(values['ranks']) : 5;
      if (!Number.isInteger(ranks) || ranks < 5)
        throw new UsageError(`--ranks ${String(values['ranks'])} must be an integer ≥ 5.`);
      const scenarios = loadPetshopDataset(input);
      if (scenarios.length === 0) throw new UsageError(`${input} holds no scenario folder (a folder with graph.csv).`);
      const analyzer = new RootCauseAnalyzer({ method, include: PETSHOP_METRICS, maxCandidates: ranks });
      const report = new RunReport('rca');
      const output = new CsvOutput(out, [
        'issue_id',
        ...Array.from({ length: ranks }, (_, index) => `rank${index + 1}`),
      ]);
      for (const scenario of scenarios) {
        const baseline = scenario.baseline ?? pooledBaseline(scenario.issues);
        if (scenario.baseline === undefined)
          report.note(
            `${scenario.name}: no noissue/metrics.csv, normal behaviour taken from the ${scenario.issues.length} issue windows' pre-incident rows`,
          );
        for (const issue of scenario.issues) {
          if (!scenario.graph.has(issue.target.node)) {
            report.reject(0, `${issue.id}: target node "${issue.target.node}" is not in ${scenario.name}/graph.csv`);
            continue;
          }
          const { ranking } = analyzer.analyze({
            graph: scenario.graph,
            metrics: issue.metrics,
            baseline,
            target: issue.target,
          });
          const row = ranking.slice(0, ranks);
          while (row.length < ranks) row.push('');
          await output.write([issue.id, ...row]);
          report.progress(1);
        }
      }
      await output.close();
      return report.finish(out, 'issues');
    }),
};
