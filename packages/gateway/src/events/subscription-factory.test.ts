import { EventEmitter } from 'eventemitter3';
import { describe, expect, it } from 'vitest';
import { createGatewayMetrics } from '../metrics/gateway-metrics.js';
import { SlowSubscriberError } from './bounded-queue.js';
import { SubscriptionFactory } from './subscription-factory.js';

function setup(policy: 'drop-oldest' | 'disconnect') {
  const metrics = createGatewayMetrics();
  const factory = new SubscriptionFactory({ metrics, queueCapacity: 2, overflowPolicy: policy });
  const source = new EventEmitter<{ event: (value: number) => void }>();
  const iterator = factory.create<number>('metricsStream', (push) => {
    source.on('event', push);
    return () => source.off('event', push);
  });
  return { metrics, factory, source, iterator };
}

describe('SubscriptionFactory', () => {
  it('counts live subscriptions and dropped events, and detaches the listener on return()', async () => {
    const { metrics, factory, source, iterator } = setup('drop-oldest');
    expect(factory.size).toBe(1);
    for (let value = 0; value < 5; value++) source.emit('event', value);
    expect((await iterator.next()).value).toBe(3);
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/dharma_gateway_subscription_events_dropped_total\{field="metricsStream"\} 3/);
    expect(text).toMatch(/dharma_gateway_subscriptions\{field="metricsStream"\} 1/);
    await iterator.return!();
    expect(source.listenerCount('event')).toBe(0);
    expect(factory.size).toBe(0);
    expect(await metrics.registry.metrics()).toMatch(/dharma_gateway_subscriptions\{field="metricsStream"\} 0/);
  });

  it('disconnects a subscriber that falls behind under the disconnect policy', async () => {
    const { metrics, factory, source, iterator } = setup('disconnect');
    for (let value = 0; value < 3; value++) source.emit('event', value);
    await expect(iterator.next()).rejects.toBeInstanceOf(SlowSubscriberError);
    expect(source.listenerCount('event')).toBe(0);
    expect(factory.size).toBe(0);
    expect(await metrics.registry.metrics()).toMatch(
      /dharma_gateway_subscriptions_disconnected_total\{field="metricsStream"\} 1/,
    );
  });
});
