import {
  TransportError,
  type Clock,
  type IncomingMessage,
  type Logger,
  type MessageBatchHandler,
  type MessageHandler,
} from '@iac-dharma/core/kernel';
import type { ClientConsumer, ClientMessage, FetchedBatch, KafkaClient } from './client/kafka-client.js';
import type { z } from 'zod';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import { buildDeadLetterRecord, type DeadLetterReason, type DeadLetterRecord } from './dead-letter.js';
import { DedupeWindow } from './dedupe-window.js';
import { runInKeyLanes, type KeyLanesResult } from './key-lanes.js';
import { decodeEnvelope } from './envelope.js';
import type { KafkaTransportOptions } from './kafka-transport-options.js';
import type { KafkaTransportStats } from './transport-stats.js';

/** Settings of one {@link KafkaSubscription}: the transport's resolved options plus this subscription's own. */
export type KafkaSubscriptionOptions = Pick<
  KafkaTransportOptions,
  | 'logger'
  | 'clock'
  | 'maxMessageBytes'
  | 'maxAttempts'
  | 'dedupeWindow'
  | 'fromBeginning'
  | 'sessionTimeoutMs'
  | 'heartbeatIntervalMs'
  | 'rebalanceTimeoutMs'
  | 'commitIntervalMs'
  | 'partitionsConsumedConcurrently'
  | 'handlerConcurrency'
  | 'joinTimeoutMs'
  | 'maxWaitTimeMs'
> & {
  client: KafkaClient;
  topic: string;
  physicalTopic: string;
  groupId: string;
  /** A per-message handler (key lanes), or a batch handler that gets each partition batch at once. */
  handler:
    | { kind: 'message'; handle: MessageHandler }
    | { kind: 'batch'; handle: MessageBatchHandler; maxBatchMessages: number };
  stats: KafkaTransportStats;
  deadLetter: (record: DeadLetterRecord, key: Buffer | null) => Promise<void>;
  payloadSchema: z.ZodType | undefined;
  /** Backoff between handler attempts. */
  backoff: BackoffOptions;
};

/**
 * One consumer of one topic in one Kafka group. Offsets are committed only for messages whose handler
 * resolved or that were dead-lettered (at-least-once); duplicates within the dedupe window are skipped;
 * handler failures are retried with backoff, then dead-lettered. Never throws into the host: failures
 * are logged and counted, and kafkajs restarts a crashed consumer.
 */
export class KafkaSubscription {
  private readonly dedupe: DedupeWindow;
  private readonly stopping = new AbortController();
  private consumer: ClientConsumer | undefined;
  /** Commits what the current group generation resolved but has not committed yet (set by each batch). */
  private commitResolved: (() => Promise<void>) | undefined;
  private idleCommitTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlightBatch: Promise<void> | undefined;

  constructor(private readonly options: KafkaSubscriptionOptions) {
    this.dedupe = new DedupeWindow(options.dedupeWindow);
  }

