/**
 * Log parsing benchmark on Loghub-2k: grouping accuracy (GA) and parsing accuracy (PA) of the
 * LogTemplateMiner per system, with its one default configuration (the header format is the only per-system
 * setting), on the corrected labels of the 8 public systems and on the original labels of the other 8
 * (whose corrected labels are sealed), plus throughput in lines per second on one core.
 *
 * Usage: tsx --conditions=@iac-dharma/source bench/src/loghub/loghub-bench.ts [--no-write] [--verbose SYSTEM]
 * Writes bench/results/loghub.json.
 */
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LogFormat, LogTemplateMiner, loghubSystem } from '@iac-dharma/core';
import { CORRECTED_SYSTEMS, ORIGINAL_ONLY_SYSTEMS, readRawLines, readTruth } from './loghub-data.js';
import { groupingAccuracy, normaliseTemplate, parsingAccuracy } from './loghub-metrics.js';

/** Parses the lines of one system as a stream and returns each line's final template id and template. */
export function parseSystem(system: string, lines: readonly string[]): { ids: string[]; templates: string[]; miner: LogTemplateMiner } {
  const format = LogFormat.loghub(loghubSystem(system)!);
  const miner = new LogTemplateMiner();
  const assigned = lines.map((line) => miner.add(format.parse(line).content).id);
  const ids = assigned.map((id) => String(miner.resolve(id)));
  const templates = ids.map((id) => miner.template(Number(id))!.template);
  return { ids, templates, miner };
}

interface SystemResult {
  system: string;
  labels: 'corrected' | 'original';
  lines: number;
  trueTemplates: number;
  parsedTemplates: number;
  ga: number;
  pa: number;
}

function evaluate(system: string, labels: 'corrected' | 'original', verbose: boolean): SystemResult {
  const lines = readRawLines(system);
  const truth = readTruth(system, labels);
  const { ids, templates, miner } = parseSystem(system, lines);
  const ga = groupingAccuracy(truth.map((row) => row.eventId), ids);
  const pa = parsingAccuracy(truth.map((row) => row.template), templates);
  if (verbose && process.env.GA_DEBUG) {
    const parsedMembers = new Map<string, number[]>();
    ids.forEach((id, index) => parsedMembers.set(id, [...(parsedMembers.get(id) ?? []), index]));
    const trueMembers = new Map<string, number[]>();
    truth.forEach((row, index) => trueMembers.set(row.eventId, [...(trueMembers.get(row.eventId) ?? []), index]));
    const bad = [...trueMembers.entries()].filter(([eventId, members]) => {
      const parsedIds = new Set(members.map((index) => ids[index]!));
      return parsedIds.size !== 1 || parsedMembers.get(ids[members[0]!]!)!.length !== members.length;
    });
    for (const [, members] of bad.sort((a, b) => b[1].length - a[1].length).slice(0, 30)) {
      const parsedIds = [...new Set(members.map((index) => ids[index]!))];
      process.stdout.write(`${members.length}\tTRUE ${truth[members[0]!]!.template}\n`);
      for (const id of parsedIds.slice(0, 5)) process.stdout.write(`\t${parsedMembers.get(id)!.length}\t${miner.template(Number(id))!.template}\n`);
    }
  } else if (verbose) {
    const wrong = new Map<string, { count: number; parsed: Set<string> }>();
    truth.forEach((row, index) => {
      if (normaliseTemplate(row.template) === normaliseTemplate(templates[index]!)) return;
      const entry = wrong.get(row.template) ?? { count: 0, parsed: new Set<string>() };
      entry.count += 1;
      entry.parsed.add(templates[index]!);
      wrong.set(row.template, entry);
    });
    for (const [template, entry] of [...wrong.entries()].sort((a, b) => b[1].count - a[1].count).slice(0, 40)) {
      process.stdout.write(`${entry.count}\tTRUE ${template}\n\t${[...entry.parsed].slice(0, 4).join('\n\t')}\n`);
    }
  }
  return { system, labels, lines: lines.length, trueTemplates: new Set(truth.map((row) => row.eventId)).size, parsedTemplates: miner.size, ga, pa };
}

/** Lines per second over all 16 systems' raw lines (header split + mining), best of `repeats`. */
function throughput(repeats: number): { linesPerSecond: number; lines: number } {
  const systems = [...CORRECTED_SYSTEMS, ...ORIGINAL_ONLY_SYSTEMS];
  const inputs = systems.map((system) => ({ format: LogFormat.loghub(loghubSystem(system)!), lines: readRawLines(system) }));
  let best = 0;
  let total = 0;
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    total = 0;
    const start = performance.now();
    for (const input of inputs) {
      const miner = new LogTemplateMiner();
      for (const line of input.lines) miner.add(input.format.parse(line).content);
      total += input.lines.length;
    }
    best = Math.max(best, total / ((performance.now() - start) / 1000));
  }
  return { linesPerSecond: Math.round(best), lines: total };
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function main(): void {
  const args = process.argv.slice(2);
  const verboseIndex = args.indexOf('--verbose');
  const verbose = verboseIndex >= 0 ? args[verboseIndex + 1] : undefined;
  const corrected = CORRECTED_SYSTEMS.map((system) => evaluate(system, 'corrected', verbose === system));
  const original = [...CORRECTED_SYSTEMS, ...ORIGINAL_ONLY_SYSTEMS].map((system) => evaluate(system, 'original', verbose === `${system}:original`));
  const speed = throughput(5);
  const print = (rows: SystemResult[], title: string) => {
    process.stdout.write(`\n${title}\nsystem        GA     PA    templates(true/parsed)\n`);
    for (const row of rows) process.stdout.write(`${row.system.padEnd(12)} ${row.ga.toFixed(3)}  ${row.pa.toFixed(3)}  ${row.trueTemplates}/${row.parsedTemplates}\n`);
    process.stdout.write(`${'mean'.padEnd(12)} ${mean(rows.map((row) => row.ga)).toFixed(3)}  ${mean(rows.map((row) => row.pa)).toFixed(3)}\n`);
  };
  print(corrected, 'corrected labels (8 public systems)');
  print(original, 'original labels (16 systems)');
  process.stdout.write(`\nthroughput: ${speed.linesPerSecond} lines/s (${speed.lines} lines per pass, best of 5, one core)\n`);
  if (args.includes('--no-write')) return;
  const here = dirname(fileURLToPath(import.meta.url));
  const result = {
    benchmark: 'Loghub-2k log parsing (LogTemplateMiner, default options)',
    command: 'npx tsx --conditions=@iac-dharma/source bench/src/loghub/loghub-bench.ts',
    corrected: { systems: corrected, meanGA: mean(corrected.map((row) => row.ga)), meanPA: mean(corrected.map((row) => row.pa)) },
    original: { systems: original, meanGA: mean(original.map((row) => row.ga)), meanPA: mean(original.map((row) => row.pa)) },
    throughput: speed,
  };
  writeFileSync(join(resolve(here, '../..'), 'results/loghub.json'), `${JSON.stringify(result, null, 2)}\n`);
}

main();
