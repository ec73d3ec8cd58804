// The gateway and its client in one process: start a gateway over an engine, then use the typed client
// the way a dashboard or an ops script would. Run it with `npm start -w @example/gateway-client`.
import { AnomalyDetector, Engine, Remediator, robustZScoreStrategy } from '@iac-dharma/core';
import { createPrometheusMetrics } from '@iac-dharma/core/node';
import { createClient, type AnomalyEvent } from '@iac-dharma/client';
import { createGateway, createProcessPoolProvider } from '@iac-dharma/gateway';
import WebSocket from 'ws';

/** What one run of the example did, for the reader (and the example's test). */
export interface ExampleReport {
  url: string;
  alert: AnomalyEvent;
  forecastSummary: string;
  pidsAfterScaleUp: number[];
  pidsAfterScaleDown: number[];
  historyOutcomes: (string | null)[];
}

/** Runs the whole walkthrough on a free port and shuts everything down. */
export async function runExample(log: (line: string) => void = console.log): Promise<ExampleReport> {
  // 1. The engine (anomaly detection + Prometheus metrics), a remediator, and worker processes as replicas.
  const metrics = createPrometheusMetrics();
  const engine = new Engine({
    analyzers: [new AnomalyDetector({ strategy: robustZScoreStrategy({ warmupSamples: 30 }) })],
    metrics,
  });
  const remediator = new Remediator({ storage: engine.storage, guards: { cooldown: { resourceMs: 0, actionMs: 0 } } });
  const provider = createProcessPoolProvider();
  const gateway = createGateway({
    engine,
    remediator,
    provider,
    registry: metrics.registry,
    apiKeys: [{ key: 'example-operator-key', role: 'operator', name: 'example-script' }],
  });
  const url = await gateway.listen(0);
  log(`gateway on ${url} (GraphiQL in a browser, /health, /metrics)`);

  // 2. The client: queries and mutations over HTTP, subscriptions over graphql-ws.
  const client = createClient({ url, apiKey: 'example-operator-key', webSocketImpl: WebSocket });
  try {
    await client.createInfrastructure({
      id: 'shop',
      name: 'Shop',
      compute: [{ id: 'shop-node', name: 'Shop node', cpu: 8, memoryMiB: 16_384 }],
      deployments: [{ id: 'shop-api', name: 'Shop API', replicas: 1 }],
    });
    log('created infrastructure "shop" with deployment "shop-api" (1 worker process)');

    // 3. Watch for anomalies while metrics come in.
    const alerts = client.anomalyAlerts({ resourceId: 'shop-node', minSeverity: 'high' });
    const firstAlert = alerts.next();
    // graphql-ws does not acknowledge a subscription; in-process we can see when the gateway holds it.
    await until(() => gateway.subscriptionCount > 0);
    const start = Date.now() - 120 * 60_000;
    const normal = Array.from({ length: 90 }, (_, index) => ({
      resourceId: 'shop-node',
      metric: 'latency_ms',
      value: 120 + 3 * Math.sin(index),
      timestamp: start + index * 60_000,
    }));
    await client.ingestMetrics(normal);
    await client.ingestMetrics([
      { resourceId: 'shop-node', metric: 'latency_ms', value: 900, timestamp: start + 90 * 60_000 },
    ]);
    const alert = (await firstAlert).value as AnomalyEvent;
    await alerts.return();
    log(`anomaly alert: ${alert.summary}`);

    // 4. A forecast on the history: when will the disk reach 80 GB?
    const hourly = Array.from({ length: 72 }, (_, index) => ({
      resourceId: 'shop-node',
      metric: 'disk_used_gb',
      value: 40 + 0.5 * index,
      timestamp: start + index * 3_600_000,
    }));
    await client.ingestMetrics(hourly);
    const prediction = await client.requestPrediction({
      resourceId: 'shop-node',
      metric: 'disk_used_gb',
      horizon: 48,
      threshold: 80,
    });
    log(`forecast: ${prediction.summary}`);

    // 5. Scale through the remediator (guards + audit history) and watch the worker processes change.
    const up = await client.scaleDeployment({ deploymentId: 'shop-api', replicas: 3, reason: 'latency anomaly' });
    log(`scaled up: ${up.remediation.outcome}, pids ${up.deployment.pids.join(', ')}`);
    const down = await client.scaleDeployment({ deploymentId: 'shop-api', replicas: 1, reason: 'back to normal' });
    log(`scaled down: ${down.remediation.outcome}, pids ${down.deployment.pids.join(', ')}`);
    const history = await client.remediationHistory({ resourceId: 'shop-api' });
    log(
      `remediation history: ${history.length} records, outcomes ${history
        .filter((record) => record.outcome)
        .map((record) => record.outcome)
        .join(', ')}`,
    );

    return {
      url,
      alert,
      forecastSummary: prediction.summary,
      pidsAfterScaleUp: up.deployment.pids,
      pidsAfterScaleDown: down.deployment.pids,
      historyOutcomes: history.map((record) => record.outcome),
    };
  } finally {
    await client.close();
    await gateway.close();
    await provider.close();
    await remediator.close();
    await engine.close();
  }
}

async function until(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the subscription');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  runExample().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
