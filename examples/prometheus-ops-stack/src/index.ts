// An AIOps sidecar for a Prometheus stack, in one file:
//   POST /api/v1/write  Prometheus remote-write 1.0 in      GET /metrics  engine + findings metrics out
//   POST /v1/metrics    OTLP/HTTP metrics in                GET /health   engine and receiver health
// Findings also go to Alertmanager when ALERTMANAGER_URL is set. Logs are JSON lines on stdout.
// Env: PORT (default 9201; 0 = any free port), ALERTMANAGER_URL, MAX_SERIES (default 20000).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnomalyDetector, Engine } from '@iac-dharma/core';
import { createPrometheusMetrics } from '@iac-dharma/core/node';
import {
  createAlertmanagerHandler,
  createFindingsMetrics,
  createOtlpMetricsHandler,
  createRemoteWriteHandler,
} from '@iac-dharma/prometheus';

const log = (event: string, fields: Record<string, unknown> = {}) =>
  process.stdout.write(`${JSON.stringify({ event, ...fields })}\n`);

const metrics = createPrometheusMetrics();
const engine = new Engine({ metrics, analyzers: [new AnomalyDetector()] });
engine.useHandler(createFindingsMetrics({ registry: metrics.registry }));
if (process.env.ALERTMANAGER_URL) engine.useHandler(createAlertmanagerHandler({ url: process.env.ALERTMANAGER_URL }));
engine.on('finding', (finding) =>
  log('finding', { kind: finding.kind, severity: finding.severity, series: finding.series, summary: finding.summary }),
);
await engine.start();

const maxSeries = Number(process.env.MAX_SERIES ?? 20_000);
const remoteWrite = createRemoteWriteHandler({ sink: engine, maxSeries });
const otlp = createOtlpMetricsHandler({ sink: engine, maxSeries });

const server = createServer((request, response) => {
  const path = (request.url ?? '/').split('?')[0];
  if (path === '/api/v1/write') return remoteWrite(request, response);
  if (path === '/v1/metrics') return otlp(request, response);
  if (path === '/metrics' && request.method === 'GET') {
    void metrics.registry.metrics().then((text) => {
      response.writeHead(200, { 'content-type': metrics.registry.contentType });
      response.end(text);
    });
    return;
  }
  if (path === '/health') {
    void engine.health().then((health) => {
      response.writeHead(health.status === 'down' ? 503 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ ...health, remoteWrite: remoteWrite.stats(), otlp: otlp.stats() }));
    });
    return;
  }
  response.writeHead(404).end();
});
server.listen(Number(process.env.PORT ?? 9201), '127.0.0.1', () => {
  log('listening', { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
});

const shutdown = async () => {
  server.close();
  await engine.close();
  log('stopped', { ingested: engine.stats().ingested, findings: engine.stats().findings });
  process.exit(0);
};
process.once('SIGTERM', () => void shutdown());
process.once('SIGINT', () => void shutdown());
