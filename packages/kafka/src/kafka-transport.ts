import {
  StateError,
  TransportError,
  ValidationError,
  parseWith,
  randomId,
  type CallOptions,
  type ComponentHealth,
  type MessageBatchHandler,
  type MessageHandler,
  type OutgoingMessage,
  type Subscription,
  type Transport,
} from '@iac-dharma/core/kernel';
import type { ClientAdmin, KafkaClient, ProduceMessage } from './client/kafka-client.js';
import { assertClientSupported, createKafkaClient } from './client/create-client.js';
import type { DeadLetterRecord } from './dead-letter.js';
import { encodeEnvelope } from './envelope.js';
import { probeKafkaHealth } from './kafka-health.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { KafkaSubscription, type KafkaSubscriptionOptions } from './kafka-subscription.js';
import {
  KafkaTransportOptionsSchema,
  type KafkaTransportOptions,
  type KafkaTransportOptionsInput,
} from './kafka-transport-options.js';
import { resourceKeyOf } from './resource-key.js';
import { TopicRegistry } from './topic-registry.js';
import { createTransportStats, type KafkaTransportStats } from './transport-stats.js';

/**
 * The SDK's {@link Transport} over Apache Kafka: JSON envelopes, gzip, keys by resource, consumer groups,
 * partition batches, at-least-once delivery with deduplication, retries and a dead-letter topic. Talks to
 * the broker through kafkajs or `@platformatic/kafka` (option `client`). The constructor throws
 * `ValidationError` naming the option when options are wrong.
 *
 * ```ts
 * const transport = new KafkaTransport({ brokers: ['127.0.0.1:9092'], topicPrefix: 'prod.' });
 * const engine = new Engine({ transport, analyzers: [new AnomalyDetector()] });
 * await engine.consume({ group: 'aiops' });
 * ```
 */
export class KafkaTransport implements Transport {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'kafka';
  /** The resolved options (every default applied). */
  readonly options: KafkaTransportOptions;
  private readonly registry: TopicRegistry;
  private readonly statsCounters: KafkaTransportStats = createTransportStats();
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly groups = new Map<KafkaSubscription, { groupId: string; physicalTopic: string }>();
  private client: Promise<KafkaClient> | undefined;
  private admin: Promise<ClientAdmin> | undefined;
  private publisher: Promise<KafkaPublisher> | undefined;
  private closed = false;

  constructor(options: KafkaTransportOptionsInput) {
    this.options = parseWith(KafkaTransportOptionsSchema, options, 'kafka transport options');
    assertClientSupported(this.options.client);
    const { topicPrefix, topics, createTopics, partitions, replicationFactor, topicConfig } = this.options;
    this.registry = new TopicRegistry({
      prefix: topicPrefix,
      overrides: topics,
      admin: () => this.getAdmin(),
      create: createTopics,
      partitions,
      replicationFactor,
      topicConfig,
    });
  }

  /** Physical Kafka topic of a logical topic name (prefix and overrides applied). */
  topicName(topic: string): string {
    return this.registry.physical(topic);
  }

  /** Counters since creation: published, handled, duplicates, retries, dead-lettered per reason... */
  stats(): KafkaTransportStats {
    return { ...this.statsCounters, deadLetterReasons: { ...this.statsCounters.deadLetterReasons } };
  }

  async publish({
    topic,
    messages,
    signal,
  }: { topic: string; messages: readonly OutgoingMessage[] } & CallOptions): Promise<void> {
    this.assertOpen();
    signal?.throwIfAborted();
    if (!Array.isArray(messages))
      throw new ValidationError('Invalid publish: `messages` must be an array of { key?, value }.', [
        { path: 'messages', message: 'expected an array', code: 'invalid_type' },
      ]);
    if (messages.length === 0) return;
    const { payloadSchemas, maxMessageBytes, clock } = this.options;
    const schema = payloadSchemas[topic];
    const time = clock.now();
    let bytes = 0;
    const encoded: ProduceMessage[] = messages.map((message, index) => {
      if (schema) parseWith(schema, message.value, `messages[${index}].value`);
      const value = encodeEnvelope({ id: randomId(), time, payload: message.value });
      if (value.length > maxMessageBytes) {
        throw new ValidationError(
          `Invalid messages[${index}].value: its envelope is ${value.length} bytes; maxMessageBytes is ${maxMessageBytes}. Split it or raise maxMessageBytes (and the broker's message.max.bytes).`,
          [{ path: `messages.${index}.value`, message: `at most ${maxMessageBytes} bytes`, code: 'too_big' }],
        );
      }
      bytes += value.length;
      return { key: message.key ?? resourceKeyOf(message.value) ?? null, value, timestamp: time };
    });
    const physical = this.registry.physical(topic);
    await this.registry.ensure(physical);
    const publisher = await this.getPublisher();
    await publisher.send(physical, encoded, bytes, signal);
  }

  async subscribe({
    topic,
    handler,
    group,
    signal,
  }: { topic: string; handler: MessageHandler; group?: string } & CallOptions): Promise<Subscription> {
    return this.join(topic, group, { kind: 'message', handle: handler }, signal);
  }

