import {
  BackoffOptionsSchema,
  DEAD_LETTER_TOPIC,
  noopLogger,
  systemClock,
  type BackoffOptionsInput,
  type Clock,
  type Logger,
} from '@iac-dharma/core/kernel';
import { z } from 'zod';

const positiveInt = z.number().int().positive();
const isFunction = (value: unknown): boolean => typeof value === 'function';
const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;
const topicName = z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only');

/** Capped exponential backoff with full jitter (see `backoffDelay`): core's schema. */
export { BackoffOptionsSchema, type BackoffOptionsInput };

/** TLS settings: `true` uses the system CAs; PEM strings otherwise. */
const SslSchema = z.union([
  z.boolean(),
  z.object({
    ca: z.union([z.string(), z.array(z.string())]).optional(),
    cert: z.string().optional(),
    key: z.string().optional(),
    rejectUnauthorized: z.boolean().optional(),
  }),
]);

/** SASL authentication. */
const SaslSchema = z.object({
  mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']),
  username: z.string().min(1),
  password: z.string(),
});

/**
 * Options of {@link KafkaTransport}, with their defaults: `new KafkaTransport(options)` parses them once with
 * this schema (a wrong option throws `ValidationError` naming it). Only `brokers` is required.
 */
export const KafkaTransportOptionsSchema = z.object({
  /** Bootstrap brokers, `host:port` each, e.g. `['127.0.0.1:9092']`. */
  brokers: z
    .array(z.string().regex(/^[^\s:]+:\d{1,5}$/, 'expected host:port'))
    .min(1, 'give at least one broker, e.g. ["127.0.0.1:9092"]'),
  /**
   * The client library the transport talks to the broker with: `'kafkajs'` (the design's client; no release
   * since 2023) or `'platformatic'` (`@platformatic/kafka`, maintained, pure JavaScript; needs Node ≥ 22.22
   * and the optional dependency installed). See the Kafka guide for how to choose. @default 'kafkajs'
   */
  client: z.enum(['kafkajs', 'platformatic']).default('kafkajs'),
  /** Client id sent to the broker (shows in broker logs and quotas). @default 'iac-dharma' */
  clientId: z.string().min(1).default('iac-dharma'),
  /** TLS to the brokers: `true` (system CAs) or `{ ca, cert, key, rejectUnauthorized }` in PEM. @default off */
  ssl: SslSchema.optional(),
  /** SASL authentication `{ mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512', username, password }`. @default off */
  sasl: SaslSchema.optional(),
  /** Time to establish a broker connection, in ms. @default 3000 */
  connectionTimeoutMs: positiveInt.default(3000),
  /** Time a broker request may take, in ms. @default 30000 */
  requestTimeoutMs: positiveInt.default(30_000),
  /** Where the transport and its client library log (library lines are prefixed with its name). @default noopLogger */
  logger: z.custom<Logger>(isObject, { message: 'expected a Logger' }).default(noopLogger),
  /** Lowest client library level forwarded to `logger`. @default 'warn' */
  kafkaLogLevel: z.enum(['error', 'warn', 'info', 'debug']).default('warn'),
  /** Time source for envelope timestamps and backoff sleeps. @default systemClock */
  clock: z.custom<Clock>(isObject, { message: 'expected a Clock' }).default(systemClock),

  /** Prefix of every physical topic name (e.g. `'prod.'` → `prod.metrics`). @default '' */
  topicPrefix: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only')
    .default(''),
  /** Physical names of logical topics (before the prefix), e.g. `{ metrics: 'node-metrics' }`. @default each topic's own name */
  topics: z.record(z.string(), topicName).default({}),
  /** Logical topic that receives undecodable, invalid, oversized and repeatedly failing messages. @default 'dead-letter' */
  deadLetterTopic: z.string().min(1).default(DEAD_LETTER_TOPIC),
  /** Create missing topics (publish and subscribe) through the admin API. @default true */
  createTopics: z.boolean().default(true),
  /** Partitions of topics the transport creates; more partitions → more engine instances can share the load. @default 6 */
  partitions: positiveInt.default(6),
  /** Replication factor of topics the transport creates; use 3 on a production cluster. @default 1 */
  replicationFactor: positiveInt.default(1),
  /** Topic configs for created topics, e.g. `{ 'retention.ms': '86400000' }`. @default {} */
  topicConfig: z.record(z.string(), z.string()).default({}),
  /** zod schemas per logical topic: payloads are checked before publish (throws) and after consume (dead-lettered). @default none */
  payloadSchemas: z
    .record(
      z.string(),
      z.custom<z.ZodType>((value) => isObject(value) && isFunction((value as { safeParse?: unknown }).safeParse), {
        message: 'expected a zod schema',
      }),
    )
    .default({}),

  /** Compression of produced batches. @default 'gzip' */
  compression: z.enum(['gzip', 'none']).default('gzip'),
  /** Produce requests smaller than this many encoded bytes are sent uncompressed (gzip gains nothing there and adds latency). @default 1024 */
  compressionMinBytes: z.number().int().nonnegative().default(1024),
  /** Largest encoded envelope in bytes: bigger publishes throw, bigger received messages are dead-lettered. Keep it ≤ the broker's `message.max.bytes`. @default 1000000 */
  maxMessageBytes: positiveInt.default(1_000_000),
  /** Most messages in one produce request (concurrent `publish` calls are batched together); also the default largest batch a batch handler gets. @default 2000 */
  maxBatchMessages: positiveInt.default(2000),
  /** Back-pressure: encoded bytes that may wait for the broker; `publish` waits while the buffer is full. @default 16777216 (16 MiB) */
  maxBufferedBytes: positiveInt.default(16 * 1024 * 1024),
  /** How long `publish` keeps retrying a failed produce before rejecting, in ms. @default 120000 */
  deliveryTimeoutMs: positiveInt.default(120_000),
  /** Backoff between produce retries (capped, full jitter). @default { initialMs: 100, maxMs: 5000 } */
  publishBackoff: BackoffOptionsSchema.default({ initialMs: 100, maxMs: 5000, multiplier: 2 }),
  /** Acknowledgements required: -1 all in-sync replicas, 1 leader only (an idempotent producer always uses -1). @default -1 */
  acks: z.union([z.literal(-1), z.literal(1)]).default(-1),
  /**
   * Idempotent producer: the broker drops duplicates of the client's own in-request retries (sequence
   * numbers per partition). Retries the transport makes after `publish` failed are new requests; consumers
   * drop those by envelope id (dedupe window). @default true
   */
  idempotent: z.boolean().default(true),

  /** Handler attempts per message (or batch) before it is dead-lettered (a batch: split into single messages). @default 5 */
  maxAttempts: positiveInt.default(5),
  /** Backoff between handler attempts (capped, full jitter). @default { initialMs: 50, maxMs: 2000 } */
  handlerBackoff: BackoffOptionsSchema.default({ initialMs: 50, maxMs: 2000, multiplier: 2 }),
  /** Envelope ids remembered per subscription to drop redelivered duplicates; 0 disables. @default 10000 */
  dedupeWindow: z.number().int().nonnegative().default(10_000),
  /** Where a new consumer group starts: `true` the oldest retained message, `false` only new ones. @default true */
  fromBeginning: z.boolean().default(true),
  /** Kafka group id of a subscription. Each (group, topic) pair is its own Kafka group, so a rebalance on one topic never pauses another. @default `${group}.${physicalTopic}` */
  groupIdFor: z
    .custom<(group: string, physicalTopic: string) => string>(isFunction, { message: 'expected a function' })
    .default(() => (group: string, physicalTopic: string) => `${group}.${physicalTopic}`),
  /** Consumer session timeout: a silent member loses its partitions after this, in ms. @default 10000 */
  sessionTimeoutMs: positiveInt.default(10_000),
  /** Consumer heartbeat interval, in ms (keep under a third of the session timeout). @default 1000 */
  heartbeatIntervalMs: positiveInt.default(1000),
  /** Time members get to rejoin during a rebalance, in ms. @default 30000 */
  rebalanceTimeoutMs: positiveInt.default(30_000),
  /**
   * Commit handled offsets at most this often while messages flow, and this long after the stream goes
   * idle, in ms; also on rebalance and on unsubscribe/close. At-least-once: only the contiguous prefix of
   * handled (or dead-lettered) messages is committed. @default 1000
   */
  commitIntervalMs: positiveInt.default(1000),
  /** Partitions one subscription processes in parallel (order is kept within a partition). @default 1 */
  partitionsConsumedConcurrently: positiveInt.default(1),
  /**
   * Per-message handlers (`subscribe`): messages with different keys handled at once within one partition
   * batch. Order per key is kept; only the contiguous prefix of handled messages is committed. 1 hands
   * every message to the handler strictly one at a time. @default 16
   */
  handlerConcurrency: positiveInt.default(16),
  /** Longest a fetch waits on the broker for new data, in ms; also bounds how fast an idle member notices a rebalance or stops. @default 1000 */
  maxWaitTimeMs: positiveInt.default(1000),
  /** How long `subscribe` waits for the first partition assignment, in ms. @default 30000 */
  joinTimeoutMs: positiveInt.default(30_000),

  /** Total consumer lag above which `health()` reports `degraded`. @default 10000 */
  maxHealthyLag: z.number().int().nonnegative().default(10_000),
  /** Time limit of the broker probe in `health()`, in ms. @default 5000 */
  healthTimeoutMs: positiveInt.default(5000),
});

/**
 * What you pass to {@link KafkaTransport} (only `brokers` is required): the input of
 * {@link KafkaTransportOptionsSchema}, declared as an interface so the API docs list each option with its default.
 */
export interface KafkaTransportOptionsInput extends z.input<typeof KafkaTransportOptionsSchema> {}
/** The resolved options, every default applied. */
export type KafkaTransportOptions = z.output<typeof KafkaTransportOptionsSchema>;
