import kafkajs, { type Admin, type Consumer, type Kafka, type KafkaConfig, type SASLOptions } from 'kafkajs';
import { toKafkaLogCreator, KAFKA_LOG_LEVELS } from './kafkajs-log-creator.js';
import type {
  ClientAdmin,
  ClientConnection,
  ClientConsumer,
  ClientConsumerOptions,
  ClientProducer,
  KafkaClient,
} from './kafka-client.js';
import { mentionsUnknownTopic } from './kafka-client.js';

const { Kafka: KafkaJs, Partitioners, CompressionTypes } = kafkajs;

/**
 * The `kafkajs` adapter (the client the design names). Idempotent producer: kafkajs de-duplicates its own
 * in-request retries on the broker (`idempotent: true`, one request in flight); a `send` the transport
 * retries after a failure is a new request, which the consumers' dedupe window catches.
 */
export class KafkaJsClient implements KafkaClient {
  readonly name = 'kafkajs' as const;
  readonly idempotent: boolean;
  private readonly kafka: Kafka;

  constructor(connection: ClientConnection, options: { idempotent: boolean }) {
    this.idempotent = options.idempotent;
    const config: KafkaConfig = {
      retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
      clientId: connection.clientId,
      brokers: connection.brokers,
      connectionTimeout: connection.connectionTimeoutMs,
      requestTimeout: connection.requestTimeoutMs,
      logLevel: KAFKA_LOG_LEVELS[connection.logLevel],
      logCreator: toKafkaLogCreator(connection.logger),
    };
    if (connection.ssl !== undefined) config.ssl = connection.ssl;
    if (connection.sasl !== undefined) config.sasl = connection.sasl as SASLOptions;
    this.kafka = new KafkaJs(config);
  }

  async producer(): Promise<ClientProducer> {
    const producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      ...(this.idempotent ? { idempotent: true, maxInFlightRequests: 1 } : {}),
    });
    await producer.connect();
    return {
      send: async ({ topicMessages, acks, compress }) => {
        await producer.sendBatch({
          topicMessages: topicMessages.map(({ topic, messages }) => ({
            topic,
            messages: messages.map((message) => ({
              key: message.key,
              value: message.value,
              timestamp: String(message.timestamp),
            })),
          })),
          // An idempotent kafkajs producer requires acks from all in-sync replicas.
          acks: this.idempotent ? -1 : acks,
          compression: compress ? CompressionTypes.GZIP : CompressionTypes.None,
        });
      },
      isRetryable,
      isUnknownTopic: (error) => mentionsUnknownTopic(error),
      reconnect: () => producer.connect().catch(() => undefined),
      close: () => producer.disconnect().catch(() => undefined),
    };
  }

  async admin(): Promise<ClientAdmin> {
    const admin: Admin = this.kafka.admin();
    await admin.connect();
    return {
      createTopic: async ({ topic, partitions, replicationFactor, configs }) => {
        try {
          // kafkajs' own wait gives up on UNKNOWN_TOPIC_OR_PARTITION while KRaft propagates the topic: the registry polls instead.
          await admin.createTopics({
            waitForLeaders: false,
            topics: [
              {
                topic,
                numPartitions: partitions,
                replicationFactor,
                configEntries: Object.entries(configs).map(([name, value]) => ({ name, value })),
              },
            ],
          });
        } catch (error) {
          if ((error as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS') throw error;
        }
      },
      partitionLeaders: async (topic) => {
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        const leaders: number[] = [];
        for (const partition of topics[0]?.partitions ?? []) leaders[partition.partitionId] = partition.leader;
        return leaders;
      },
      committedOffsets: async (groupId, topic) => {
        const committed = await admin.fetchOffsets({ groupId, topics: [topic] });
        const offsets = new Map<number, number>();
        for (const entry of committed) {
          for (const partition of entry.partitions)
            if (Number(partition.offset) >= 0) offsets.set(partition.partition, Number(partition.offset));
        }
        return offsets;
      },
      topicOffsets: async (topic) =>
        (await admin.fetchTopicOffsets(topic)).map((entry) => ({
          partition: entry.partition,
          low: Number(entry.low),
          high: Number(entry.high),
        })),
      describeCluster: async () => {
        const cluster = await admin.describeCluster();
        return {
          brokers: cluster.brokers.map((broker) => `${broker.host}:${broker.port}`),
          controller: cluster.controller,
        };
      },
      deleteTopics: (topics) => admin.deleteTopics({ topics }),
      close: () => admin.disconnect().catch(() => undefined),
    };
  }

  consumer(options: ClientConsumerOptions): ClientConsumer {
    let consumer: Consumer | undefined;
    return {
      start: async ({ topic, fromBeginning, eachBatch, events }) => {
        consumer = this.kafka.consumer({
          groupId: options.groupId,
          sessionTimeout: options.sessionTimeoutMs,
          heartbeatInterval: options.heartbeatIntervalMs,
          rebalanceTimeout: options.rebalanceTimeoutMs,
          allowAutoTopicCreation: false,
          maxWaitTimeInMs: options.maxWaitTimeMs,
          retry: { retries: 8, initialRetryTime: 200, maxRetryTime: 3000 },
        });
        consumer.on(consumer.events.GROUP_JOIN, () => events.onJoin());
        consumer.on(consumer.events.REBALANCING, () => events.onRebalancing());
        consumer.on(consumer.events.CRASH, (event) => events.onCrash(event.payload.error, event.payload.restart));
        await consumer.connect();
        await consumer.subscribe({ topics: [topic], fromBeginning });
        await consumer.run({
          // kafkajs' autoCommit commits after every partition batch (a broker round trip each, in series with
          // fetching): the subscription commits itself, every commitIntervalMs, when idle, on rebalance and on stop.
          autoCommit: false,
          autoCommitInterval: options.commitIntervalMs,
          eachBatchAutoResolve: false,
          partitionsConsumedConcurrently: options.partitionsConsumedConcurrently,
          eachBatch: ({
            batch,
            resolveOffset,
            heartbeat,
            isRunning,
            isStale,
            commitOffsetsIfNecessary,
            uncommittedOffsets,
          }) =>
            eachBatch({
              partition: batch.partition,
              messages: batch.messages,
              resolveOffset,
              heartbeat,
              isRunning,
              isStale,
              commit: (force) => (force ? commitOffsetsIfNecessary(uncommittedOffsets()) : commitOffsetsIfNecessary()),
            }),
        });
      },
      disconnect: async () => {
        await consumer?.disconnect();
      },
    };
  }
}

/** Protocol errors say whether they are retriable; connection-level failures always are. */
function isRetryable(error: unknown): boolean {
  const candidate = error as { name?: string; retriable?: boolean; originalError?: unknown; type?: string };
  if (candidate?.name === 'KafkaJSProtocolError') return candidate.retriable === true;
  if (candidate?.name === 'KafkaJSNumberOfRetriesExceeded' && candidate.originalError)
    return isRetryable(candidate.originalError);
  return true;
}
