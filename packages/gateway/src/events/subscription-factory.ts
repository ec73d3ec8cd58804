import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { BoundedQueue, type OverflowPolicy } from './bounded-queue.js';

/** Options of {@link SubscriptionFactory}. */
export interface SubscriptionFactoryOptions {
  metrics: GatewayMetrics;
  /** Events held per subscriber before `overflowPolicy` applies. @default 256 */
  queueCapacity?: number;
  /** @default 'drop-oldest' */
  overflowPolicy?: OverflowPolicy;
}

/**
 * Makes subscription iterators fed by event sources, each with its own bounded queue, counted in the
 * gateway metrics (live subscriptions, dropped events, disconnected slow subscribers).
 */
export class SubscriptionFactory {
  private readonly live = new Set<BoundedQueue<unknown>>();

  constructor(private readonly options: SubscriptionFactoryOptions) {}

  /** Live subscriptions now. */
  get size(): number {
    return this.live.size;
  }

  /**
   * Subscribes to a source: `attach` registers `push` as a listener and returns the function that removes
   * it; the listener is removed when the subscriber leaves or is disconnected.
   */
  create<T>(field: string, attach: (push: (event: T) => void) => () => void): AsyncIterableIterator<T> {
    const { metrics } = this.options;
    let detach: (() => void) | undefined;
    const queue: BoundedQueue<T> = new BoundedQueue<T>({
      capacity: this.options.queueCapacity ?? 256,
      policy: this.options.overflowPolicy ?? 'drop-oldest',
      onOverflow: (policy) => metrics.overflow(field, policy),
      onClose: () => {
        detach?.();
        this.live.delete(queue as BoundedQueue<unknown>);
        metrics.subscriptionClosed(field);
      },
    });
    this.live.add(queue as BoundedQueue<unknown>);
    metrics.subscriptionOpened(field);
    detach = attach((event) => queue.push(event));
    return queue;
  }

  /** Ends every live subscription (on gateway close). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.live].map((queue) => queue.return()));
  }
}
