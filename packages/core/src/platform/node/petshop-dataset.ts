import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../../errors/validation-error.js';
import type { RootCauseTarget } from '../../rca/anomaly-context.js';
import { parsePetshopGraph, parsePetshopMetrics, type PetshopMetrics } from '../../rca/petshop-format.js';
import type { ServiceGraph } from '../../rca/service-graph.js';

/** One PetShop issue folder. */
export interface PetshopIssue {
  /** `<scenario>/<split>/issue_N`. */
  id: string;
  metrics: PetshopMetrics;
  /** From `target.json`'s `target`: node, metric, timestamp (epoch seconds, as in metrics.csv). */
  target: RootCauseTarget;
  /** The labelled root cause — read only when `withLabels` is set (benchmarks), never by `dharma rca`. */
  rootCause?: string;
  /** The fault-injection command, when labels are read. */
  injection?: string;
}

/** One scenario folder: its call graph, normal-operation metrics when present, and its issues. */
export interface PetshopScenario {
  name: string;
  graph: ServiceGraph;
  baseline?: PetshopMetrics;
  issues: PetshopIssue[];
}

const natural = (a: string, b: string): number => a.localeCompare(b, 'en', { numeric: true });
const isDirectory = (path: string): boolean => existsSync(path) && statSync(path).isDirectory();

function readTarget(path: string): { target: RootCauseTarget; raw: Record<string, unknown> } {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    throw new ValidationError(
      `${path}: not valid JSON`,
      [{ path: 'target.json', message: 'not valid JSON', code: 'custom' }],
      { cause: error },
    );
  }
  const target = raw['target'] as Record<string, unknown> | undefined;
  const fail = (field: string, message: string): never => {
    throw new ValidationError(`${path}: target.${field} ${message}`, [
      { path: `target.${field}`, message, code: 'custom' },
    ]);
  };
  if (target === undefined || typeof target !== 'object') return fail('', 'is missing');
  if (typeof target['node'] !== 'string' || target['node'] === '') fail('node', 'must be a node name');
  if (typeof target['metric'] !== 'string' || target['metric'] === '')
    fail('metric', 'must be a metric name (latency, availability)');
  if (typeof target['timestamp'] !== 'number' || !Number.isFinite(target['timestamp']))
    fail('timestamp', 'must be an epoch-seconds number');
  return {
    target: { node: target['node'] as string, metric: target['metric'] as string, time: target['timestamp'] as number },
    raw,
  };
}

/**
 * Reads a PetShop-format folder: scenario folders holding `graph.csv`, optional `noissue/metrics.csv` and
 * `<split>/issue_N/{metrics.csv,target.json}`. Only `target` is read from target.json unless `withLabels`.
 * A `dir` that is itself a scenario folder (has graph.csv) is read as the only scenario.
 */
export function loadPetshopDataset(dir: string, options: { withLabels?: boolean } = {}): PetshopScenario[] {
  if (!isDirectory(dir))
    throw new ValidationError(`input: ${dir} is not a folder`, [
      { path: 'input', message: 'must be a folder', code: 'custom' },
    ]);
  const scenarioDirs = existsSync(join(dir, 'graph.csv'))
    ? [
        {
          name:
            dir
              .replace(/[/\\]+$/, '')
              .split(/[/\\]/)
              .pop() ?? dir,
          path: dir,
        },
      ]
    : readdirSync(dir)
        .sort(natural)
        .map((name) => ({ name, path: join(dir, name) }))
        .filter((entry) => existsSync(join(entry.path, 'graph.csv')));
  return scenarioDirs.map(({ name, path }) => {
    const graph = parsePetshopGraph(readFileSync(join(path, 'graph.csv'), 'utf8'));
    const normal = join(path, 'noissue', 'metrics.csv');
    const issues: PetshopIssue[] = [];
    for (const split of readdirSync(path).sort(natural)) {
      const splitPath = join(path, split);
      if (split === 'noissue' || !isDirectory(splitPath)) continue;
      for (const issue of readdirSync(splitPath).sort(natural)) {
        const issuePath = join(splitPath, issue);
        if (!existsSync(join(issuePath, 'metrics.csv')) || !existsSync(join(issuePath, 'target.json'))) continue;
        const { target, raw } = readTarget(join(issuePath, 'target.json'));
        const entry: PetshopIssue = {
          id: `${name}/${split}/${issue}`,
          metrics: parsePetshopMetrics(readFileSync(join(issuePath, 'metrics.csv'), 'utf8')),
          target,
        };
        if (options.withLabels === true) {
          const rootCause = (raw['root_cause'] as { node?: unknown } | undefined)?.node;
          if (typeof rootCause === 'string') entry.rootCause = rootCause;
          const command = (
            (raw['metadata'] as Record<string, unknown> | undefined)?.['reproducibility'] as
              { command?: unknown } | undefined
          )?.command;
          if (typeof command === 'string') entry.injection = command;
        }
        issues.push(entry);
      }
    }
    return {
      name,
      graph,
      ...(existsSync(normal) ? { baseline: parsePetshopMetrics(readFileSync(normal, 'utf8')) } : {}),
      issues,
    };
  });
}
