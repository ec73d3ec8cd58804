import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ComponentHealth, Engine } from '@iac-dharma/core';
import type { Registry } from 'prom-client';

/** What `/health` and `/metrics` read. */
export interface HealthAndMetricsOptions {
  engine: Engine;
  registry: Registry;
  /** Extra components reported by `/health` (gateway subscriptions, infrastructure provider...). */
  components: () => Promise<Record<string, ComponentHealth>>;
}

/**
 * Serves `GET /health` (the engine's health plus the gateway's components as JSON; 503 when down) and
 * `GET /metrics` (Prometheus text). Returns false for other paths so the caller can route them on.
 */
export function createHealthAndMetricsHandler(options: HealthAndMetricsOptions) {
  return async (request: IncomingMessage, response: ServerResponse): Promise<boolean> => {
    const path = (request.url ?? '/').split('?')[0];
    if (path !== '/health' && path !== '/metrics') return false;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response
        .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' })
        .end('Method not allowed: use GET.\n');
      return true;
    }
    try {
      if (path === '/metrics') {
        const body = await options.registry.metrics();
        response.writeHead(200, { 'content-type': options.registry.contentType }).end(body);
        return true;
      }
      const health = await options.engine.health();
      const components = { ...health.components, ...(await options.components()) };
      const statuses = Object.values(components).map((component) => component.status);
      const status =
        health.status === 'down' || statuses.includes('down')
          ? 'down'
          : statuses.includes('degraded')
            ? 'degraded'
            : 'ok';
      response
        .writeHead(status === 'down' ? 503 : 200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ...health, status, components }));
    } catch (error) {
      response
        .writeHead(503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ status: 'down', detail: 'health check failed' }));
      options.engine.logger.error('health or metrics endpoint failed', { error: String(error) });
    }
    return true;
  };
}
