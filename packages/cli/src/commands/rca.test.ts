import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readCsv, runCli, temporaryFolder } from '../io/run-cli.test-support.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/petshop/', import.meta.url));

function walk(dir: string, visit: (file: string) => void): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, visit);
    else visit(path);
  }
}

/** Labels of the fixture, read by the test only. */
function labels(root: string): Map<string, string> {
  const out = new Map<string, string>();
  walk(root, (file) => {
    if (!file.endsWith('target.json')) return;
    const id = file
      .slice(root.length)
      .replace(/^[/\\]/, '')
      .split(/[/\\]/)
      .slice(0, 3)
      .join('/');
    out.set(id, JSON.parse(readFileSync(file, 'utf8')).root_cause.node);
  });
  return out;
}

/** A sealed-like copy: opaque node names, reversed node order, target.json holding only `target`. */
function seal(root: string, into: string): Map<string, string> {
  cpSync(root, into, { recursive: true });
  const names = new Map<string, string>();
  const opaque = (name: string): string => {
    if (!names.has(name)) names.set(name, `n${(names.size * 7919 + 13).toString(36)}`);
    return names.get(name)!;
  };
  walk(into, (file) => {
    if (file.endsWith('graph.csv')) {
      const rows = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => line.split(','));
      const size = rows.length - 1;
      const order = Array.from({ length: size }, (_, index) => size - 1 - index);
      const out = [
        ['', ...order.map((c) => opaque(rows[0]![c + 1]!))],
        ...order.map((r) => [opaque(rows[r + 1]![0]!), ...order.map((c) => rows[r + 1]![c + 1]!)]),
      ];
      writeFileSync(file, `${out.map((row) => row.join(',')).join('\n')}\n`);
    } else if (file.endsWith('metrics.csv')) {
      const rows = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((line) => line.split(','));
      const columns = rows[0]!
        .map((_, index) => index)
        .slice(1)
        .reverse();
      writeFileSync(
        file,
        `${rows.map((row, r) => [row[0], ...columns.map((c) => (r === 0 ? opaque(row[c]!) : row[c]))].join(',')).join('\n')}\n`,
      );
    } else if (file.endsWith('target.json')) {
      const { target } = JSON.parse(readFileSync(file, 'utf8'));
      writeFileSync(file, JSON.stringify({ target: { ...target, node: opaque(target.node) } }));
    } else if (file.endsWith('LICENSE') || file.endsWith('README.md')) rmSync(file);
  });
  return names;
}

describe('dharma rca --format petshop (child process)', () => {
  it('ranks every issue of every scenario and finds the labelled root causes', async () => {
    const out = join(temporaryFolder(), 'ranks.csv');
    const result = await runCli(['rca', '--format', 'petshop', '--input', FIXTURE, '--out', out]);
    expect(result.stderr).toContain('scored 5 issues');
    expect(result.code).toBe(0);
    const [header, ...rows] = readCsv(out);
    expect(header).toEqual(['issue_id', 'rank1', 'rank2', 'rank3', 'rank4', 'rank5']);
    const truth = labels(FIXTURE);
    expect(rows.map((row) => row[0]).sort()).toEqual([...truth.keys()].sort());
    const hits = rows.filter(([id, ...ranking]) => ranking.slice(0, 3).includes(truth.get(id!)!));
    expect(hits).toHaveLength(5);
  });

  it('gives the same ranking when node names are opaque and shuffled and target.json holds only the target', async () => {
    const folder = temporaryFolder();
    const sealed = join(folder, 'sealed');
    const names = seal(FIXTURE, sealed);
    const plainOut = join(folder, 'plain.csv');
    const sealedOut = join(folder, 'sealed.csv');
    expect((await runCli(['rca', '--format', 'petshop', '--input', FIXTURE, '--out', plainOut])).code).toBe(0);
    expect((await runCli(['rca', '--format', 'petshop', '--input', sealed, '--out', sealedOut])).code).toBe(0);
    const plain = readCsv(plainOut)
      .slice(1)
      .sort((a, b) => a[0]!.localeCompare(b[0]!));
    const opaque = readCsv(sealedOut)
      .slice(1)
      .sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(opaque.map(([id, ...ranking]) => [id, ...ranking])).toEqual(
      plain.map(([id, ...ranking]) => [id, ...ranking.map((name) => names.get(name!))]),
    );
  });

  it('exits with 2 on an unknown format and 1 naming the field of a bad target.json', async () => {
    const wrong = await runCli(['rca', '--format', 'csv', '--input', FIXTURE, '--out', '-']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('--format csv is not supported');
    const folder = temporaryFolder();
    mkdirSync(join(folder, 's', 'test', 'issue_0'), { recursive: true });
    cpSync(join(FIXTURE, 'low_traffic', 'graph.csv'), join(folder, 's', 'graph.csv'));
    cpSync(
      join(FIXTURE, 'low_traffic', 'test', 'issue_0', 'metrics.csv'),
      join(folder, 's', 'test', 'issue_0', 'metrics.csv'),
    );
    writeFileSync(
      join(folder, 's', 'test', 'issue_0', 'target.json'),
      JSON.stringify({ target: { node: 'PetSite', metric: 'latency' } }),
    );
    const bad = await runCli(['rca', '--format', 'petshop', '--input', folder, '--out', '-']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('target.timestamp');
  });
});