  /** Connects, joins the group and resolves once partitions are assigned. */
  async start(): Promise<void> {
    const { options } = this;
    const consumer = options.client.consumer(options);
    this.consumer = consumer;
    let joined!: () => void;
    const joinedOnce = new Promise<void>((resolve) => (joined = resolve));
    try {
      await consumer.start({
        topic: options.physicalTopic,
        fromBeginning: options.fromBeginning,
        eachBatch: (batch) => {
          const run = this.eachBatch(batch);
          this.inFlightBatch = run.catch(() => undefined);
          return run;
        },
        events: {
          onJoin: () => {
            options.stats.rebalances++;
            joined();
          },
          // A rebalance noticed between batches: hand over what was handled, so the next owner does not redo it.
          onRebalancing: () => void this.commitNow(),
          onCrash: (error, restarting) => {
            options.stats.consumerCrashes++;
            options.logger.error('kafka consumer crashed', {
              topic: options.topic,
              groupId: options.groupId,
              restart: restarting,
              error: String(error),
            });
            if (!restarting && !this.stopping.signal.aborted) void this.restart();
          },
        },
      });
    } catch (error) {
      await consumer.disconnect().catch(() => undefined);
      throw new TransportError(
        `Could not subscribe to Kafka topic "${options.physicalTopic}" as group "${options.groupId}": ${(error as Error).message}`,
        { cause: error, isRetryable: true },
      );
    }
    // stop() may have run while this (re)start was connecting: do not leave this consumer running.
    if (this.stopping.signal.aborted) {
      await consumer.disconnect().catch(() => undefined);
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.joinTimeoutMs)));
    await Promise.race([joinedOnce, timedOut]);
    clearTimeout(timer);
  }

  /** Stops fetching, lets the in-flight batch finish (or abandons its retries), commits and leaves the group. */
  async stop(): Promise<void> {
    this.stopping.abort(new TransportError('the subscription was stopped'));
    clearTimeout(this.idleCommitTimer);
    await this.inFlightBatch;
    await this.commitNow();
    await this.consumer
      ?.disconnect()
      .catch((error: unknown) =>
        this.options.logger.warn('kafka consumer disconnect failed', { error: String(error) }),
      );
  }

  private async restart(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    for (let attempt = 1; !this.stopping.signal.aborted; attempt++) {
      try {
        await this.options.clock.sleep(backoffDelay(attempt, { initialMs: 500, maxMs: 10_000 }), this.stopping.signal);
        await this.start();
        return;
      } catch (error) {
        this.options.logger.warn('kafka consumer restart failed; retrying', { attempt, error: String(error) });
      }
    }
  }

  /**
   * Handles a partition batch in key lanes: messages with the same key (and all keyless ones) run one
   * after another in offset order; different keys run side by side, up to `handlerConcurrency` at once.
   * The committed offset only advances over the contiguous prefix of finished messages (at-least-once);
   * a finished message past a failed one is redelivered and then skipped by the dedupe window.
   */
  private async eachBatch(batch: FetchedBatch): Promise<void> {
    const { messages, resolveOffset, heartbeat, isRunning, isStale } = batch;
    this.commitResolved = () => batch.commit(true);
    clearTimeout(this.idleCommitTimer);
    let sinceHeartbeat = 0;
    const stopped = () => !isRunning() || isStale() || this.stopping.signal.aborted;
    const { handler } = this.options;
    const { finished, failure } =
      handler.kind === 'batch'
        ? await this.deliverBatches(batch, handler, stopped)
        : await runInKeyLanes({
            count: messages.length,
            concurrency: this.options.handlerConcurrency,
            keyOf: (index) => messages[index]!.key?.toString('latin1'),
            stopped,
            run: async (index) => {
              await this.process(messages[index]!, batch.partition, (handler as { handle: MessageHandler }).handle);
              // heartbeat() only talks to the broker once heartbeatInterval has passed; still, not per message.
              if (++sinceHeartbeat >= 64) {
                sinceHeartbeat = 0;
                await heartbeat();
              }
            },
          });
    if (finished > 0) resolveOffset(messages[finished - 1]!.offset);
    if (failure || stopped()) {
      // Failing, stopping or rebalancing: commit what was handled now; kafkajs redelivers the rest.
      await this.commitNow();
      if (failure && !this.stopping.signal.aborted) throw failure.error;
      return;
    }
    try {
      await heartbeat();
      await batch.commit();
    } catch (error) {
      await this.commitNow(); // a rebalance started: hand over what was handled
      throw error;
    }
    this.idleCommitTimer = setTimeout(() => void this.commitNow(), this.options.commitIntervalMs);
    (this.idleCommitTimer as { unref?: () => void }).unref?.();
  }

  /** Commits handled-but-uncommitted offsets; never throws (a failed commit only means redeliveries). */
  private async commitNow(): Promise<void> {
    const commit = this.commitResolved;
    if (!commit) return;
    await commit().catch((error: unknown) =>
      this.options.logger.warn('kafka offset commit failed; handled messages may be redelivered', {
        topic: this.options.topic,
        groupId: this.options.groupId,
        error: String(error),
      }),
    );
  }

  /** Handles one message; throws only when it must be redelivered (stopped mid-retry, dead-letter publish failed). */
  /**
   * Batch mode: hands the partition batch to the handler in chunks of at most `maxBatchMessages`. Undecodable,
   * invalid and oversized messages are dead-lettered first, duplicates dropped; the rest of a chunk is one
   * handler call, retried whole with backoff; after `maxAttempts` its messages go one at a time (each retried,
   * then dead-lettered alone). Offsets advance over whole finished chunks only (at-least-once).
   */
  private async deliverBatches(
    batch: FetchedBatch,
    handler: { handle: MessageBatchHandler; maxBatchMessages: number },
    stopped: () => boolean,
  ): Promise<KeyLanesResult> {
    const { options } = this;
    const { messages, partition } = batch;
    let finished = 0;
    try {
      while (finished < messages.length && !stopped()) {
        const chunk = messages.slice(finished, finished + handler.maxBatchMessages);
        const incoming: IncomingMessage[] = [];
        const raw: ClientMessage[] = [];
        const ids = new Set<string>();
        for (const message of chunk) {
          const decoded = await this.admit(message, partition);
          if (!decoded) continue;
          // A producer retry can put the same envelope twice into one chunk.
          if (ids.has(decoded.id)) {
            options.stats.duplicates++;
            continue;
          }
          ids.add(decoded.id);
          incoming.push(decoded);
          raw.push(message);
        }
        if (incoming.length > 0 && !(await this.tryBatch(incoming, partition, handler.handle))) {
          // The batch kept failing: one message at a time, so only the failing one is dead-lettered.
          for (const [index, message] of incoming.entries()) {
            if (stopped()) return { finished, failure: undefined };
            await this.handleOne(message, raw[index]!, partition, (single) =>
              handler.handle({ topic: options.topic, partition, messages: [single] }),
            );
          }
        }
        finished += chunk.length;
        // Each finished chunk counts as handled at once (committed when due), so a consumer that dies in
        // the middle of a big fetch only has the chunks since its last commit redelivered.
        batch.resolveOffset(chunk.at(-1)!.offset);
        await batch.heartbeat();
        if (!stopped()) await batch.commit().catch(() => undefined); // a failed commit only means redeliveries
      }
      return { finished, failure: undefined };
    } catch (error) {
      return { finished, failure: { error } };
    }
  }

  /** Tries a whole batch up to maxAttempts times; true once the handler resolved. Throws when stopped mid-retry. */
  private async tryBatch(
    incoming: IncomingMessage[],
    partition: number,
    handle: MessageBatchHandler,
  ): Promise<boolean> {
    const { options } = this;
    for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
      try {
        await handle({ topic: options.topic, partition, messages: incoming });
        options.stats.handled += incoming.length;
        for (const message of incoming) this.dedupe.add(message.id);
        return true;
      } catch (error) {
        options.stats.handlerFailures++;
        if (attempt === options.maxAttempts) {
          options.logger.warn('kafka batch handler kept failing; handling its messages one at a time', {
            topic: options.topic,
            partition,
            messages: incoming.length,
            error: String(error),
          });
          return false;
        }
        options.stats.handlerRetries++;
        await options.clock.sleep(backoffDelay(attempt, options.backoff), this.stopping.signal);
      }
    }
    return false;
  }

  /**
   * Checks one fetched message: dead-letters it when oversized, undecodable or invalid, drops it when it
   * is a duplicate (undefined in those cases), else returns it as an {@link IncomingMessage}.
   */
  private async admit(message: ClientMessage, partition: number): Promise<IncomingMessage | undefined> {
    const { options } = this;
    options.stats.received++;
    const where = { partition, offset: message.offset, key: message.key, value: message.value };
    const size = message.value?.length ?? 0;
    if (size > options.maxMessageBytes) {
      await this.deadLetter(
        'oversized',
        `the value is ${size} bytes; maxMessageBytes is ${options.maxMessageBytes}`,
        where,
      );
      return undefined;
    }
    const decoded = decodeEnvelope(message.value);
    if (!decoded.ok) {
      await this.deadLetter(decoded.reason, decoded.detail, where);
      return undefined;
    }
    const { envelope } = decoded;
    if (options.payloadSchema) {
      const result = options.payloadSchema.safeParse(envelope.payload);
      if (!result.success) {
        const detail = result.error.issues
          .slice(0, 5)
          .map((issue) => `payload${issue.path.length ? '.' + issue.path.join('.') : ''}: ${issue.message}`)
          .join('; ');
        await this.deadLetter('invalid-payload', detail, where, envelope.id);
        return undefined;
      }
    }
    if (this.dedupe.has(envelope.id)) {
      options.stats.duplicates++;
      return undefined;
    }
    return {
      topic: options.topic,
      key: message.key?.toString('utf8'),
      value: envelope.payload,
      id: envelope.id,
      timestamp: envelope.time,
    };
  }

  /** Handles one message; throws only when it must be redelivered (stopped mid-retry, dead-letter publish failed). */
  private async process(message: ClientMessage, partition: number, handle: MessageHandler): Promise<void> {
    const incoming = await this.admit(message, partition);
    if (incoming) await this.handleOne(incoming, message, partition, handle);
  }

  private async handleOne(
    incoming: IncomingMessage,
    message: ClientMessage,
    partition: number,
    handle: MessageHandler,
  ): Promise<void> {
    const { options } = this;
    const where = { partition, offset: message.offset, key: message.key, value: message.value };
    const envelope = { id: incoming.id };
    let lastError: unknown;
    for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
      try {
        await handle(incoming);
        options.stats.handled++;
        this.dedupe.add(envelope.id);
        return;
      } catch (error) {
        lastError = error;
        options.stats.handlerFailures++;
        if (attempt === options.maxAttempts) break;
        options.stats.handlerRetries++;
        // Aborted by stop(): throw, so the offset is not committed and another member redelivers it.
        await options.clock.sleep(backoffDelay(attempt, options.backoff), this.stopping.signal);
      }
    }
    options.logger.warn('kafka handler kept failing; dead-lettering the message', {
      topic: options.topic,
      id: envelope.id,
      error: String(lastError),
    });
    await this.deadLetter(
      'handler-failed',
      `handler failed ${options.maxAttempts} times; last error: ${errorText(lastError)}`,
      where,
      envelope.id,
      options.maxAttempts,
    );
    this.dedupe.add(envelope.id);
  }

  private async deadLetter(
    reason: DeadLetterReason,
    detail: string,
    where: { partition: number; offset: string; key: Buffer | null; value: Buffer | null },
    envelopeId?: string,
    attempts?: number,
  ): Promise<void> {
    const { options } = this;
    const record = buildDeadLetterRecord({
      reason,
      detail,
      topic: options.topic,
      physicalTopic: options.physicalTopic,
      ...where,
      ...(envelopeId === undefined ? {} : { envelopeId }),
      ...(attempts === undefined ? {} : { attempts }),
      // base64 grows 4/3: keep the dead-letter record itself under the message size limit.
      maxOriginalBytes: Math.floor((options.maxMessageBytes * 0.7) / (4 / 3)),
    });
    // A failure here throws: the offset stays uncommitted and the message comes back (nothing is dropped).
    await options.deadLetter(record, where.key);
    options.stats.deadLettered++;
    options.stats.deadLetterReasons[reason]++;
    options.logger.warn('kafka message dead-lettered', {
      topic: options.topic,
      reason,
      detail,
      partition: where.partition,
      offset: where.offset,
    });
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
