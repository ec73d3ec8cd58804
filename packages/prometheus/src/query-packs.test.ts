import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kubernetesPack, nodeExporterPack } from './index.js';

describe('query packs', () => {
  it('every query of both packs is valid PromQL (promtool parses them as recording rules)', () => {
    const queries = [
      ...nodeExporterPack(),
      ...kubernetesPack(),
      ...nodeExporterPack({ selector: 'job="node"', rateWindow: '2m' }),
      ...kubernetesPack({ selector: 'cluster="prod"' }),
    ];
    const file = join(mkdtempSync(join(tmpdir(), 'dharma-packs-')), 'packs.yml');
    writeFileSync(
      file,
      `groups:\n  - name: packs\n    rules:\n${queries.map((query, index) => `      - record: pack:${query.name}:${index}\n        expr: ${JSON.stringify(query.promql)}\n`).join('')}`,
    );
    expect(execFileSync('promtool', ['check', 'rules', file], { encoding: 'utf8' })).toMatch(
      new RegExp(`SUCCESS: ${queries.length} rules found`),
    );
  });

  it('names are unique, capacity limits sit on free memory and disk, and the selector reaches every selector', () => {
    const pack = nodeExporterPack({ selector: 'job="node"' });
    expect(new Set(pack.map((query) => query.name)).size).toBe(pack.length);
    expect(pack.filter((query) => query.capacity).map((query) => query.name)).toEqual([
      'memory_available_ratio',
      'filesystem_free_ratio',
    ]);
    for (const query of pack) {
      const selectors = query.promql.match(/node_[a-zA-Z_0-9]+\{[^}]*\}/g) ?? [];
      expect(selectors.length).toBeGreaterThan(0);
      for (const selector of selectors) expect(selector).toContain('job="node"');
    }
    const kubernetes = kubernetesPack();
    expect(new Set(kubernetes.map((query) => query.name)).size).toBe(kubernetes.length);
    for (const query of kubernetes) expect(query.mapping?.extraLabelsOn).toBe('resource');
  });
});
