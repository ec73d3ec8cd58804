import {
  AnomalyDetector,
  createEngine,
  createRemediator,
  robustZScoreStrategy,
  type Engine,
  type Remediator,
} from '@iac-dharma/core';
import { createPrometheusMetrics } from '@iac-dharma/core/node';
import { createClient, type DharmaClient } from '@iac-dharma/client';
import WebSocket from 'ws';
import {
  createGateway,
  createProcessPoolProvider,
  type Gateway,
  type GatewayOptions,
  type InfrastructureProvider,
} from '../src/index.js';

export const OPERATOR_KEY = 'operator-secret-key';
export const VIEWER_KEY = 'viewer-secret-key';

/** A real gateway on a free loopback port over a real engine, remediator and process-pool provider. */
export interface TestGateway {
  engine: Engine;
  remediator: Remediator;
  provider: InfrastructureProvider;
  gateway: Gateway;
  url: string;
  /** A client with the operator key. */
  client: DharmaClient;
  clientWith(apiKey: string | undefined): DharmaClient;
  close(): Promise<void>;
}

export async function startTestGateway(overrides: Partial<GatewayOptions> = {}): Promise<TestGateway> {
  const metrics = createPrometheusMetrics();
  const engine = createEngine({
    analyzers: [new AnomalyDetector({ strategy: robustZScoreStrategy({ warmupSamples: 30 }) })],
    metrics,
  });
  // Manual actions pass the remediator's guards; tests scale the same deployment back to back, so no cooldown.
  const remediator = createRemediator({
    storage: engine.storage,
    guards: { cooldown: { resourceMs: 0, actionMs: 0 } },
  });
  const provider = createProcessPoolProvider();
  const gateway = createGateway({
    engine,
    remediator,
    provider,
    registry: metrics.registry,
    apiKeys: [
      { key: OPERATOR_KEY, role: 'operator', name: 'test-operator' },
      { key: VIEWER_KEY, role: 'viewer', name: 'test-viewer' },
    ],
    ...overrides,
  });
  const url = await gateway.listen(0);
  const clients: DharmaClient[] = [];
  const clientWith = (apiKey: string | undefined) => {
    const client = createClient({
      url,
      ...(apiKey === undefined ? {} : { apiKey }),
      webSocketImpl: WebSocket,
      retry: { retries: 0 },
    });
    clients.push(client);
    return client;
  };
  const client = clientWith(OPERATOR_KEY);
  return {
    engine,
    remediator,
    provider,
    gateway,
    url,
    client,
    clientWith,
    async close() {
      for (const each of clients) await each.close();
      await gateway.close();
      await provider.close();
      await remediator.close();
      await engine.close();
    },
  };
}

/** True when a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
