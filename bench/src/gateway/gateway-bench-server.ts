/**
 * The gateway under benchmark, run as its own process (so the load generator does not share its event
 * loop): memory storage, the anomaly detector, a seeded inventory. Prints `READY <url>` when listening.
 */
import { AnomalyDetector, Engine } from '@iac-dharma/core';
import { createPrometheusMetrics } from '@iac-dharma/core/node';
import { createGateway } from '@iac-dharma/gateway';
import { BENCH_KEY } from './bench-key.js';

const metrics = createPrometheusMetrics();
const engine = new Engine({ analyzers: [new AnomalyDetector()], metrics });
for (let index = 0; index < 20; index++) {
  const infrastructureId = `infra-${index}`;
  await engine.storage.putResource({
    resource: {
      type: 'infrastructure',
      id: infrastructureId,
      name: `Infrastructure ${index}`,
      provider: 'local',
      labels: { team: 'bench' },
      spec: {},
      status: 'running',
    },
  });
  for (let child = 0; child < 2; child++) {
    await engine.storage.putResource({
      resource: {
        type: 'compute',
        id: `${infrastructureId}-node-${child}`,
        name: 'node',
        infrastructureId,
        cpu: 4,
        memoryMiB: 8192,
        labels: {},
        status: 'running',
      },
    });
    await engine.storage.putResource({
      resource: {
        type: 'deployment',
        id: `${infrastructureId}-app-${child}`,
        name: 'app',
        infrastructureId,
        replicas: 0,
        readyReplicas: 0,
        labels: {},
        status: 'stopped',
      },
    });
  }
}
const gateway = createGateway({
  engine,
  registry: metrics.registry,
  apiKeys: [{ key: BENCH_KEY, role: 'operator' }],
  subscriptionQueueSize: Number(process.env.BENCH_QUEUE ?? 256),
});
const url = await gateway.listen(0);
process.stdout.write(`READY ${url}\n`);
const stop = () => {
  void gateway
    .close()
    .then(() => engine.close())
    .then(() => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
