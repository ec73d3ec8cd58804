import type { Clock, Logger, Topic } from '@iac-dharma/core';
import type { Kafka, KafkaConfig } from 'kafkajs';
import { z } from 'zod';
import type { BackoffOptions } from './backoff.js';

/** Options of {@link createKafkaTransport}. Only `brokers` (or `kafka`) is required. */
export interface KafkaTransportOptions {
  /** Bootstrap brokers, `host:port` each, e.g. `['127.0.0.1:9092']`. Required unless `kafka` is given. */
  brokers?: string[];
  /** A ready kafkajs client to use instead of creating one from `brokers` (e.g. with SSL/SASL set up). */
  kafka?: Kafka;
  /** Client id sent to the broker (shows in broker logs and quotas). @default 'iac-dharma' */
  clientId?: string;
  /** Extra kafkajs client settings (ssl, sasl, connectionTimeout...) used when `kafka` is not given. */
  kafkaConfig?: Omit<KafkaConfig, 'brokers' | 'clientId' | 'logCreator'>;
  /** Where the transport and kafkajs log (kafkajs lines are prefixed `kafkajs`). @default noopLogger */
  logger?: Logger;
  /** Lowest kafkajs level forwarded to `logger`. @default 'warn' */
  kafkaLogLevel?: 'error' | 'warn' | 'info' | 'debug';
  /** Time source for envelope timestamps and backoff sleeps. @default systemClock */
  clock?: Clock;

  /** Prefix of every physical topic name (e.g. `'prod.'` → `prod.metrics`). @default '' */
  topicPrefix?: string;
  /** Physical names of the SDK's logical topics (before the prefix), e.g. `{ metrics: 'node-metrics' }`. @default each topic's own name */
  topics?: Partial<Record<Topic | 'dead-letter', string>>;
  /** Logical topic that receives undecodable, invalid, oversized and repeatedly failing messages. @default 'dead-letter' */
  deadLetterTopic?: string;
  /** Create missing topics (publish and subscribe) through the admin API. @default true */
  createTopics?: boolean;
  /** Partitions of topics the transport creates; more partitions → more engine instances can share the load. @default 6 */
  partitions?: number;
  /** Replication factor of topics the transport creates; use 3 on a production cluster. @default 1 */
  replicationFactor?: number;
  /** Topic configs for created topics, e.g. `{ 'retention.ms': '86400000' }`. @default {} */
  topicConfig?: Record<string, string>;
  /** zod schemas per logical topic: payloads are checked before publish (throws) and after consume (dead-lettered). @default none */
  payloadSchemas?: Record<string, z.ZodType>;

  /** Compression of produced batches. @default 'gzip' */
  compression?: 'gzip' | 'none';
  /** Produce requests smaller than this many encoded bytes are sent uncompressed (gzip gains nothing there and adds latency). @default 1024 */
  compressionMinBytes?: number;
  /** Largest encoded envelope in bytes: bigger publishes throw, bigger received messages are dead-lettered. @default 1000000 */
  maxMessageBytes?: number;
  /** Most messages in one produce request (concurrent `publish` calls are batched together). @default 2000 */
  maxBatchMessages?: number;
  /** Back-pressure: encoded bytes that may wait for the broker; `publish` waits while the buffer is full. @default 16777216 (16 MiB) */
  maxBufferedBytes?: number;
  /** How long `publish` keeps retrying a failed produce before rejecting, in ms. @default 120000 */
  deliveryTimeoutMs?: number;
  /** Backoff between produce retries (capped, full jitter). @default { initialMs: 100, maxMs: 5000 } */
  publishBackoff?: BackoffOptions;
  /** Acknowledgements required: -1 all in-sync replicas, 1 leader only. @default -1 */
  acks?: -1 | 1;

