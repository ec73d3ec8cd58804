import { TransportError, noopLogger, systemClock, type IncomingMessage, type MessageBatch } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import type { ClientMessage, FetchedBatch, KafkaClient } from './client/kafka-client.js';
import { describe, expect, it } from 'vitest';
import { encodeEnvelope } from './envelope.js';
import { KafkaSubscription, type KafkaSubscriptionOptions } from './kafka-subscription.js';
import { createTransportStats } from './transport-stats.js';

/**
 * Drives `eachBatch` with a hand-made partition batch (no broker), so the key lanes, the offset that gets
 * resolved and the stop/failure paths can be checked step by step; the real broker is covered in test/.
 */
const message = (offset: number, key: string | null, id = `id-${offset}`): ClientMessage => ({
  offset: String(offset),
  key: key === null ? null : Buffer.from(key),
  value: encodeEnvelope({ id, time: 1, payload: { n: offset } }),
});

function subscriptionFor(
  handle:
    ((message: IncomingMessage) => Promise<void>) | { batch: (batch: MessageBatch) => Promise<void>; max?: number },
  overrides: Partial<KafkaSubscriptionOptions> = {},
) {
  const stats = createTransportStats();
  const handler: KafkaSubscriptionOptions['handler'] =
    typeof handle === 'function'
      ? { kind: 'message', handle }
      : { kind: 'batch', handle: handle.batch, maxBatchMessages: handle.max ?? 1000 };
  const subscription = new KafkaSubscription({
    client: {} as KafkaClient,
    topic: 'metrics',
    physicalTopic: 'metrics',
    groupId: 'g',
    handler,
    stats,
    logger: noopLogger,
    clock: systemClock,
    deadLetter: async () => undefined,
    payloadSchema: undefined,
    maxMessageBytes: 1_000_000,
    maxAttempts: 1,
    backoff: { initialMs: 1, maxMs: 1 },
    dedupeWindow: 100,
    fromBeginning: true,
    sessionTimeoutMs: 6000,
    heartbeatIntervalMs: 300,
    rebalanceTimeoutMs: 10_000,
    commitIntervalMs: 100,
    partitionsConsumedConcurrently: 1,
    handlerConcurrency: 16,
    joinTimeoutMs: 1000,
    maxWaitTimeMs: 100,
    ...overrides,
  });
  return { subscription, stats };
}

function batchOf(messages: ClientMessage[]) {
  const resolved: string[] = [];
  const commits: string[] = [];
  const payload: FetchedBatch = {
    partition: 0,
    messages,
    resolveOffset: (offset: string) => void resolved.push(offset),
    heartbeat: async () => undefined,
    isRunning: () => true,
    isStale: () => false,
    commit: async (force?: boolean) => void commits.push(force ? 'now' : 'if-due'),
  };
  return { payload, resolved, commits };
}

const eachBatch = (subscription: KafkaSubscription, payload: FetchedBatch) =>
  (subscription as unknown as { eachBatch: (payload: FetchedBatch) => Promise<void> }).eachBatch(payload);

