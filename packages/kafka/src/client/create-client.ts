import { ValidationError } from '@iac-dharma/core/kernel';
import type { KafkaTransportOptions } from '../kafka-transport-options.js';
import type { ClientConnection, KafkaClient } from './kafka-client.js';
import { KafkaJsClient } from './kafkajs-client.js';
// Type only: the module itself is loaded lazily below, so kafkajs users never load @platformatic/kafka.
import type * as PlatformaticClientModule from './platformatic-client.js';

/** The connection settings of the resolved options, in no client library's types. */
export function connectionOf(options: KafkaTransportOptions): ClientConnection {
  return {
    brokers: options.brokers,
    clientId: options.clientId,
    ssl: options.ssl,
    sasl: options.sasl,
    connectionTimeoutMs: options.connectionTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    logger: options.logger,
    logLevel: options.kafkaLogLevel,
  };
}

/** Throws a `ValidationError` naming `client` when this Node.js cannot run the chosen client library. */
export function assertClientSupported(client: KafkaTransportOptions['client']): void {
  if (client !== 'platformatic') return;
  const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
  if (major < 22 || (major === 22 && minor < 22)) {
    throw new ValidationError(
      `Invalid client: 'platformatic' (@platformatic/kafka) needs Node.js >= 22.22; this is ${process.version}. Use client: 'kafkajs' or a newer Node.js.`,
      [{ path: 'client', message: 'needs Node.js >= 22.22', code: 'custom' }],
    );
  }
}

/** Creates the adapter named by `options.client`; `@platformatic/kafka` is loaded only when chosen. */
export async function createKafkaClient(options: KafkaTransportOptions): Promise<KafkaClient> {
  const connection = connectionOf(options);
  if (options.client === 'kafkajs') return new KafkaJsClient(connection, { idempotent: options.idempotent });
  assertClientSupported(options.client);
  let module: typeof PlatformaticClientModule;
  try {
    module = await import('./platformatic-client.js');
  } catch (error) {
    throw new ValidationError(
      `Invalid client: 'platformatic' needs the @platformatic/kafka package (npm install @platformatic/kafka): ${(error as Error).message}`,
      [{ path: 'client', message: 'install @platformatic/kafka', code: 'custom' }],
    );
  }
  return new module.PlatformaticClient(connection, { idempotent: options.idempotent });
}