  /** Handler attempts per message before it is dead-lettered. @default 5 */
  maxAttempts?: number;
  /** Backoff between handler attempts (capped, full jitter). @default { initialMs: 50, maxMs: 2000 } */
  handlerBackoff?: BackoffOptions;
  /** Envelope ids remembered per subscription to drop redelivered duplicates; 0 disables. @default 10000 */
  dedupeWindow?: number;
  /** Where a new consumer group starts: `true` the oldest retained message, `false` only new ones. @default true */
  fromBeginning?: boolean;
  /** Kafka group id of a subscription. Each (group, topic) pair is its own Kafka group, so a rebalance on one topic never pauses another. @default `${group}.${physicalTopic}` */
  groupIdFor?: (group: string, physicalTopic: string) => string;
  /** Consumer session timeout: a silent member loses its partitions after this, in ms. @default 10000 */
  sessionTimeoutMs?: number;
  /** Consumer heartbeat interval, in ms (keep under a third of the session timeout). @default 1000 */
  heartbeatIntervalMs?: number;
  /** Time members get to rejoin during a rebalance, in ms. @default 30000 */
  rebalanceTimeoutMs?: number;
  /**
   * Commit handled offsets at most this often while messages flow, and this long after the stream goes
   * idle, in ms; also on rebalance and on unsubscribe/close. At-least-once: only the contiguous prefix of
   * handled (or dead-lettered) messages is committed. @default 1000
   */
  commitIntervalMs?: number;
  /** Partitions one subscription processes in parallel (order is kept within a partition). @default 1 */
  partitionsConsumedConcurrently?: number;
  /**
   * Messages with different keys handled at once within one partition batch. Order per key is kept (same
   * key, one after another, in offset order); only the contiguous prefix of handled messages is committed.
   * 1 hands every message to the handler strictly one at a time. @default 16
   */
  handlerConcurrency?: number;
  /** Longest a fetch waits on the broker for new data, in ms; also bounds how fast an idle member notices a rebalance or stops. @default 1000 */
  maxWaitTimeMs?: number;
  /** How long `subscribe` waits for the first partition assignment, in ms. @default 30000 */
  joinTimeoutMs?: number;

  /** Total consumer lag above which `health()` reports `degraded`. @default 10000 */
  maxHealthyLag?: number;
  /** Time limit of the broker probe in `health()`, in ms. @default 5000 */
  healthTimeoutMs?: number;
}

const positiveInt = z.number().int().positive();
const backoff = z.object({ initialMs: z.number().nonnegative().optional(), maxMs: z.number().nonnegative().optional(), multiplier: z.number().min(1).optional() }).optional();

/** Checks the plain fields of {@link KafkaTransportOptions} (clients, loggers and schemas pass through). */
export const KafkaTransportOptionsSchema = z
  .looseObject({
    brokers: z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port')).min(1, 'give at least one broker').optional(),
    clientId: z.string().min(1).optional(),
    kafkaLogLevel: z.enum(['error', 'warn', 'info', 'debug']).optional(),
    topicPrefix: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only').optional(),
    topics: z.record(z.string(), z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only')).optional(),
    deadLetterTopic: z.string().min(1).optional(),
    createTopics: z.boolean().optional(),
    partitions: positiveInt.optional(),
    replicationFactor: positiveInt.optional(),
    topicConfig: z.record(z.string(), z.string()).optional(),
    compression: z.enum(['gzip', 'none']).optional(),
    compressionMinBytes: z.number().int().nonnegative().optional(),
    maxMessageBytes: positiveInt.optional(),
    maxBatchMessages: positiveInt.optional(),
    maxBufferedBytes: positiveInt.optional(),
    deliveryTimeoutMs: positiveInt.optional(),
    publishBackoff: backoff,
    acks: z.union([z.literal(-1), z.literal(1)]).optional(),
    maxAttempts: positiveInt.optional(),
    handlerBackoff: backoff,
    dedupeWindow: z.number().int().nonnegative().optional(),
    fromBeginning: z.boolean().optional(),
    sessionTimeoutMs: positiveInt.optional(),
    heartbeatIntervalMs: positiveInt.optional(),
    rebalanceTimeoutMs: positiveInt.optional(),
    commitIntervalMs: positiveInt.optional(),
    partitionsConsumedConcurrently: positiveInt.optional(),
    joinTimeoutMs: positiveInt.optional(),
    maxWaitTimeMs: positiveInt.optional(),
    handlerConcurrency: positiveInt.optional(),
    maxHealthyLag: z.number().int().nonnegative().optional(),
    healthTimeoutMs: positiveInt.optional(),
  })
  .refine((options) => options.brokers !== undefined || options.kafka !== undefined, {
    message: 'give `brokers` (e.g. ["127.0.0.1:9092"]) or a kafkajs client as `kafka`',
    path: ['brokers'],
  });
