import {
  StateError,
  TransportError,
  ValidationError,
  noopLogger,
  parseWith,
  randomId,
  systemClock,
  type CallOptions,
  type Clock,
  type ComponentHealth,
  type Logger,
  type MessageBatchHandler,
  type MessageHandler,
  type OutgoingMessage,
  type Subscription,
  type Transport,
} from '@iac-dharma/core';
import kafkajs, { type Admin, type Kafka, type Message, type Producer } from 'kafkajs';
import type { DeadLetterRecord } from './dead-letter.js';
import { encodeEnvelope } from './envelope.js';
import { probeKafkaHealth } from './kafka-health.js';
import { KAFKA_LOG_LEVELS, toKafkaLogCreator } from './kafka-log-creator.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { KafkaSubscription, type KafkaSubscriptionOptions } from './kafka-subscription.js';
import { KafkaTransportOptionsSchema, type KafkaTransportOptions } from './kafka-transport-options.js';
import { resourceKeyOf } from './resource-key.js';
import { TopicRegistry } from './topic-registry.js';
import { createTransportStats, type KafkaTransportStats } from './transport-stats.js';

const { Kafka: KafkaClient, Partitioners } = kafkajs;

/**
 * The SDK's {@link Transport} over Apache Kafka (kafkajs): JSON envelopes, gzip, keys by resource,
 * consumer groups, at-least-once delivery with deduplication, retries and a dead-letter topic.
 * Create it with {@link createKafkaTransport}.
 */
export class KafkaTransport implements Transport {
  readonly specificationVersion = 'v1' as const;
  readonly name = 'kafka';
  private readonly options: KafkaTransportOptions;
  private readonly kafka: Kafka;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly registry: TopicRegistry;
  private readonly statsCounters: KafkaTransportStats = createTransportStats();
  private readonly subscriptions = new Set<KafkaSubscription>();
  private readonly groups = new Map<KafkaSubscription, { groupId: string; physicalTopic: string }>();
  private producer: Promise<Producer> | undefined;
  private admin: Promise<Admin> | undefined;
  private publisher: KafkaPublisher | undefined;
  private closed = false;

