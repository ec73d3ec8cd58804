import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage, MessageBatch, Transport } from '../spec/transport.js';
import { waitFor } from './wait-for.js';

/** How the conformance suite gets transports. Transports from one harness must share a bus/broker. */
export interface TransportConformanceHarness {
  open(): Promise<Transport>;
  /** A topic name unique to one test (a real broker keeps topics between tests). */
  topic(base: string): string;
  /** Longest time delivery may take. @default 10000 */
  deliveryTimeoutMs?: number;
  /** The transport implements `subscribeBatch` (its batch tests run and must pass). @default true */
  batches?: boolean;
}

/** The behaviour every {@link Transport} must have: `runTransportConformance('kafka', harness)`. */
export function runTransportConformance(name: string, harness: TransportConformanceHarness): void {
  describe(`Transport conformance: ${name}`, () => {
    const opened: Transport[] = [];
    const open = async () => {
      const transport = await harness.open();
      opened.push(transport);
      return transport;
    };
    const timeoutMs = harness.deliveryTimeoutMs ?? 10_000;
    afterEach(async () => {
      for (const transport of opened.splice(0)) await transport.close().catch(() => undefined);
    });

    it('delivers published messages with their key and value, in order per key', async () => {
      const transport = await open();
      const topic = harness.topic('round-trip');
      const received: IncomingMessage[] = [];
      await transport.subscribe({ topic, handler: async (message) => void received.push(message) });
      const messages = Array.from({ length: 20 }, (_, index) => ({
        key: `web-${index % 2}`,
        value: { resource: `web-${index % 2}`, metric: 'cpu', value: index },
      }));
      await transport.publish({ topic, messages });
      await waitFor(() => received.length >= 20, { timeoutMs, message: 'all 20 messages delivered' });
      for (const key of ['web-0', 'web-1']) {
        const values = received
          .filter((message) => message.key === key)
          .map((message) => (message.value as { value: number }).value);
        expect(values).toEqual([...values].sort((a, b) => a - b));
        expect(values).toHaveLength(10);
      }
      expect(
        received.every((message) => message.topic === topic && typeof message.id === 'string' && message.id.length > 0),
      ).toBe(true);
    });

    it('splits a group between subscribers and gives every message to exactly one of them', async () => {
      const transport = await open();
      const topic = harness.topic('group');
      const seen = [new Set<number>(), new Set<number>()];
      for (const bucket of seen) {
        await transport.subscribe({
          topic,
          group: 'workers',
          handler: async (message) => void bucket.add((message.value as { n: number }).n),
        });
      }
      await transport.publish({
        topic,
        messages: Array.from({ length: 50 }, (_, n) => ({ key: `k${n}`, value: { n } })),
      });
      await waitFor(() => seen[0]!.size + seen[1]!.size >= 50, { timeoutMs, message: '50 messages across the group' });
      const union = new Set([...seen[0]!, ...seen[1]!]);
      expect(union.size).toBe(50);
    });

    it('redelivers a message whose handler failed (at-least-once)', async () => {
      const transport = await open();
      const topic = harness.topic('retry');
      let attempts = 0;
      const done: unknown[] = [];
      await transport.subscribe({
        topic,
        handler: async (message) => {
          attempts++;
          if (attempts === 1) throw new Error('transient');
          done.push(message.value);
        },
      });
      await transport.publish({ topic, messages: [{ key: 'a', value: { ok: true } }] });
      await waitFor(() => done.length === 1, { timeoutMs, message: 'redelivered after a failure' });
      expect(attempts).toBeGreaterThanOrEqual(2);
      expect(done[0]).toEqual({ ok: true });
    });

    it('stops delivering after unsubscribe', async () => {
      const transport = await open();
      const topic = harness.topic('unsubscribe');
      const received: unknown[] = [];
      const subscription = await transport.subscribe({
        topic,
        handler: async (message) => void received.push(message.value),
      });
      await transport.publish({ topic, messages: [{ value: 1 }] });
      await waitFor(() => received.length === 1, { timeoutMs });
      await subscription.unsubscribe();
      await transport.publish({ topic, messages: [{ value: 2 }] });
      await transport.flush?.();
      expect(received).toEqual([1]);
    });

    const batchIt = harness.batches === false ? it.skip : it;

    batchIt('delivers batches: every message once, in order per key, several messages per batch', async () => {
      const transport = await open();
      expect(typeof transport.subscribeBatch).toBe('function');
      const topic = harness.topic('batch');
      const batches: MessageBatch[] = [];
      await transport.subscribeBatch!({ topic, handler: async (batch) => void batches.push(batch) });
      const messages = Array.from({ length: 200 }, (_, index) => ({ key: `web-${index % 4}`, value: { n: index } }));
      await transport.publish({ topic, messages });
      const received = () => batches.flatMap((batch) => batch.messages);
      await waitFor(() => received().length >= 200, { timeoutMs, message: 'all 200 messages delivered in batches' });
      const values = received().map((message) => (message.value as { n: number }).n);
      expect(new Set(values).size).toBe(200);
      for (let key = 0; key < 4; key++) {
        const ofKey = received()
          .filter((message) => message.key === `web-${key}`)
          .map((message) => (message.value as { n: number }).n);
        expect(ofKey).toEqual([...ofKey].sort((a, b) => a - b));
      }
      expect(
        batches.every((batch) => batch.topic === topic && batch.messages.every((message) => message.topic === topic)),
      ).toBe(true);
      // A publish of 200 messages arrives in fewer batches than messages.
      expect(batches.length).toBeLessThan(200);
    });

    batchIt('acknowledges nothing of a rejected batch, and isolates a message that keeps failing', async () => {
      const transport = await open();
      const topic = harness.topic('batch-retry');
      const handled = new Map<number, number>();
      let rejected = 0;
      await transport.subscribeBatch!({
        topic,
        handler: async (batch) => {
          const values = batch.messages.map((message) => (message.value as { n: number }).n);
          // n = 7 always fails; the first delivery of any batch fails as a whole (transient).
          if (values.includes(7) || rejected === 0) {
            rejected++;
            throw new Error('batch failed');
          }
          for (const value of values) handled.set(value, (handled.get(value) ?? 0) + 1);
        },
      });
      await transport.publish({
        topic,
        messages: Array.from({ length: 20 }, (_, n) => ({ key: 'one-key', value: { n } })),
      });
      await waitFor(() => handled.size >= 19, {
        timeoutMs,
        message: 'the 19 good messages handled despite the failing one',
      });
      expect(handled.has(7)).toBe(false);
      expect(rejected).toBeGreaterThanOrEqual(2);
      for (let n = 0; n < 20; n++) if (n !== 7) expect(handled.get(n)).toBeGreaterThanOrEqual(1);
    });

    batchIt('splits a group between batch subscribers, every message to one of them', async () => {
      const transport = await open();
      const topic = harness.topic('batch-group');
      const seen = [new Set<number>(), new Set<number>()];
      for (const bucket of seen) {
        await transport.subscribeBatch!({
          topic,
          group: 'batch-workers',
          handler: async (batch) => batch.messages.forEach((message) => bucket.add((message.value as { n: number }).n)),
        });
      }
      await transport.publish({
        topic,
        messages: Array.from({ length: 60 }, (_, n) => ({ key: `k${n}`, value: { n } })),
      });
      await waitFor(() => new Set([...seen[0]!, ...seen[1]!]).size >= 60, {
        timeoutMs,
        message: '60 messages across the group',
      });
      expect(new Set([...seen[0]!, ...seen[1]!]).size).toBe(60);
    });

    it('reports health and refuses to publish after close', async () => {
      const transport = await open();
      expect(['ok', 'degraded']).toContain((await transport.health()).status);
      await transport.close();
      await expect(transport.publish({ topic: harness.topic('closed'), messages: [{ value: 1 }] })).rejects.toThrow();
    });
  });
}