  /**
   * Subscribes a batch handler: each partition fetch is handed over at once (in chunks of at most
   * `maxBatchMessages`, default the transport's `maxBatchMessages` option), after dead-lettering undecodable
   * messages and dropping duplicates. Resolving commits the chunk's offsets; rejecting retries it, then its
   * messages are handled one at a time so a failing one is dead-lettered alone.
   */
  async subscribeBatch({
    topic,
    handler,
    group,
    maxBatchMessages,
    signal,
  }: {
    topic: string;
    handler: MessageBatchHandler;
    group?: string;
    maxBatchMessages?: number;
  } & CallOptions): Promise<Subscription> {
    return this.join(
      topic,
      group,
      { kind: 'batch', handle: handler, maxBatchMessages: maxBatchMessages ?? this.options.maxBatchMessages },
      signal,
    );
  }

  private async join(
    topic: string,
    group: string | undefined,
    handler: KafkaSubscriptionOptions['handler'],
    signal: AbortSignal | undefined,
  ): Promise<Subscription> {
    this.assertOpen();
    signal?.throwIfAborted();
    if (typeof handler.handle !== 'function')
      throw new ValidationError('Invalid subscribe: `handler` must be a function returning a promise.', [
        { path: 'handler', message: 'expected a function', code: 'invalid_type' },
      ]);
    const options = this.options;
    const physicalTopic = this.registry.physical(topic);
    // Without a group every subscriber gets every message: a group of its own.
    const groupId = options.groupIdFor(group ?? `${options.clientId}.solo.${randomId()}`, physicalTopic);
    await this.registry.ensure(physicalTopic);
    const subscription = new KafkaSubscription({
      ...options,
      client: await this.getClient(),
      topic,
      physicalTopic,
      groupId,
      handler,
      stats: this.statsCounters,
      deadLetter: (record, key) => this.publishDeadLetter(record, key),
      payloadSchema: options.payloadSchemas[topic],
      backoff: options.handlerBackoff,
    });
    await subscription.start();
    this.subscriptions.add(subscription);
    this.groups.set(subscription, { groupId, physicalTopic });
    return {
      unsubscribe: async () => {
        if (!this.subscriptions.delete(subscription)) return;
        this.groups.delete(subscription);
        await subscription.stop();
      },
    };
  }

  /** Broker connectivity (cluster description) and consumer lag of every subscription; counters in `data`. */
  async health(): Promise<ComponentHealth> {
    const stats = this.stats();
    if (this.closed) return { status: 'down', detail: 'closed', data: { ...stats } };
    return probeKafkaHealth({
      admin: () => this.getAdmin(),
      subscriptions: [...this.groups.values()],
      stats,
      timeoutMs: this.options.healthTimeoutMs,
      maxHealthyLag: this.options.maxHealthyLag,
    });
  }

  /** Resolves once every queued message has been acknowledged by the broker. */
  async flush(): Promise<void> {
    await (await this.publisher?.catch(() => undefined))?.flush();
  }

  /** Flushes, stops every subscription (committing handled offsets), and disconnects. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush().catch(() => undefined);
    this.closed = true;
    for (const subscription of [...this.subscriptions]) await subscription.stop();
    this.subscriptions.clear();
    this.groups.clear();
    if (this.publisher) await (await this.publisher.catch(() => undefined))?.close();
    if (this.admin) await (await this.admin.catch(() => undefined))?.close();
  }

  // ---- internals -------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new StateError('The Kafka transport is closed: create a new one to publish or subscribe.');
  }

  private async publishDeadLetter(record: DeadLetterRecord, key: Buffer | null): Promise<void> {
    const physical = this.registry.physical(this.options.deadLetterTopic);
    await this.registry.ensure(physical);
    const value = encodeEnvelope({
      id: randomId(),
      time: this.options.clock.now(),
      payload: record,
      type: 'dead-letter',
    });
    const publisher = await this.getPublisher();
    await publisher.send(
      physical,
      [{ key: key === null ? null : key.toString('utf8'), value, timestamp: this.options.clock.now() }],
      value.length,
    );
  }

  private getClient(): Promise<KafkaClient> {
    if (!this.client) {
      this.client = createKafkaClient(this.options);
      this.client.catch(() => (this.client = undefined));
    }
    return this.client;
  }

  private getAdmin(): Promise<ClientAdmin> {
    if (!this.admin) {
      this.admin = this.getClient().then((client) => client.admin());
      this.admin.catch(() => (this.admin = undefined));
    }
    return this.admin;
  }

  private getPublisher(): Promise<KafkaPublisher> {
    if (!this.publisher) {
      this.publisher = this.getClient()
        .then((client) => client.producer())
        .then(
          (producer) =>
            new KafkaPublisher({
              ...this.options,
              producer,
              stats: this.statsCounters,
              backoff: this.options.publishBackoff,
              // A topic deleted while the transport runs is created again (when createTopics is on).
              onUnknownTopic: async (topics) => {
                for (const topic of new Set(topics)) await this.registry.recreate(topic);
              },
            }),
        )
        .catch((error: unknown) => {
          if (error instanceof ValidationError) throw error; // e.g. a client this Node.js cannot run
          throw new TransportError(`Could not connect a Kafka producer: ${(error as Error).message}`, {
            cause: error,
            isRetryable: true,
          });
        });
      this.publisher.catch(() => (this.publisher = undefined));
    }
    return this.publisher;
  }
}

/**
 * Creates a {@link KafkaTransport}.
 * @deprecated Construct it with `new KafkaTransport(options)` (the SDK's one construction style); this alias is
 * removed in a later 0.x release.
 */
export function createKafkaTransport(options: KafkaTransportOptionsInput): KafkaTransport {
  return new KafkaTransport(options);
}
