import { AnomalyDetector, Engine, Remediator, type Storage } from '@iac-dharma/core';
import { createPrometheusMetrics } from '@iac-dharma/core/node';
import { createGateway } from '../create-gateway.js';
import { createProcessPoolProvider } from '../providers/process-pool-provider.js';
import type { GatewayCommand } from './parse-gateway-args.js';
import { createStreamLogger } from './stream-logger.js';

/** A gateway started from the command line, with everything it owns. */
export interface RunningGateway {
  url: string;
  /** Stops the gateway, the worker processes, the remediator and the engine (saving analyzer state). */
  stop(): Promise<void>;
}

async function openStorage(spec: string): Promise<Storage | undefined> {
  if (spec === 'memory') return undefined;
  const path = spec.slice('sqlite:'.length);
  // Optional dependency: only needed for sqlite storage.
  const moduleName = '@iac-dharma/storage-sqlite';
  const sqlite = (await import(moduleName)) as { SqliteStorage: new (options: { path: string }) => Storage };
  return new sqlite.SqliteStorage({ path });
}

/**
 * Starts what `dharma-gateway` serves: an engine (with the anomaly detector and Prometheus metrics) on the
 * chosen storage, a remediator, the process-pool provider, and the gateway.
 */
export async function startGatewayCommand(command: GatewayCommand): Promise<RunningGateway> {
  // Errors must not vanish: everything the engine, remediator and gateway log goes to stderr.
  const logger = createStreamLogger({ stream: process.stderr, format: command.logFormat, level: command.logLevel });
  const storage = await openStorage(command.storage);
  const metrics = createPrometheusMetrics();
  const engine = new Engine({ ...(storage ? { storage } : {}), analyzers: [new AnomalyDetector()], metrics, logger });
  await engine.start();
  const remediator = new Remediator({ storage: engine.storage, dryRun: command.dryRun, logger });
  const provider = createProcessPoolProvider();
  const gateway = createGateway({
    engine,
    remediator,
    provider,
    apiKeys: command.apiKeys,
    logger,
    allowAnonymous: command.allowAnonymous,
    registry: metrics.registry,
    graphiql: command.graphiql,
    host: command.host,
    ...(command.maxDepth === undefined ? {} : { maxDepth: command.maxDepth }),
    ...(command.maxComplexity === undefined ? {} : { maxComplexity: command.maxComplexity }),
  });
  const url = await gateway.listen(command.port);
  return {
    url,
    async stop() {
      await gateway.close();
      await provider.close();
      await remediator.close();
      await engine.close();
    },
  };
}
