import { Admin, Consumer, Producer, ProduceAcks, type Message, type MessagesStream } from '@platformatic/kafka';
import type {
  ClientAdmin,
  ClientConnection,
  ClientConsumer,
  ClientConsumerOptions,
  ClientMessage,
  ClientProducer,
  FetchedBatch,
  KafkaClient,
} from './kafka-client.js';
import { mentionsUnknownTopic } from './kafka-client.js';

type Connection = {
  clientId: string;
  bootstrapBrokers: string[];
  connectTimeout: number;
  requestTimeout: number;
  tls?: Record<string, unknown>;
  sasl?: { mechanism: 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512'; username: string; password: string };
};

/** Most messages taken off the stream's buffer into one round of partition batches. */
const MAX_DRAIN = 5000;

/**
 * The `@platformatic/kafka` adapter (maintained, pure JavaScript; Node.js ≥ 22.22). Idempotent producer:
 * the broker de-duplicates the client's own retries (producer id + sequence numbers). The consumer is a
 * stream of messages: the adapter drains what the stream has buffered, groups it per partition (offset
 * order) and commits through the stream's own single-flight, monotonic commit (`message.commit()`).
 */
export class PlatformaticClient implements KafkaClient {
  readonly name = 'platformatic' as const;
  readonly idempotent: boolean;
  private readonly connection: Connection;

  constructor(
    private readonly settings: ClientConnection,
    options: { idempotent: boolean },
  ) {
    this.idempotent = options.idempotent;
    this.connection = {
      clientId: settings.clientId,
      bootstrapBrokers: settings.brokers,
      connectTimeout: settings.connectionTimeoutMs,
      requestTimeout: settings.requestTimeoutMs,
    };
    if (settings.ssl) this.connection.tls = settings.ssl === true ? {} : { ...settings.ssl };
    if (settings.sasl)
      this.connection.sasl = {
        mechanism: settings.sasl.mechanism.toUpperCase() as 'PLAIN',
        username: settings.sasl.username,
        password: settings.sasl.password,
      };
  }

  async producer(): Promise<ClientProducer> {
    const producer = new Producer({
      ...this.connection,
      idempotent: this.idempotent,
      autocreateTopics: false,
      retries: 3,
      retryDelay: 100,
    });
    return {
      send: async ({ topicMessages, acks, compress }) => {
        await producer.send({
          messages: topicMessages.flatMap(({ topic, messages }) =>
            messages.map((message) => ({
              topic,
              key: message.key === null ? undefined : Buffer.from(message.key),
              value: message.value,
              timestamp: BigInt(message.timestamp),
            })),
          ),
          // An idempotent producer requires acks from all in-sync replicas.
          acks: this.idempotent || acks === -1 ? ProduceAcks.ALL : ProduceAcks.LEADER,
          compression: compress ? 'gzip' : 'none',
        });
      },
      isRetryable: (error) => !hasFatalCause(error),
      reconnect: async () => undefined, // the connection pool reconnects by itself
      isUnknownTopic: (error) => mentionsUnknownTopic(error),
      close: () => producer.close().catch(() => undefined),
    };
  }

  async admin(): Promise<ClientAdmin> {
    const admin = new Admin({ ...this.connection, retries: 3, retryDelay: 100 });
    return {
      createTopic: async ({ topic, partitions, replicationFactor, configs }) => {
        try {
          await admin.createTopics({
            topics: [topic],
            partitions,
            replicas: replicationFactor,
            configs: Object.entries(configs).map(([name, value]) => ({ name, value })),
          });
        } catch (error) {
          if (!/already exists|TOPIC_ALREADY_EXISTS/i.test(describe(error))) throw error;
        }
      },
      partitionLeaders: async (topic) => {
        const metadata = await admin.metadata({ topics: [topic], forceUpdate: true });
        return (metadata.topics.get(topic)?.partitions ?? []).map((partition) => partition.leader);
      },
      committedOffsets: async (groupId, topic) => {
        const [group] = await admin.listConsumerGroupOffsets({ groups: [groupId] });
        const offsets = new Map<number, number>();
        for (const entry of group?.topics ?? []) {
          if (entry.name !== topic) continue;
          for (const partition of entry.partitions)
            if (partition.committedOffset >= 0n)
              offsets.set(partition.partitionIndex, Number(partition.committedOffset));
        }
        return offsets;
      },
      topicOffsets: async (topic) => {
        const metadata = await admin.metadata({ topics: [topic] });
        const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
        const at = async (timestamp: bigint) =>
          (
            await admin.listOffsets({
              topics: [
                {
                  name: topic,
                  partitions: Array.from({ length: count }, (_, partitionIndex) => ({ partitionIndex, timestamp })),
                },
              ],
            })
          )[0]?.partitions ?? [];
        const [low, high] = await Promise.all([at(-2n), at(-1n)]);
        return high.map((entry) => ({
          partition: entry.partitionIndex,
          high: Number(entry.offset),
          low: Number(low.find((other) => other.partitionIndex === entry.partitionIndex)?.offset ?? 0n),
        }));
      },
      describeCluster: async () => {
        const metadata = await admin.metadata({ topics: [] });
        return {
          brokers: [...metadata.brokers.values()].map((broker) => `${broker.host}:${broker.port}`),
          controller: metadata.controllerId,
        };
      },
      deleteTopics: (topics) => admin.deleteTopics({ topics }),
      close: () => admin.close().catch(() => undefined),
    };
  }

  consumer(options: ClientConsumerOptions): ClientConsumer {
    let consumer: Consumer | undefined;
    let stream: MessagesStream<Buffer, Buffer, Buffer, Buffer> | undefined;
    let running = false;
    let loop: Promise<void> | undefined;
    return {
      start: async ({ topic, fromBeginning, eachBatch, events }) => {
        consumer = new Consumer({
          ...this.connection,
          groupId: options.groupId,
          sessionTimeout: options.sessionTimeoutMs,
          heartbeatInterval: options.heartbeatIntervalMs,
          rebalanceTimeout: options.rebalanceTimeoutMs,
          maxWaitTime: options.maxWaitTimeMs,
          autocommit: false,
          retries: 8,
          retryDelay: 200,
        });
        const owned = consumer;
        let generation = 0;
        owned.on('consumer:group:join', () => {
          generation++;
          events.onJoin();
        });
        owned.on('consumer:group:rebalance', () => events.onRebalancing());
        stream = await owned.consume({
          topics: [topic],
          mode: 'committed',
          fallbackMode: fromBeginning ? 'earliest' : 'latest',
          autocommit: false,
          maxWaitTime: options.maxWaitTimeMs,
        });
        const messages = stream;
        running = true;
        messages.on('error', (error) => {
          if (running) events.onCrash(error, false);
        });
        if (owned.assignments !== null && generation === 0) {
          generation++;
          events.onJoin();
        }
        loop = (async () => {
          while (running) {
            const drained: Message<Buffer, Buffer, Buffer, Buffer>[] = [];
            for (
              let next = messages.read() as Message<Buffer, Buffer, Buffer, Buffer> | null;
              next !== null;
              next = drained.length < MAX_DRAIN ? messages.read() : null
            )
              drained.push(next);
            if (drained.length === 0) {
              if (messages.destroyed || messages.readableEnded) return;
              await new Promise<void>((resolve) => {
                const wake = () => {
                  messages.off('readable', wake).off('close', wake).off('end', wake);
                  resolve();
                };
                messages.on('readable', wake).on('close', wake).on('end', wake);
              });
              continue;
            }
            const fetchedIn = generation;
            const byPartition = new Map<number, Message<Buffer, Buffer, Buffer, Buffer>[]>();
            for (const message of drained) {
              let list = byPartition.get(message.partition);
              if (!list) byPartition.set(message.partition, (list = []));
              list.push(message);
            }
            for (const [partition, list] of byPartition) {
              let resolved: Message<Buffer, Buffer, Buffer, Buffer> | undefined;
              let committed: Message<Buffer, Buffer, Buffer, Buffer> | undefined;
              let lastCommitAt = Date.now();
              const batch: FetchedBatch = {
                partition,
                messages: list.map(toClientMessage),
                resolveOffset: (offset) => {
                  const at = BigInt(offset);
                  resolved = list.find((message) => message.offset === at) ?? resolved;
                },
                heartbeat: async () => undefined, // the consumer heartbeats on its own timer
                isRunning: () => running,
                isStale: () => generation !== fetchedIn,
                commit: async (force) => {
                  if (!resolved || resolved === committed) return;
                  if (!force && Date.now() - lastCommitAt < options.commitIntervalMs) return;
                  const target = resolved;
                  await target.commit();
                  committed = target;
                  lastCommitAt = Date.now();
                },
              };
              try {
                await eachBatch(batch);
              } catch (error) {
                // The subscription threw to have the batch redelivered: restart from the committed offsets.
                running = false;
                events.onCrash(error, false);
                return;
              }
              if (running && generation !== fetchedIn && resolved !== list.at(-1)) {
                // A rebalance cut the batch short; the stream's fetch position is already past it, so
                // restart from the committed offsets rather than lose the unhandled rest.
                running = false;
                events.onCrash(
                  new Error('a rebalance interrupted a partition batch; restarting from the committed offsets'),
                  false,
                );
                return;
              }
            }
          }
        })();
      },
      disconnect: async () => {
        running = false;
        stream?.destroy();
        await loop?.catch(() => undefined);
        await stream?.close().catch(() => undefined);
        await consumer?.close(true).catch(() => undefined);
      },
    };
  }
}

function toClientMessage(message: Message<Buffer, Buffer, Buffer, Buffer>): ClientMessage {
  return { key: message.key ?? null, value: message.value ?? null, offset: String(message.offset) };
}

/** A protocol error anywhere in the (nested) error that the broker says must not be retried, e.g. MESSAGE_TOO_LARGE. */
function hasFatalCause(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const candidate = error as { canRetry?: unknown; errors?: unknown; cause?: unknown };
  if (candidate.canRetry === false) return true;
  return [...(Array.isArray(candidate.errors) ? candidate.errors : []), candidate.cause].some((inner) =>
    hasFatalCause(inner, depth + 1),
  );
}

function describe(error: unknown): string {
  const candidate = error as { message?: string; errors?: unknown[] };
  return [candidate?.message ?? String(error), ...(candidate?.errors ?? []).map(describe)].join('; ');
}
