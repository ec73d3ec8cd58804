/** What a {@link BoundedQueue} does when a slow subscriber lets it fill up. */
export type OverflowPolicy = 'drop-oldest' | 'disconnect';

/** Options of {@link BoundedQueue}. */
export interface BoundedQueueOptions {
  /** Most events held for one subscriber before the overflow policy applies. @default 256 */
  capacity?: number;
  /** `drop-oldest` discards the oldest queued event; `disconnect` ends the subscription with an error. @default 'drop-oldest' */
  policy?: OverflowPolicy;
  /** Called once per dropped event (drop-oldest) or once on disconnect. */
  onOverflow?: (policy: OverflowPolicy) => void;
  /** Called once when the iterator finishes (return, error or disconnect): unsubscribe from the source here. */
  onClose?: () => void;
}

/** Thrown to a subscriber that fell too far behind under the `disconnect` policy. */
export class SlowSubscriberError extends Error {
  readonly code = 'SLOW_SUBSCRIBER';
  constructor(capacity: number) {
    super(
      `Subscription closed: the subscriber fell more than ${capacity} events behind. Consume events faster or resubscribe.`,
    );
    this.name = 'SlowSubscriberError';
  }
}

/**
 * A bounded per-subscriber queue exposed as an async iterator: the source `push`es events without ever
 * blocking, the subscriber pulls them. A slow subscriber cannot make the gateway hold unbounded memory.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly waiting: ((result: IteratorResult<T>) => void)[] = [];
  private readonly rejecters: ((error: unknown) => void)[] = [];
  private readonly capacity: number;
  private readonly policy: OverflowPolicy;
  private failure: Error | undefined;
  private done = false;
  /** Events discarded for this subscriber so far. */
  dropped = 0;

  constructor(private readonly options: BoundedQueueOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? 256);
    this.policy = options.policy ?? 'drop-oldest';
  }

  /** Number of events waiting to be pulled. */
  get size(): number {
    return this.items.length;
  }

  /** Offers an event; never blocks. Returns false when the queue is closed. */
  push(item: T): boolean {
    if (this.done || this.failure) return false;
    const resolve = this.waiting.shift();
    if (resolve) {
      this.rejecters.shift();
      resolve({ value: item, done: false });
      return true;
    }
    if (this.items.length >= this.capacity) {
      if (this.policy === 'disconnect') {
        this.failure = new SlowSubscriberError(this.capacity);
        this.items.length = 0;
        this.options.onOverflow?.('disconnect');
        this.finish();
        return false;
      }
      this.items.shift();
      this.dropped++;
      this.options.onOverflow?.('drop-oldest');
    }
    this.items.push(item);
    return true;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift() as T, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = undefined;
      this.done = true;
      return Promise.reject(failure);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      this.rejecters.push(reject);
    });
  }

  /** Ends the subscription and releases the source. */
  return(): Promise<IteratorResult<T>> {
    this.done = true;
    this.items.length = 0;
    this.finish();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private closed = false;
  private finish(): void {
    const waiting = this.waiting.splice(0);
    const rejecters = this.rejecters.splice(0);
    if (this.failure) for (const reject of rejecters) reject(this.failure);
    else for (const resolve of waiting) resolve({ value: undefined, done: true });
    if (this.closed) return;
    this.closed = true;
    this.options.onClose?.();
  }
}
