import type { DeadLetterReason } from './dead-letter.js';

/** Counters of one Kafka transport since it was created (`transport.stats()`, also in `health().data`). */
export interface KafkaTransportStats {
  /** Messages acknowledged by the broker. */
  published: number;
  /** Produce requests sent (each carries one or more `publish` calls). */
  publishBatches: number;
  /** Produce requests retried after a failure. */
  publishRetries: number;
  /** Messages whose `publish` rejected after all retries. */
  publishFailures: number;
  /** `publish` calls that had to wait for buffer space (back-pressure). */
  publishWaits: number;
  /** Encoded bytes currently waiting for the broker. */
  bufferedBytes: number;
  /** Messages fetched by subscriptions (including ones later dead-lettered or dropped as duplicates). */
  received: number;
  /** Messages whose handler resolved. */
  handled: number;
  /** Redelivered messages dropped because their envelope id was already handled. */
  duplicates: number;
  /** Handler attempts that were retried. */
  handlerRetries: number;
  /** Handler attempts that rejected. */
  handlerFailures: number;
  /** Messages sent to the dead-letter topic, in total and per reason. */
  deadLettered: number;
  deadLetterReasons: Record<DeadLetterReason, number>;
  /** Partition assignments received (group joins, including rebalances). */
  rebalances: number;
  /** Consumer crashes reported by kafkajs (each is followed by a restart). */
  consumerCrashes: number;
}

/** Fresh zeroed counters. */
export function createTransportStats(): KafkaTransportStats {
  return {
    published: 0,
    publishBatches: 0,
    publishRetries: 0,
    publishFailures: 0,
    publishWaits: 0,
    bufferedBytes: 0,
    received: 0,
    handled: 0,
    duplicates: 0,
    handlerRetries: 0,
    handlerFailures: 0,
    deadLettered: 0,
    deadLetterReasons: {
      'invalid-json': 0,
      'invalid-envelope': 0,
      'invalid-payload': 0,
      oversized: 0,
      'handler-failed': 0,
    },
    rebalances: 0,
    consumerCrashes: 0,
  };
}