describe('KafkaSubscription batches', () => {
  it('keeps order per key while a slow key does not hold up the others, then resolves the last offset and commits', async () => {
    const handled: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { subscription, stats } = subscriptionFor(async (incoming) => {
      const n = (incoming.value as { n: number }).n;
      if (n === 0) await gate;
      handled.push(`${incoming.key}:${n}`);
    });
    const { payload, resolved, commits } = batchOf([
      message(0, 'a'),
      message(1, 'b'),
      message(2, 'a'),
      message(3, 'b'),
      message(4, null),
      message(5, null),
    ]);
    const done = eachBatch(subscription, payload);
    await waitFor(() => handled.length === 4); // b:1, b:3 and both keyless ones, while a:0 waits
    expect([...handled].sort()).toEqual(['b:1', 'b:3', 'undefined:4', 'undefined:5']);
    expect(handled.filter((entry) => entry.startsWith('b:'))).toEqual(['b:1', 'b:3']);
    expect(resolved).toEqual([]); // nothing is committed past the unfinished offset 0
    release();
    await done;
    expect(handled.filter((entry) => entry.startsWith('a:'))).toEqual(['a:0', 'a:2']);
    expect(handled.filter((entry) => entry.startsWith('undefined:'))).toEqual(['undefined:4', 'undefined:5']);
    expect(resolved).toEqual(['5']);
    expect(commits).toEqual(['if-due']); // at most every commitIntervalMs, not after every batch
    expect(stats.handled).toBe(6);
  });

  it('with handlerConcurrency 1 hands messages over strictly in offset order', async () => {
    const handled: number[] = [];
    let active = 0;
    let maxActive = 0;
    const { subscription } = subscriptionFor(
      async (incoming) => {
        maxActive = Math.max(maxActive, ++active);
        await new Promise((resolve) => setImmediate(resolve));
        handled.push((incoming.value as { n: number }).n);
        active--;
      },
      { handlerConcurrency: 1 },
    );
    const { payload, resolved } = batchOf([message(0, 'a'), message(1, 'b'), message(2, 'c'), message(3, 'a')]);
    await eachBatch(subscription, payload);
    expect(handled).toEqual([0, 1, 2, 3]);
    expect(maxActive).toBe(1);
    expect(resolved).toEqual(['3']);
  });

  it('resolves and commits only the contiguous prefix of finished messages when one cannot be dead-lettered, and rethrows', async () => {
    const { subscription } = subscriptionFor(
      async (incoming) => {
        if ((incoming.value as { n: number }).n === 2) throw new Error('handler down');
      },
      {
        deadLetter: async () => {
          throw new TransportError('dead-letter topic unavailable');
        },
      },
    );
    const { payload, resolved, commits } = batchOf([
      message(0, 'a'),
      message(1, 'b'),
      message(2, 'c'),
      message(3, 'd'),
      message(4, 'b'),
    ]);
    await expect(eachBatch(subscription, payload)).rejects.toThrow(/dead-letter topic unavailable/);
    expect(resolved).toEqual(['1']); // 3 and 4 were handled but come back after 2; the dedupe window then skips them
    expect(commits).toEqual(['now']); // what was handled is committed at once; kafkajs redelivers from offset 2
  });

  it('skips a duplicate envelope id within one batch (same key, same lane)', async () => {
    const handled: number[] = [];
    const { subscription, stats } = subscriptionFor(
      async (incoming) => void handled.push((incoming.value as { n: number }).n),
    );
    const { payload, resolved } = batchOf([message(0, 'a', 'same'), message(1, 'a', 'same'), message(2, 'b')]);
    await eachBatch(subscription, payload);
    expect(handled.sort()).toEqual([0, 2]);
    expect(stats.duplicates).toBe(1);
    expect(resolved).toEqual(['2']);
  });

  it('batch mode: hands the partition batch over at once, dead-letters undecodable messages first, commits the whole batch', async () => {
    const batches: number[][] = [];
    const dead: string[] = [];
    const { subscription, stats } = subscriptionFor(
      {
        batch: async (batch) =>
          void batches.push(batch.messages.map((incoming) => (incoming.value as { n: number }).n)),
      },
      {
        deadLetter: async (record) => void dead.push(record.reason),
      },
    );
    const broken: ClientMessage = { offset: '2', key: null, value: Buffer.from('not json') };
    const { payload, resolved, commits } = batchOf([
      message(0, 'a'),
      message(1, 'b'),
      broken,
      message(3, 'a'),
      message(4, 'c', 'id-0'),
    ]);
    await eachBatch(subscription, payload);
    expect(batches).toEqual([[0, 1, 3]]); // offset 4 repeats envelope id-0: a duplicate within the batch
    expect(dead).toEqual(['invalid-json']);
    expect(resolved).toEqual(['4', '4']); // after the chunk, and for the whole fetch
    expect(commits).toEqual(['if-due', 'if-due']);
    expect(stats).toMatchObject({ handled: 3, duplicates: 1, deadLettered: 1 });
  });

  it('batch mode: retries a failing batch whole, then isolates the failing message and dead-letters only it', async () => {
    const calls: number[][] = [];
    const dead: (string | undefined)[] = [];
    const { subscription, stats } = subscriptionFor(
      {
        batch: async (batch) => {
          const values = batch.messages.map((incoming) => (incoming.value as { n: number }).n);
          calls.push(values);
          if (values.includes(2)) throw new Error('cannot store 2');
        },
      },
      { maxAttempts: 2, deadLetter: async (record) => void dead.push(record.envelopeId) },
    );
    const { payload, resolved } = batchOf([message(0, 'a'), message(1, 'a'), message(2, 'a'), message(3, 'a')]);
    await eachBatch(subscription, payload);
    expect(calls).toEqual([[0, 1, 2, 3], [0, 1, 2, 3], [0], [1], [2], [2], [3]]);
    expect(dead).toEqual(['id-2']);
    expect(resolved).toEqual(['3', '3']);
    expect(stats).toMatchObject({ handled: 3, deadLettered: 1 });
  });

  it('batch mode: chunks a big fetch and commits nothing past a chunk whose dead-letter publish failed', async () => {
    const calls: number[][] = [];
    const { subscription } = subscriptionFor(
      {
        max: 2,
        batch: async (batch) => {
          const values = batch.messages.map((incoming) => (incoming.value as { n: number }).n);
          calls.push(values);
          if (values.includes(3)) throw new Error('handler down');
        },
      },
      {
        maxAttempts: 1,
        deadLetter: async () => {
          throw new TransportError('dead-letter topic unavailable');
        },
      },
    );
    const { payload, resolved, commits } = batchOf([
      message(0, 'a'),
      message(1, 'a'),
      message(2, 'a'),
      message(3, 'a'),
      message(4, 'a'),
    ]);
    await expect(eachBatch(subscription, payload)).rejects.toThrow(/dead-letter topic unavailable/);
    expect(calls).toEqual([[0, 1], [2, 3], [2], [3]]);
    expect(resolved).toEqual(['1', '1']); // chunk [2, 3] is not committed: it comes back, and 2 is then a duplicate
    expect(commits).toEqual(['if-due', 'now']);
  });
});
