import type { CallOptions, ComponentHealth } from './common.js';

/** The topics the SDK uses (the seed's nine). Adapters may map them to prefixed names. */
export const TOPICS = [
  'metrics',
  'logs',
  'events',
  'traces',
  'predictions',
  'anomalies',
  'remediations',
  'infrastructure_changes',
  'alerts',
] as const;
export type Topic = (typeof TOPICS)[number];

/** The topics the engine consumes records from by default (`engine.consume()`). */
export const INPUT_TOPICS = ['metrics', 'events', 'logs'] as const satisfies readonly Topic[];

/** Default topic of rejected records and of messages whose handler kept failing. */
export const DEAD_LETTER_TOPIC = 'dead-letter';

/** A message to publish. `key` keeps one resource's messages in order (Kafka: same partition). */
export interface OutgoingMessage {
  key?: string;
  value: unknown;
}

/** A delivered message. */
export interface IncomingMessage {
  topic: string;
  key: string | undefined;
  value: unknown;
  /** Unique id of the message (envelope id); redeliveries carry the same id. */
  id: string;
  /** Publish time (epoch ms). */
  timestamp: number;
}

/**
 * Handles one delivered message. Resolving acknowledges it (at-least-once: the message may be redelivered
 * until the promise resolves); rejecting lets the transport retry and finally dead-letter it.
 */
export type MessageHandler = (message: IncomingMessage) => Promise<void>;

/**
 * A batch of delivered messages of one topic (Kafka: one partition's fetch, in offset order).
 * Order per key is the publish order.
 */
export interface MessageBatch {
  topic: string;
  /** Partition the batch came from, when the transport has partitions. */
  partition?: number;
  messages: readonly IncomingMessage[];
}

/**
 * Handles a batch of delivered messages at once. Resolving acknowledges every message of the batch;
 * rejecting acknowledges none: the transport retries the batch, then delivers its messages one at a
 * time (single-message batches) so one failing message is retried and dead-lettered alone.
 */
export type MessageBatchHandler = (batch: MessageBatch) => Promise<void>;

/** A live subscription; `unsubscribe()` stops delivery once in-flight handlers finish. */
export interface Subscription {
  unsubscribe(): Promise<void>;
}

/**
 * Moves records between engine instances and the outside world.
 * Implementations: `InProcessTransport` (core), `@iac-dharma/kafka`.
 */
export interface Transport {
  readonly specificationVersion: 'v1';
  readonly name: string;
  /** Publishes messages to a topic; resolves once the transport has accepted them (Kafka: acknowledged). */
  publish(options: { topic: string; messages: readonly OutgoingMessage[] } & CallOptions): Promise<void>;
  /** Subscribes a handler; `group` shares the topic's messages among subscribers of the same group. */
  subscribe(options: { topic: string; handler: MessageHandler; group?: string } & CallOptions): Promise<Subscription>;
  /**
   * Subscribes a batch handler (optional capability): whatever the transport has at hand is delivered at
   * once, so the consumer can store and analyse it in one pass. Same groups and at-least-once semantics
   * as {@link Transport.subscribe}; a transport without it is used message by message.
   */
  subscribeBatch?(
    options: { topic: string; handler: MessageBatchHandler; group?: string; maxBatchMessages?: number } & CallOptions,
  ): Promise<Subscription>;
  health(): Promise<ComponentHealth>;
  /** Flushes pending messages. */
  flush?(options?: CallOptions): Promise<void>;
  close(): Promise<void>;
}
