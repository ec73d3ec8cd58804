import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { MemoryStorage, createRemediator } from '@iac-dharma/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDriftDetector,
  createKubernetesPlugin,
  type DriftDetector,
  type KubernetesObject,
} from '../src/index.js';
import {
  adminClient,
  applyObjects,
  clusterEnv,
  createNamespace,
  deleteNamespace,
  deployment,
  repoRoot,
  waitForRollout,
} from './cluster.js';

/** Runs `dharma` from the TypeScript sources (as packages/cli/bin/dharma.js does without a build). */
const dharma = (args: string[]) =>
  promisify(execFile)(
    process.execPath,
    ['--conditions=@iac-dharma/source', '--import', 'tsx', join(repoRoot, 'packages/cli/src/bin.ts'), ...args],
    { cwd: repoRoot },
  );

let namespace: string;
let folder: string;
let detector: DriftDetector;

function manifests(ns: string): KubernetesObject[] {
  return [
    deployment(ns, 'web', { replicas: 2 }),
    deployment(ns, 'worker', { replicas: 1 }),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: ns },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: ns }, data: { mode: 'fast' } },
  ];
}
const lines = (report: Awaited<ReturnType<DriftDetector['detect']>>) =>
  report.drifted
    .map((entry) =>
      `${entry.drift} ${entry.id} ${entry.fields.map((field) => `${field.path}=${JSON.stringify(field.desired) ?? '-'}/${JSON.stringify(field.live) ?? '-'}`).join(' ')}`.trim(),
    )
    .sort();

beforeAll(async () => {
  namespace = await createNamespace('dharma-drift');
  folder = await mkdtemp(join(tmpdir(), 'drift-manifests-'));
  // Manifests without a namespace: the detector's `namespace` fills it in (as `dharma drift --namespace` does).
  const documents = manifests(namespace).map((object) => ({
    ...object,
    metadata: { ...object.metadata, namespace: undefined },
  }));
  await writeFile(
    join(folder, 'app.yaml'),
    documents.map((document) => yaml.dump(JSON.parse(JSON.stringify(document)))).join('---\n'),
  );
  detector = createDriftDetector({ client: clusterEnv().kubeconfig, manifests: folder, namespace });
  await detector.apply();
  await Promise.all([waitForRollout(namespace, 'web'), waitForRollout(namespace, 'worker')]);
});
afterAll(() => deleteNamespace(namespace));

