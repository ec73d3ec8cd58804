import { TimeoutError, TransportError, type Clock, type Logger } from '@iac-dharma/core/kernel';
import { backoffDelay, type BackoffOptions } from './backoff.js';
import type { ClientProducer, ProduceMessage } from './client/kafka-client.js';
import type { KafkaTransportOptions } from './kafka-transport-options.js';
import type { KafkaTransportStats } from './transport-stats.js';

type TopicMessages = { topic: string; messages: ProduceMessage[] };

interface Pending {
  topic: string;
  messages: ProduceMessage[];
  bytes: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Settings of {@link KafkaPublisher}: the transport's resolved options plus the producer. */
export type KafkaPublisherOptions = Pick<
  KafkaTransportOptions,
  | 'logger'
  | 'clock'
  | 'compression'
  | 'compressionMinBytes'
  | 'acks'
  | 'maxBatchMessages'
  | 'maxBufferedBytes'
  | 'deliveryTimeoutMs'
> & {
  producer: ClientProducer;
  stats: KafkaTransportStats;
  backoff: BackoffOptions;
  /** Called before retrying a send that failed because a topic is missing (deleted mid-run): re-creates it. */
  onUnknownTopic?: (topics: string[]) => Promise<void>;
};

/**
 * Sends messages to Kafka one produce request at a time (so order per key holds across `publish` calls),
 * batching whatever queued up while the previous request was in flight. Retries failed requests with
 * capped, jittered backoff until `deliveryTimeoutMs`. Back-pressure: `send` waits while more than
 * `maxBufferedBytes` are queued, so a slow broker slows its callers and memory stays bounded.
 */
export class KafkaPublisher {
  private readonly queue: Pending[] = [];
  private readonly spaceWaiters: (() => void)[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly options: KafkaPublisherOptions) {}

  /** Queues messages for one topic; resolves once the broker acknowledged all of them. */
  async send(topic: string, messages: ProduceMessage[], bytes: number, signal?: AbortSignal): Promise<void> {
    const { stats } = this.options;
    if (stats.bufferedBytes > 0 && stats.bufferedBytes + bytes > this.options.maxBufferedBytes) {
      stats.publishWaits++;
      while (stats.bufferedBytes > 0 && stats.bufferedBytes + bytes > this.options.maxBufferedBytes) {
        await new Promise<void>((resolve, reject) => {
          this.spaceWaiters.push(resolve);
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        });
      }
    }
    signal?.throwIfAborted();
    stats.bufferedBytes += bytes;
    const done = new Promise<void>((resolve, reject) => this.queue.push({ topic, messages, bytes, resolve, reject }));
    this.pump();
    return done;
  }

  /** Waits for what is queued, then disconnects the producer. */
  async close(): Promise<void> {
    await this.flush().catch(() => undefined);
    await this.options.producer.close();
  }

  /** Resolves when nothing is queued or in flight. */
  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  private pump(): void {
    if (this.running) return;
    this.running = (async () => {
      while (this.queue.length > 0) await this.sendNext();
    })().finally(() => {
      this.running = undefined;
      if (this.queue.length > 0) this.pump();
    });
  }

  private async sendNext(): Promise<void> {
    const batch: Pending[] = [];
    let count = 0;
    while (
      this.queue.length > 0 &&
      (batch.length === 0 || count + this.queue[0]!.messages.length <= this.options.maxBatchMessages)
    ) {
      const next = this.queue.shift()!;
      batch.push(next);
      count += next.messages.length;
    }
    const byTopic = new Map<string, ProduceMessage[]>();
    for (const entry of batch) {
      const list = byTopic.get(entry.topic);
      if (list) list.push(...entry.messages);
      else byTopic.set(entry.topic, [...entry.messages]);
    }
    const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
    const bytes = batch.reduce((sum, entry) => sum + entry.bytes, 0);
    // gzip gains nothing on a few hundred bytes and costs a thread-pool round trip: send small requests as they are.
    const compress = this.options.compression === 'gzip' && bytes >= this.options.compressionMinBytes;
    try {
      await this.sendWithRetry(topicMessages, count, compress);
      this.options.stats.published += count;
      for (const entry of batch) entry.resolve();
    } catch (error) {
      this.options.stats.publishFailures += count;
      for (const entry of batch) entry.reject(error);
    } finally {
      for (const entry of batch) this.options.stats.bufferedBytes -= entry.bytes;
      for (const wake of this.spaceWaiters.splice(0)) wake();
    }
  }

  private async sendWithRetry(topicMessages: TopicMessages[], count: number, compress: boolean): Promise<void> {
    const { producer, clock, stats, logger } = this.options;
    const deadline = clock.now() + this.options.deliveryTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        stats.publishBatches++;
        await producer.send({ topicMessages, acks: this.options.acks, compress });
        return;
      } catch (error) {
        const delay = backoffDelay(attempt, this.options.backoff);
        // A missing topic (deleted mid-run) is re-created before the retry, whatever the client calls it.
        const recreate = this.options.onUnknownTopic;
        const unknownTopic = recreate !== undefined && producer.isUnknownTopic(error);
        if (!unknownTopic && !producer.isRetryable(error)) {
          throw new TransportError(`Kafka rejected ${count} message(s): ${(error as Error).message}`, { cause: error });
        }
        if (clock.now() + delay > deadline) {
          throw new TimeoutError(
            `Kafka did not acknowledge ${count} message(s) within deliveryTimeoutMs=${this.options.deliveryTimeoutMs} (${attempt} attempts): ${(error as Error).message}`,
            { cause: error },
          );
        }
        stats.publishRetries++;
        logger.warn('kafka produce failed; retrying', { attempt, delayMs: delay, error: (error as Error).message });
        await clock.sleep(delay);
        if (unknownTopic) {
          await recreate(topicMessages.map((entry) => entry.topic)).catch((cause: unknown) =>
            logger.warn('kafka topic re-creation failed; retrying', { error: String(cause) }),
          );
        }
        // After a broker restart the producer may have dropped its connections: reconnecting is harmless when connected.
        await producer.reconnect();
      }
    }
  }
}
