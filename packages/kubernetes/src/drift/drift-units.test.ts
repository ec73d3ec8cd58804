import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError } from '@iac-dharma/core';
import { describe, expect, it } from 'vitest';
import { DriftProneness } from './drift-proneness.js';
import { diffValues, fieldsV1Leaves, formatPath, resolvePath } from './field-paths.js';
import { desiredObjects, loadManifestDirectory } from './manifests.js';

describe('field paths', () => {
  it('reads managedFields sets as leaf paths, list elements by key', () => {
    const leaves = fieldsV1Leaves({
      'f:metadata': { 'f:labels': { 'f:team': {} } },
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {} } } } } },
    });
    expect(leaves.map(formatPath)).toEqual(['metadata.labels.team', 'spec.template.spec.containers[name=app].image']);
    const object = {
      spec: {
        template: {
          spec: {
            containers: [
              { name: 'side', image: 'a' },
              { name: 'app', image: 'b' },
            ],
          },
        },
      },
    };
    expect(resolvePath(object, leaves[1]!)).toEqual({ found: true, value: 'b' });
    expect(resolvePath(object, leaves[0]!)).toEqual({ found: false });
  });

  it('diffs named lists by name and reports only leaves that differ', () => {
    const desired = {
      spec: { replicas: 2, containers: [{ name: 'app', image: 'v1', ports: [80] }] },
      metadata: { labels: { app: 'web' } },
    };
    const live = {
      spec: { replicas: 5, containers: [{ name: 'app', image: 'v2', ports: [80] }] },
      metadata: { labels: { app: 'web', team: 'x' } },
    };
    expect(diffValues(desired, live).map((entry) => [formatPath(entry.path), entry.desired, entry.live])).toEqual([
      ['spec.replicas', 2, 5],
      ['spec.containers[name=app].image', 'v1', 'v2'],
      ['metadata.labels.team', undefined, 'x'],
    ]);
  });
});

describe('DriftProneness', () => {
  it('scores objects that drift often and recently above ones that do not, with shrinking uncertainty', () => {
    const proneness = new DriftProneness({ halfLifeMs: 1000 });
    let steady = proneness.risk('steady', 0);
    for (let check = 0; check < 10; check++) {
      proneness.observe('flappy', check % 2 === 0 || check > 6, check * 100);
      steady = proneness.observe('steady', false, check * 100);
    }
    const flappy = proneness.risk('flappy', 1000);
    expect(flappy.score).toBeGreaterThan(steady.score);
    expect(flappy.drifts).toBe(7);
    expect(flappy.checks).toBe(10);
    expect(flappy.lastDriftAt).toBe(900);
    expect(proneness.risk('unknown', 0)).toMatchObject({ score: 0.5, checks: 0 });
    expect(steady.uncertainty).toBeLessThan(proneness.risk('unknown', 0).uncertainty);
    // Old drift fades: long after the last check the score returns toward the prior.
    expect(proneness.risk('flappy', 100_000).score).toBeCloseTo(0.5, 2);
    const restored = new DriftProneness({ halfLifeMs: 1000 });
    restored.restore(proneness.snapshot());
    expect(restored.risk('flappy', 1000)).toEqual(flappy);
  });
});

describe('manifests', () => {
  it('loads YAML documents recursively and names the file and field of a bad one', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'manifests-'));
    await writeFile(
      join(folder, 'a.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: one }\n---\n---\napiVersion: v1\nkind: List\nitems:\n- { apiVersion: v1, kind: ConfigMap, metadata: { name: two } }\n',
    );
    await writeFile(join(folder, 'notes.txt'), 'ignored');
    expect((await loadManifestDirectory(folder)).map((entry) => entry.object.metadata?.name)).toEqual(['one', 'two']);
    await writeFile(join(folder, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {}\n');
    const error = await loadManifestDirectory(folder).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).field).toBe(`${join(folder, 'b.yaml')}#0.metadata.name`);
    await expect(loadManifestDirectory(join(folder, 'missing'))).rejects.toBeInstanceOf(ValidationError);
    expect(() => desiredObjects([{ kind: 'ConfigMap', metadata: { name: 'x' } }])).toThrow(
      /objects\[0\]\.apiVersion required/,
    );
  });
});