describe('DriftDetector against a real API server', () => {
  it('reports nothing right after applying, although the server defaulted fields and controllers wrote status and annotations', async () => {
    const report = await detector.detect();
    expect(report.checked).toBe(4);
    expect(lines(report)).toEqual([]);
  }, 120_000);

  it('reports exactly what people changed: a hand scale, an image edit, an added label, a deleted object, an extra object', async () => {
    const admin = adminClient();
    const web = `/apis/apps/v1/namespaces/${namespace}/deployments/web`;
    const scale = await admin.get<{ metadata: { resourceVersion: string } }>(`${web}/scale`);
    await admin.request({
      method: 'PUT',
      path: `${web}/scale`,
      query: { fieldManager: 'kubectl-scale' },
      body: {
        apiVersion: 'autoscaling/v1',
        kind: 'Scale',
        metadata: { name: 'web', namespace, resourceVersion: scale.metadata.resourceVersion },
        spec: { replicas: 4 },
      },
    });
    await admin.request({
      method: 'PATCH',
      path: `/apis/apps/v1/namespaces/${namespace}/deployments/worker`,
      contentType: 'application/strategic-merge-patch+json',
      query: { fieldManager: 'kubectl-edit' },
      body: { spec: { template: { spec: { containers: [{ name: 'app', image: 'dharma.invalid/app:2' }] } } } },
    });
    await admin.request({
      method: 'PATCH',
      path: `/api/v1/namespaces/${namespace}/services/web`,
      query: { fieldManager: 'kubectl-label' },
      body: { metadata: { labels: { team: 'payments' } } },
    });
    await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}/configmaps/settings` });
    await applyObjects(
      [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace }, data: { a: 'b' } }],
      'kubectl-create',
    );

    const report = await detector.detect();
    expect(lines(report)).toEqual(
      [
        `changed ${namespace}/Deployment/web spec.replicas=2/4`,
        `changed ${namespace}/Deployment/worker spec.template.spec.containers[name=app].image="dharma.invalid/app:1"/"dharma.invalid/app:2"`,
        `changed ${namespace}/Service/web metadata.labels.team=-/"payments"`,
        `missing ${namespace}/ConfigMap/settings`,
        `unexpected ${namespace}/ConfigMap/stray`,
      ].sort(),
    );
    const label = report.drifted.find((entry) => entry.id === `${namespace}/Service/web`)!;
    expect(label.fields[0]).toMatchObject({ change: 'unexpected', managers: ['kubectl-label'] });
    // Findings: one insight per drifted object, scored by drift-proneness (drifted once in two checks here).
    expect(report.findings).toHaveLength(5);
    const finding = report.findings.find((entry) => entry.resource === `${namespace}/Deployment/web`)!;
    expect(finding).toMatchObject({ kind: 'insight', topic: 'drift', analyzer: 'drift-detector' });
    expect(finding.summary).toContain('spec.replicas 2 → 4');
    expect(finding.data.risk).toMatchObject({ drifts: 1, checks: 2 });
    expect(finding.score).toBeGreaterThan(0.4);
    expect(report.drifted.find((entry) => entry.id === `${namespace}/ConfigMap/stray`)!.risk.checks).toBe(1);
  }, 120_000);

  it('the CLI prints one line per drifted object and exits 1, with --json too', async () => {
    const result = await dharma([
      'drift',
      '--kubeconfig',
      clusterEnv().kubeconfig,
      '--manifests',
      folder,
      '--namespace',
      namespace,
    ]).catch((error: { code: number; stdout: string }) => error);
    expect((result as { code?: number }).code).toBe(1);
    const printed = (result as { stdout: string }).stdout.trim().split('\n').sort();
    expect(printed).toEqual(
      [
        `changed ${namespace}/Deployment/web spec.replicas: 2 -> 4`,
        `changed ${namespace}/Deployment/worker spec.template.spec.containers[name=app].image: "dharma.invalid/app:1" -> "dharma.invalid/app:2"`,
        `changed ${namespace}/Service/web metadata.labels.team: (absent) -> "payments"`,
        `missing ${namespace}/ConfigMap/settings`,
        `unexpected ${namespace}/ConfigMap/stray`,
      ].sort(),
    );
    const json = await dharma([
      'drift',
      '--kubeconfig',
      clusterEnv().kubeconfig,
      '--manifests',
      folder,
      '--namespace',
      namespace,
      '--json',
    ]).catch((error: { code: number; stdout: string }) => error);
    const objects = (json as { stdout: string }).stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { id: string; drift: string });
    expect(objects.map((object) => object.drift).sort()).toEqual([
      'changed',
      'changed',
      'changed',
      'missing',
      'unexpected',
    ]);
  }, 120_000);

  it('the guarded reconcile action restores the desired state, verified; then nothing drifts but the extra object', async () => {
    const storage = new MemoryStorage();
    const plugin = createKubernetesPlugin({
      client: clusterEnv().kubeconfig,
      namespaces: [namespace],
      drift: detector,
    });
    const remediator = createRemediator({ storage, plugins: [plugin] });
    for (const id of [
      `${namespace}/Deployment/web`,
      `${namespace}/Deployment/worker`,
      `${namespace}/Service/web`,
      `${namespace}/ConfigMap/settings`,
    ]) {
      const result = await remediator.execute({
        action: { plugin: 'kubernetes', action: 'reconcile', params: {} },
        resourceId: id,
        reason: 'drift',
      });
      expect(result.outcome, `${id}: ${result.reason}`).toBe('succeeded');
    }
    expect((await remediator.verifyHistory()).ok).toBe(true);
    expect(lines(await detector.detect())).toEqual([`unexpected ${namespace}/ConfigMap/stray`]);
    const service = await adminClient().get<KubernetesObject>(`/api/v1/namespaces/${namespace}/services/web`);
    expect(service.metadata?.labels?.team).toBeUndefined();
    await adminClient().request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}/configmaps/stray` });
    const clean = await dharma([
      'drift',
      '--kubeconfig',
      clusterEnv().kubeconfig,
      '--manifests',
      folder,
      '--namespace',
      namespace,
    ]);
    expect(clean.stdout).toBe('');
  }, 120_000);
});
