import { z } from 'zod';
import { noopMetrics, type EngineMetrics } from '../metrics/engine-metrics.js';
import type { Analyzer } from '../spec/analyzer.js';
import { noopLogger, systemClock, type Clock, type Logger } from '../spec/common.js';
import type { FindingHandler } from '../spec/finding-handler.js';
import type { Storage } from '../spec/storage.js';
import { DEAD_LETTER_TOPIC, INPUT_TOPICS, type Topic, type Transport } from '../spec/transport.js';
import { MemoryStorage } from '../storage/memory-storage.js';
import { InProcessTransport } from '../transport/in-process-transport.js';
import { RootCauseLinkOptionsSchema } from './root-cause-link.js';

const isObject = (value: unknown): boolean => typeof value === 'object' && value !== null;
const topicName = z.string().min(1);
/** A topic option whose default is one of the SDK's topics. */
const topic = (name: Topic) => topicName.default(name);

/** Where the engine publishes each finding kind, remediation results and alerts. */
export const EngineTopicsSchema = z.object({
  anomaly: topic('anomalies'),
  prediction: topic('predictions'),
  forecast: topic('predictions'),
  insight: topic('predictions'),
  'root-cause': topic('anomalies'),
  threat: topic('alerts'),
  /** Also receives every high and critical finding published elsewhere. */
  alert: topic('alerts'),
  remediation: topic('remediations'),
});

/** The resolved topic of each finding kind, of remediation results and of alerts. */
export type EngineTopics = z.output<typeof EngineTopicsSchema>;

/**
 * Options of {@link Engine}, with their defaults: the engine parses them once with this schema (a
 * wrong option throws `ValidationError` naming it). Every option is optional.
 */
export const EngineOptionsSchema = z.object({
  /** Where findings, points, history and state live. @default a new MemoryStorage */
  storage: z.custom<Storage>(isObject, { message: 'expected a Storage' }).default(() => new MemoryStorage()),
  /** Where findings are published and streamed records come from. @default a new InProcessTransport */
  transport: z.custom<Transport>(isObject, { message: 'expected a Transport' }).default(() => new InProcessTransport()),
  /** Analyzers to register now (more with `engine.use()`). @default [] */
  analyzers: z.array(z.custom<Analyzer>(isObject, { message: 'expected an Analyzer' })).default(() => []),
  /** Finding handlers, e.g. a `Remediator` (more with `engine.useHandler()`). @default [] */
  handlers: z.array(z.custom<FindingHandler>(isObject, { message: 'expected a FindingHandler' })).default(() => []),
  /** Where the engine logs (any common logger: see `adaptLogger`). @default noopLogger */
  logger: z.custom<Logger>(isObject, { message: 'expected a Logger' }).default(() => noopLogger),
  /** Time source of record timestamps and analyzer contexts. @default systemClock */
  clock: z.custom<Clock>(isObject, { message: 'expected a Clock' }).default(() => systemClock),
  /** Counters and histograms of what the engine does (e.g. Prometheus self-telemetry). @default noopMetrics */
  metrics: z.custom<EngineMetrics>(isObject, { message: 'expected EngineMetrics' }).default(() => noopMetrics),
  /** Store every metric sample as a series point (needed by forecasting and predictions on history). @default true */
  persistSamples: z.boolean().default(true),
  /** Publish findings and remediation results to the transport. @default true */
  publishFindings: z.boolean().default(true),
  /**
   * Topic per finding kind, of remediation results and of alerts (which also receive every high and critical
   * finding). @default anomaly/root-cause→anomalies, prediction/forecast/insight→predictions, threat→alerts, alert→alerts, remediation→remediations
   */
  topics: EngineTopicsSchema.prefault({}),
  /** Topic that receives records rejected while consuming from the transport. @default 'dead-letter' */
  deadLetterTopic: topicName.default(DEAD_LETTER_TOPIC),
  /** Most finding batches waiting for the transport's acknowledgement at once; more make ingestion wait. @default 64 */
  maxInFlightPublishes: z.number().int().positive().default(64),
  /**
   * Root-cause analysis: when an anomaly fires on a node of this service graph, rank the nodes it calls and
   * emit a `root-cause` finding for the most likely origin, linked to the anomaly. Off when omitted.
   */
  rootCause: RootCauseLinkOptionsSchema.optional(),
  /** Close the storage and transport in `engine.close()`. @default true */
  closeAdapters: z.boolean().default(true),
});

/**
 * Options of {@link Engine} (what you write; every option is optional): the input of
 * {@link EngineOptionsSchema}, declared as an interface so the API docs list each option with its default.
 */
export interface EngineOptions extends z.input<typeof EngineOptionsSchema> {}
/** The resolved engine options, every default applied. */
export type ResolvedEngineOptions = z.output<typeof EngineOptionsSchema>;

/** Options of `engine.consume()`. */
export const ConsumeOptionsSchema = z.object({
  /** Topics to read records from. @default INPUT_TOPICS (metrics, events, logs) */
  topics: z.array(topicName).default(() => [...INPUT_TOPICS]),
  /** Consumer group: engines sharing it split the topics' partitions. @default the transport's own */
  group: z.string().optional(),
});

/** What you pass to `engine.consume()`. */
export type ConsumeOptions = z.input<typeof ConsumeOptionsSchema>;
