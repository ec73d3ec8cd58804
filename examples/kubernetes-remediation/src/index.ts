// The Remediator acting on a real cluster. Needs a kubeconfig with rights to create a namespace (KUBECONFIG, or
// DHARMA_KUBECONFIG as the test control plane writes it): the example deploys a small app into a namespace of
// its own, remediates it, checks it for drift and deletes the namespace at the end.
import { MemoryStorage, Remediator } from '@iac-dharma/core';
import { KubernetesClient, DriftDetector, createKubernetesPlugin, type KubernetesObject } from '@iac-dharma/kubernetes';

const kubeconfig = process.env.DHARMA_KUBECONFIG ?? process.env.KUBECONFIG;
const client = new KubernetesClient(kubeconfig);
const namespace = `shop-${Date.now().toString(36)}`;

const app: KubernetesObject[] = [
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
  {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'checkout', namespace, labels: { app: 'checkout', 'dharma.io/remediate': 'true' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'checkout' } },
      template: {
        metadata: { labels: { app: 'checkout', 'dharma.io/remediate': 'true' } },
        spec: {
          // The test control plane's pods run on a kwok fake node; on a real cluster drop these two lines.
          nodeSelector: { type: 'kwok' },
          tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
          containers: [
            {
              name: 'app',
              image: 'registry.example/checkout:1.4.2',
              resources: { requests: { cpu: '50m', memory: '64Mi' } },
            },
          ],
        },
      },
    },
  },
];

async function main(): Promise<void> {
  const drift = new DriftDetector({ client, manifests: app.slice(1), namespace });
  await drift.serverSideApply(app[0]!, false);
  await client.get(`/api/v1/namespaces/${namespace}`);
  const storage = new MemoryStorage();
  const plugin = createKubernetesPlugin({
    client,
    namespaces: [namespace],
    labelSelector: { 'dharma.io/remediate': 'true' },
    drift,
  });
  // Several actions on one Deployment in a row: no cooldown between them in this demonstration.
  const remediator = new Remediator({
    storage,
    plugins: [plugin],
    guards: { cooldown: { resourceMs: 0, actionMs: 0 } },
  });
  const dryRunner = new Remediator({
    storage: new MemoryStorage(),
    plugins: [createKubernetesPlugin({ client, namespaces: [namespace] })],
    dryRun: true,
  });
  try {
    await waitForServiceAccount();
    await drift.apply();
    const target = `${namespace}/checkout`;
    await waitUntil(
      async () =>
        (await client.get<KubernetesObject>(`/apis/apps/v1/namespaces/${namespace}/deployments/checkout`)).status
          ?.availableReplicas === 2,
    );
    console.log(`deployed ${target} (2 replicas available)`);

    const dry = await dryRunner.execute({
      action: { plugin: 'kubernetes', action: 'scale', params: { replicas: 4 } },
      resourceId: target,
    });
    console.log(`dry run: ${dry.outcome} — ${dry.reason}`);

    const scaled = await remediator.execute({
      action: { plugin: 'kubernetes', action: 'scale', params: { replicas: 3 } },
      resourceId: target,
      reason: 'queue depth',
    });
    console.log(`scale: ${scaled.outcome} — ${scaled.reason}`);

    const restarted = await remediator.execute({
      action: { plugin: 'kubernetes', action: 'rollout-restart', params: {} },
      resourceId: target,
      reason: 'memory leak',
    });
    console.log(`rollout restart: ${restarted.outcome} — ${restarted.reason}`);

    const report = await drift.detect();
    for (const entry of report.drifted)
      console.log(
        `drift: ${entry.drift} ${entry.id} ${entry.fields.map((field) => `${field.path} ${JSON.stringify(field.desired)} -> ${JSON.stringify(field.live)}`).join('; ')} (risk ${entry.risk.score.toFixed(2)} ± ${entry.risk.uncertainty.toFixed(2)})`,
      );

    const reconciled = await remediator.execute({
      action: { plugin: 'kubernetes', action: 'reconcile', params: {} },
      resourceId: `${namespace}/Deployment/checkout`,
      reason: 'drift',
    });
    console.log(`reconcile: ${reconciled.outcome} — ${reconciled.reason}`);
    console.log(`drifted after reconcile: ${(await drift.detect()).drifted.length}`);

    const history = await remediator.verifyHistory();
    console.log(
      `history: ${storage.store.history.length} records, chain ${history.ok ? 'intact' : `broken at ${history.brokenAt}`}`,
    );
  } finally {
    await remediator.close();
    await dryRunner.close();
    await client.request({ method: 'DELETE', path: `/api/v1/namespaces/${namespace}` }).catch(() => undefined);
  }
}

async function waitForServiceAccount(): Promise<void> {
  await waitUntil(() =>
    client.get(`/api/v1/namespaces/${namespace}/serviceaccounts/default`).then(
      () => true,
      () => false,
    ),
  );
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
