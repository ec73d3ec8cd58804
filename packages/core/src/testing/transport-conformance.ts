import { afterEach, describe, expect, it } from 'vitest';
import type { IncomingMessage, Transport } from '../spec/transport.js';
import { waitFor } from './wait-for.js';

/** How the conformance suite gets transports. Transports from one harness must share a bus/broker. */
export interface TransportConformanceHarness {
  open(): Promise<Transport>;
  /** A topic name unique to one test (a real broker keeps topics between tests). */
  topic(base: string): string;
  /** Longest time delivery may take. @default 10000 */
  deliveryTimeoutMs?: number;
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
      const messages = Array.from({ length: 20 }, (_, index) => ({ key: `web-${index % 2}`, value: { resource: `web-${index % 2}`, metric: 'cpu', value: index } }));
      await transport.publish({ topic, messages });
      await waitFor(() => received.length >= 20, { timeoutMs, message: 'all 20 messages delivered' });
      for (const key of ['web-0', 'web-1']) {
        const values = received.filter((message) => message.key === key).map((message) => (message.value as { value: number }).value);
        expect(values).toEqual([...values].sort((a, b) => a - b));
        expect(values).toHaveLength(10);
      }
      expect(received.every((message) => message.topic === topic && typeof message.id === 'string' && message.id.length > 0)).toBe(true);
    });

    it('splits a group between subscribers and gives every message to exactly one of them', async () => {
      const transport = await open();
      const topic = harness.topic('group');
      const seen = [new Set<number>(), new Set<number>()];
      for (const bucket of seen) {
        await transport.subscribe({ topic, group: 'workers', handler: async (message) => void bucket.add((message.value as { n: number }).n) });
      }
      await transport.publish({ topic, messages: Array.from({ length: 50 }, (_, n) => ({ key: `k${n}`, value: { n } })) });
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
      const subscription = await transport.subscribe({ topic, handler: async (message) => void received.push(message.value) });
      await transport.publish({ topic, messages: [{ value: 1 }] });
      await waitFor(() => received.length === 1, { timeoutMs });
      await subscription.unsubscribe();
      await transport.publish({ topic, messages: [{ value: 2 }] });
      await transport.flush?.();
      expect(received).toEqual([1]);
    });

    it('reports health and refuses to publish after close', async () => {
      const transport = await open();
      expect(['ok', 'degraded']).toContain((await transport.health()).status);
      await transport.close();
      await expect(transport.publish({ topic: harness.topic('closed'), messages: [{ value: 1 }] })).rejects.toThrow();
    });
  });
}