  constructor(options: KafkaTransportOptions) {
    parseWith(KafkaTransportOptionsSchema, options, 'kafka transport options');
    this.options = options;
    this.logger = options.logger ?? noopLogger;
    this.clock = options.clock ?? systemClock;
    this.kafka =
      options.kafka ??
      new KafkaClient({
        retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
        ...options.kafkaConfig,
        clientId: options.clientId ?? 'iac-dharma',
        brokers: options.brokers!,
        logLevel: KAFKA_LOG_LEVELS[options.kafkaLogLevel ?? 'warn'],
        logCreator: toKafkaLogCreator(this.logger),
      });
    this.registry = new TopicRegistry({
      prefix: options.topicPrefix ?? '',
      overrides: options.topics ?? {},
      admin: () => this.getAdmin(),
      create: options.createTopics ?? true,
      partitions: options.partitions ?? 6,
      replicationFactor: options.replicationFactor ?? 1,
      topicConfig: options.topicConfig ?? {},
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

  async publish({ topic, messages, signal }: { topic: string; messages: readonly OutgoingMessage[] } & CallOptions): Promise<void> {
    this.assertOpen();
    signal?.throwIfAborted();
    if (!Array.isArray(messages)) throw new ValidationError('Invalid publish: `messages` must be an array of { key?, value }.', [{ path: 'messages', message: 'expected an array', code: 'invalid_type' }]);
    if (messages.length === 0) return;
    const schema = this.options.payloadSchemas?.[topic];
    const maxBytes = this.options.maxMessageBytes ?? 1_000_000;
    const time = this.clock.now();
    let bytes = 0;
    const encoded: Message[] = messages.map((message, index) => {
      if (schema) parseWith(schema, message.value, `messages[${index}].value`);
      const id = randomId();
      const value = encodeEnvelope({ id, time, payload: message.value });
      if (value.length > maxBytes) {
        throw new ValidationError(`Invalid messages[${index}].value: its envelope is ${value.length} bytes; maxMessageBytes is ${maxBytes}. Split it or raise maxMessageBytes (and the broker's message.max.bytes).`, [
          { path: `messages.${index}.value`, message: `at most ${maxBytes} bytes`, code: 'too_big' },
        ]);
      }
      bytes += value.length;
      const key = message.key ?? resourceKeyOf(message.value);
      return { key: key ?? null, value, timestamp: String(time) };
    });
    const physical = this.registry.physical(topic);
    await this.registry.ensure(physical);
    const publisher = await this.getPublisher();
    await publisher.send(physical, encoded, bytes, signal);
  }

  async subscribe({ topic, handler, group, signal }: { topic: string; handler: MessageHandler; group?: string } & CallOptions): Promise<Subscription> {
    return this.join(topic, group, { kind: 'message', handle: handler }, signal);
  }

  /**
   * Subscribes a batch handler: each partition fetch is handed over at once (in chunks of at most
   * `maxBatchMessages`, default the `maxBatchMessages` option), after dead-lettering undecodable messages
   * and dropping duplicates. Resolving commits the chunk's offsets; rejecting retries it, then its messages
   * are handled one at a time so a failing one is dead-lettered alone.
   */
  async subscribeBatch({ topic, handler, group, maxBatchMessages, signal }: { topic: string; handler: MessageBatchHandler; group?: string; maxBatchMessages?: number } & CallOptions): Promise<Subscription> {
    return this.join(topic, group, { kind: 'batch', handle: handler, maxBatchMessages: maxBatchMessages ?? this.options.maxBatchMessages ?? 2000 }, signal);
  }

  private async join(topic: string, group: string | undefined, handler: KafkaSubscriptionOptions['handler'], signal: AbortSignal | undefined): Promise<Subscription> {
    this.assertOpen();
    signal?.throwIfAborted();
    if (typeof handler.handle !== 'function') throw new ValidationError('Invalid subscribe: `handler` must be a function returning a promise.', [{ path: 'handler', message: 'expected a function', code: 'invalid_type' }]);
    const options = this.options;
    const physicalTopic = this.registry.physical(topic);
    // Without a group every subscriber gets every message: a group of its own.
    const groupName = group ?? `${options.clientId ?? 'iac-dharma'}.solo.${randomId()}`;
    const groupId = options.groupIdFor ? options.groupIdFor(groupName, physicalTopic) : `${groupName}.${physicalTopic}`;
    await this.registry.ensure(physicalTopic);
    const subscription = new KafkaSubscription({
      kafka: this.kafka,
      topic,
      physicalTopic,
      groupId,
      handler,
      stats: this.statsCounters,
      logger: this.logger,
      clock: this.clock,
      deadLetter: (record, key) => this.publishDeadLetter(record, key),
      payloadSchema: options.payloadSchemas?.[topic],
      maxMessageBytes: options.maxMessageBytes ?? 1_000_000,
      maxAttempts: options.maxAttempts ?? 5,
      backoff: options.handlerBackoff ?? { initialMs: 50, maxMs: 2000 },
      dedupeWindow: options.dedupeWindow ?? 10_000,
      fromBeginning: options.fromBeginning ?? true,
      sessionTimeoutMs: options.sessionTimeoutMs ?? 10_000,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 1000,
      rebalanceTimeoutMs: options.rebalanceTimeoutMs ?? 30_000,
      commitIntervalMs: options.commitIntervalMs ?? 1000,
      partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 1,
      handlerConcurrency: options.handlerConcurrency ?? 16,
      joinTimeoutMs: options.joinTimeoutMs ?? 30_000,
      maxWaitTimeMs: options.maxWaitTimeMs ?? 1000,
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
      timeoutMs: this.options.healthTimeoutMs ?? 5000,
      maxHealthyLag: this.options.maxHealthyLag ?? 10_000,
    });
  }

  /** Resolves once every queued message has been acknowledged by the broker. */
  async flush(): Promise<void> {
    await this.publisher?.flush();
  }

  /** Flushes, stops every subscription (committing handled offsets), and disconnects. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush().catch(() => undefined);
    this.closed = true;
    for (const subscription of [...this.subscriptions]) await subscription.stop();
    this.subscriptions.clear();
    this.groups.clear();
    if (this.producer) await (await this.producer.catch(() => undefined))?.disconnect().catch(() => undefined);
    if (this.admin) await (await this.admin.catch(() => undefined))?.disconnect().catch(() => undefined);
  }

  // ---- internals -------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new StateError('The Kafka transport is closed: create a new one to publish or subscribe.');
  }

  private async publishDeadLetter(record: DeadLetterRecord, key: Buffer | null): Promise<void> {
    const physical = this.registry.physical(this.options.deadLetterTopic ?? 'dead-letter');
    await this.registry.ensure(physical);
    const value = encodeEnvelope({ id: randomId(), time: this.clock.now(), payload: record, type: 'dead-letter' });
    const publisher = await this.getPublisher();
    await publisher.send(physical, [{ key, value }], value.length);
  }

  private getAdmin(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      this.admin = admin.connect().then(() => admin);
      this.admin.catch(() => (this.admin = undefined));
    }
    return this.admin;
  }

  private async getPublisher(): Promise<KafkaPublisher> {
    if (!this.producer) {
      const producer = this.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
      this.producer = producer.connect().then(() => producer);
      this.producer.catch(() => (this.producer = undefined));
    }
    const producer = await this.producer.catch((error: unknown) => {
      throw new TransportError(`Could not connect a Kafka producer: ${(error as Error).message}`, { cause: error, isRetryable: true });
    });
    this.publisher ??= new KafkaPublisher({
      producer,
      stats: this.statsCounters,
      logger: this.logger,
      clock: this.clock,
      compression: this.options.compression ?? 'gzip',
      compressionMinBytes: this.options.compressionMinBytes ?? 1024,
      acks: this.options.acks ?? -1,
      maxBatchMessages: this.options.maxBatchMessages ?? 2000,
      maxBufferedBytes: this.options.maxBufferedBytes ?? 16 * 1024 * 1024,
      deliveryTimeoutMs: this.options.deliveryTimeoutMs ?? 120_000,
      backoff: this.options.publishBackoff ?? { initialMs: 100, maxMs: 5000 },
    });
    return this.publisher;
  }
}

/**
 * Creates a {@link KafkaTransport}. Throws {@link ValidationError} naming the option when options are wrong.
 *
 * ```ts
 * const transport = createKafkaTransport({ brokers: ['127.0.0.1:9092'], topicPrefix: 'prod.' });
 * const engine = createEngine({ transport, analyzers: [new AnomalyDetector()] });
 * await engine.consume({ group: 'aiops' });
 * ```
 */
export function createKafkaTransport(options: KafkaTransportOptions): KafkaTransport {
  return new KafkaTransport(options);
}
