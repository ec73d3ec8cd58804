import { TimeoutError, TransportError, noopLogger, systemClock } from '@iac-dharma/core';
import { waitFor } from '@iac-dharma/core/testing';
import type { ClientProducer } from './client/kafka-client.js';
import { describe, expect, it } from 'vitest';
import { KafkaPublisher } from './kafka-publisher.js';
import { createTransportStats } from './transport-stats.js';

/**
 * A producer whose produce requests complete only when the test says so: it plays a slow broker, so
 * batching and back-pressure can be checked step by step (the real broker is covered in test/).
 */
function gatedProducer(failures: unknown[] = []) {
  type Request = Parameters<ClientProducer['send']>[0];
  const requests: { batch: Request; release: () => void; fail: (error: unknown) => void }[] = [];
  const producer: ClientProducer = {
    send: (batch) => {
      const failure = failures.shift();
      if (failure) return Promise.reject(failure);
      return new Promise<void>((resolve, reject) => requests.push({ batch, release: () => resolve(), fail: reject }));
    },
    isRetryable: (error) => (error as { retriable?: boolean }).retriable !== false,
    isUnknownTopic: (error) => /unknown topic/i.test(String((error as Error).message)),
    reconnect: async () => undefined,
    close: async () => undefined,
  };
  return { producer, requests };
}

const message = (n: number) => ({ key: 'k', value: Buffer.from(String(n)), timestamp: 1 });
const publisherFor = (
  producer: ClientProducer,
  overrides: Partial<ConstructorParameters<typeof KafkaPublisher>[0]> = {},
) => {
  const stats = createTransportStats();
  const publisher = new KafkaPublisher({
    producer,
    stats,
    logger: noopLogger,
    clock: systemClock,
    compression: 'gzip',
    compressionMinBytes: 1024,
    acks: -1,
    maxBatchMessages: 100,
    maxBufferedBytes: 1000,
    deliveryTimeoutMs: 5000,
    backoff: { initialMs: 1, maxMs: 5 },
    ...overrides,
  });
  return { publisher, stats };
};

describe('KafkaPublisher', () => {
  it('batches calls that arrive while a request is in flight, in order', async () => {
    const { producer, requests } = gatedProducer();
    const { publisher, stats } = publisherFor(producer);
    const first = publisher.send('t', [message(1)], 100);
    await waitFor(() => requests.length === 1);
    const rest = [
      publisher.send('t', [message(2)], 100),
      publisher.send('u', [message(3)], 100),
      publisher.send('t', [message(4)], 100),
    ];
    requests[0]!.release();
    await first;
    await waitFor(() => requests.length === 2);
    expect(requests[1]!.batch.topicMessages).toEqual([
      { topic: 't', messages: [message(2), message(4)] },
      { topic: 'u', messages: [message(3)] },
    ]);
    requests[1]!.release();
    await Promise.all(rest);
    expect(stats).toMatchObject({ published: 4, publishBatches: 2, bufferedBytes: 0 });
  });

  it('makes callers wait while the buffer is full (back-pressure) and keeps memory bounded', async () => {
    const { producer, requests } = gatedProducer();
    const { publisher, stats } = publisherFor(producer, { maxBufferedBytes: 1000 });
    const settled: number[] = [];
    const sends = Array.from({ length: 6 }, (_, index) =>
      publisher.send('t', [message(index)], 400).then(() => void settled.push(index)),
    );
    await waitFor(() => requests.length === 1);
    // 400 in flight + 400 queued fit; the rest wait before taking any buffer space.
    expect(stats.bufferedBytes).toBe(800);
    expect(stats.publishWaits).toBeGreaterThan(0);
    let peak = 0;
    while (settled.length < 6) {
      peak = Math.max(peak, stats.bufferedBytes);
      const next = requests.find((request) => request.batch && !(request as { done?: boolean }).done);
      if (next) {
        (next as { done?: boolean }).done = true;
        next.release();
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(sends);
    expect(peak).toBeLessThanOrEqual(1000);
    expect(settled).toEqual([0, 1, 2, 3, 4, 5]);
    expect(stats.bufferedBytes).toBe(0);
  });

  it('retries retriable failures, then gives up with typed errors', async () => {
    const retriable = Object.assign(new Error('connection lost'), { name: 'KafkaJSConnectionError' });
    const { producer, requests } = gatedProducer([retriable, retriable]);
    const { publisher, stats } = publisherFor(producer);
    const sent = publisher.send('t', [message(1)], 10);
    await waitFor(() => requests.length === 1);
    requests[0]!.release();
    await sent;
    expect(stats.publishRetries).toBe(2);

    const fatal = Object.assign(new Error('message too large'), { name: 'KafkaJSProtocolError', retriable: false });
    const second = gatedProducer([fatal]);
    await expect(publisherFor(second.producer).publisher.send('t', [message(1)], 10)).rejects.toBeInstanceOf(
      TransportError,
    );

    const forever = gatedProducer(Array.from({ length: 1000 }, () => retriable));
    const timed = publisherFor(forever.producer, { deliveryTimeoutMs: 50 });
    await expect(timed.publisher.send('t', [message(1)], 10)).rejects.toBeInstanceOf(TimeoutError);
    expect(timed.stats.publishFailures).toBe(1);
  });

  it('re-creates a topic deleted mid-run before retrying, even when the client calls the error final', async () => {
    const unknown = Object.assign(new Error('Unknown topic t.'), { retriable: false });
    const { producer, requests } = gatedProducer([unknown]);
    const recreated: string[][] = [];
    const { publisher, stats } = publisherFor(producer, {
      onUnknownTopic: async (topics) => void recreated.push(topics),
    });
    const sent = publisher.send('t', [message(1)], 100);
    await waitFor(() => requests.length === 1);
    requests[0]!.release();
    await sent;
    expect(recreated).toEqual([['t']]);
    expect(stats).toMatchObject({ published: 1, publishRetries: 1, publishFailures: 0 });
  });
});
