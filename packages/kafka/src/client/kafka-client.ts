import type { Logger } from '@iac-dharma/core/kernel';
/**
 * The small client interface the transport talks to the broker through (internal: not exported from the
 * package). One adapter per client library: `kafkajs` (./kafkajs-client.ts) and `@platformatic/kafka`
 * (./platformatic-client.ts). The transport owns envelopes, batching, retries, dedupe, dead-lettering and
 * offset bookkeeping; an adapter only moves bytes and offsets.
 */

/** Connection settings shared by every adapter (no client library's types). */
export interface ClientConnection {
  brokers: string[];
  clientId: string;
  /** TLS: `true` for the system CAs, or explicit PEM material. */
  ssl: boolean | { ca?: string | string[]; cert?: string; key?: string; rejectUnauthorized?: boolean } | undefined;
  sasl: { mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string } | undefined;
  connectionTimeoutMs: number;
  requestTimeoutMs: number;
  logger: Logger;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
}

/** A fetched message: raw bytes and its offset (decimal string). */
export interface ClientMessage {
  key: Buffer | null;
  value: Buffer | null;
  offset: string;
}

/** A message to produce. */
export interface ProduceMessage {
  key: string | null;
  value: Buffer;
  /** Epoch ms. */
  timestamp: number;
}

export interface ClientProducer {
  /** Sends one request (several topics at once); resolves once the broker acknowledged it. */
  send(request: {
    topicMessages: { topic: string; messages: ProduceMessage[] }[];
    acks: -1 | 1;
    compress: boolean;
  }): Promise<void>;
  /** Whether a failed `send` may succeed when retried (connection loss, leader change, timeouts). */
  isRetryable(error: unknown): boolean;
  /** Whether a failed `send` says a topic does not exist (e.g. it was deleted while the transport ran). */
  isUnknownTopic(error: unknown): boolean;
  /** Re-establishes connections after a failure; harmless when connected. */
  reconnect(): Promise<void>;
  close(): Promise<void>;
}

export interface ClientAdmin {
  /** Creates a topic; resolves (without error) when it already exists. */
  createTopic(spec: {
    topic: string;
    partitions: number;
    replicationFactor: number;
    configs: Record<string, string>;
  }): Promise<void>;
  /** Leader broker id per partition (index = partition; -1 = none yet); rejects when the topic is unknown. */
  partitionLeaders(topic: string): Promise<number[]>;
  /** Committed offset per partition of a group (partitions without a commit are absent). */
  committedOffsets(groupId: string, topic: string): Promise<Map<number, number>>;
  /** Oldest and next offset per partition. */
  topicOffsets(topic: string): Promise<{ partition: number; low: number; high: number }[]>;
  describeCluster(): Promise<{ brokers: string[]; controller: number | null }>;
  deleteTopics(topics: string[]): Promise<void>;
  close(): Promise<void>;
}

/** One partition's fetched messages, with the offset bookkeeping of the group generation that fetched them. */
export interface FetchedBatch {
  partition: number;
  messages: ClientMessage[];
  /** Marks messages up to and including `offset` as handled (they are committed with the next commit). */
  resolveOffset(offset: string): void;
  /** Tells the group coordinator this member is alive (rate-limited by the adapter). */
  heartbeat(): Promise<void>;
  /** False once the consumer is stopping. */
  isRunning(): boolean;
  /** True when a rebalance took the partition away (the rest of the batch belongs to someone else now). */
  isStale(): boolean;
  /** Commits resolved offsets: when the commit interval has passed, or now with `force`. */
  commit(force?: boolean): Promise<void>;
}

export interface ClientConsumerOptions {
  groupId: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
  maxWaitTimeMs: number;
  commitIntervalMs: number;
  partitionsConsumedConcurrently: number;
}

export interface ClientConsumerEvents {
  /** The member got its partitions (first join and every rebalance). */
  onJoin(): void;
  /** A rebalance started: hand over what was handled. */
  onRebalancing(): void;
  /** The consumer failed; `restarting` tells whether the library restarts it by itself. */
  onCrash(error: unknown, restarting: boolean): void;
}

export interface ClientConsumer {
  /** Connects, subscribes to `topic` and runs `eachBatch` for every fetched partition batch until stopped. */
  start(options: {
    topic: string;
    fromBeginning: boolean;
    eachBatch: (batch: FetchedBatch) => Promise<void>;
    events: ClientConsumerEvents;
  }): Promise<void>;
  /** Leaves the group and closes connections. */
  disconnect(): Promise<void>;
}

/** True when an error (or one it wraps) names a missing topic or partition; for adapters. */
export function mentionsUnknownTopic(error: unknown, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 4) return false;
  const candidate = error as {
    type?: unknown;
    code?: unknown;
    message?: unknown;
    originalError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  const text = `${String(candidate.type ?? '')} ${String(candidate.code ?? '')} ${String(candidate.message ?? '')}`;
  if (/UNKNOWN_TOPIC_OR_PARTITION|does not host this topic-partition|unknown topic/i.test(text)) return true;
  const nested = [
    candidate.originalError,
    candidate.cause,
    ...(Array.isArray(candidate.errors) ? candidate.errors : []),
  ];
  return nested.some((inner) => mentionsUnknownTopic(inner, depth + 1));
}

/** What an adapter offers: a producer, an admin and consumers, all on one connection setting. */
export interface KafkaClient {
  readonly name: 'kafkajs' | 'platformatic';
  /** Whether producers de-duplicate their own retries on the broker (idempotent producer). */
  readonly idempotent: boolean;
  producer(): Promise<ClientProducer>;
  admin(): Promise<ClientAdmin>;
  consumer(options: ClientConsumerOptions): ClientConsumer;
}
