/**
 * Builds a "sealed-like" copy of PetShop-format data: every node renamed to an opaque id, node order shuffled
 * in graph.csv and metrics.csv, target.json reduced to `target` — the conditions of the sealed evaluation.
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createSeededRandom } from '@iac-dharma/core/simulator';

function parseCsv(text: string): string[][] {
  return text
    .trimEnd()
    .split(/\r?\n/)
    .map((line) => {
      const out: string[] = [];
      let field = '';
      let quoted = false;
      for (let i = 0; i < line.length; i += 1) {
        const char = line[i]!;
        if (quoted) {
          if (char === '"' && line[i + 1] === '"') ((field += '"'), (i += 1));
          else if (char === '"') quoted = false;
          else field += char;
        } else if (char === '"') quoted = true;
        else if (char === ',') (out.push(field), (field = ''));
        else field += char;
      }
      out.push(field);
      return out;
    });
}
function shuffle<T>(items: T[], random: { next(): number }): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random.next() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
const csv = (rows: string[][]): string =>
  rows
    .map((row) => row.map((field) => (/[",\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field)).join(','))
    .join('\n') + '\n';

/** Copies `source` to `destination` sealed; returns scenario → (opaque id → original name) and issue id → root cause (opaque). */
export function sealPetshop(source: string, destination: string, seed = 7): { labels: Map<string, string> } {
  const random = createSeededRandom(seed);
  const labels = new Map<string, string>();
  for (const scenario of readdirSync(source)) {
    const scenarioPath = join(source, scenario);
    if (!existsSync(join(scenarioPath, 'graph.csv'))) continue;
    const graph = parseCsv(readFileSync(join(scenarioPath, 'graph.csv'), 'utf8'));
    const names = graph[0]!.slice(1);
    const rename = new Map<string, string>();
    const pick = (name: string): string => {
      let id = rename.get(name);
      if (id === undefined) {
        id = `n${Math.floor(random.next() * 1e9).toString(36)}`;
        rename.set(name, id);
      }
      return id;
    };
    const order = shuffle(
      names.map((_, index) => index),
      random,
    );
    const rows = graph.slice(1);
    const out = [
      ['', ...order.map((index) => pick(names[index]!))],
      ...order.map((r) => [pick(rows[r]![0]!), ...order.map((c) => rows[r]![c + 1]!)]),
    ];
    mkdirSync(join(destination, scenario), { recursive: true });
    writeFileSync(join(destination, scenario, 'graph.csv'), csv(out));
    const sealMetrics = (from: string, to: string): void => {
      const table = parseCsv(readFileSync(from, 'utf8'));
      const columns = table[0]!.slice(1).map((_, index) => index + 1);
      const byNode = new Map<string, number[]>();
      for (const column of columns) {
        const list = byNode.get(table[0]![column]!) ?? [];
        list.push(column);
        byNode.set(table[0]![column]!, list);
      }
      const nodeOrder = shuffle([...byNode.keys()], random);
      const picked = nodeOrder.flatMap((node) => byNode.get(node)!);
      const sealed = table.map((row, r) => [
        row[0]!,
        ...picked.map((column) => (r === 0 ? pick(row[column]!) : (row[column] ?? ''))),
      ]);
      mkdirSync(to, { recursive: true });
      writeFileSync(join(to, 'metrics.csv'), csv(sealed));
    };
    if (existsSync(join(scenarioPath, 'noissue', 'metrics.csv')))
      sealMetrics(join(scenarioPath, 'noissue', 'metrics.csv'), join(destination, scenario, 'noissue'));
    for (const split of readdirSync(scenarioPath)) {
      const splitPath = join(scenarioPath, split);
      if (split === 'noissue' || !statSync(splitPath).isDirectory()) continue;
      for (const issue of readdirSync(splitPath)) {
        const target = JSON.parse(readFileSync(join(splitPath, issue, 'target.json'), 'utf8'));
        const to = join(destination, scenario, split, issue);
        sealMetrics(join(splitPath, issue, 'metrics.csv'), to);
        writeFileSync(
          join(to, 'target.json'),
          JSON.stringify({ target: { ...target.target, node: pick(target.target.node) } }),
        );
        labels.set(`${scenario}/${split}/${issue}`, pick(target.root_cause.node));
      }
    }
  }
  return { labels };
}

/** Top-k recall of a CLI output CSV against labels. */
export function scoreRankings(
  csvText: string,
  labels: Map<string, string>,
): { n: number; top1: number; top3: number; top5: number } {
  const [, ...rows] = parseCsv(csvText);
  const counts = { n: 0, top1: 0, top3: 0, top5: 0 };
  for (const [id, ...ranking] of rows) {
    const truth = labels.get(id!);
    if (truth === undefined) continue;
    const rank = ranking.indexOf(truth) + 1 || Number.POSITIVE_INFINITY;
    counts.n += 1;
    if (rank <= 1) counts.top1 += 1;
    if (rank <= 3) counts.top3 += 1;
    if (rank <= 5) counts.top5 += 1;
  }
  return counts;
}
