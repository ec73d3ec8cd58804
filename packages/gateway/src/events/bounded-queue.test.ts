import { describe, expect, it } from 'vitest';
import { BoundedQueue, SlowSubscriberError } from './bounded-queue.js';

describe('BoundedQueue', () => {
  it('hands events to a waiting subscriber in order', async () => {
    const queue = new BoundedQueue<number>({ capacity: 2 });
    const first = queue.next();
    queue.push(1);
    queue.push(2);
    expect(await first).toEqual({ value: 1, done: false });
    expect(await queue.next()).toEqual({ value: 2, done: false });
  });

  it('drops the oldest events of a slow subscriber and counts them', async () => {
    const overflows: string[] = [];
    const queue = new BoundedQueue<number>({ capacity: 3, onOverflow: (policy) => overflows.push(policy) });
    for (let value = 1; value <= 5; value++) queue.push(value);
    expect(queue.size).toBe(3);
    expect(queue.dropped).toBe(2);
    expect(overflows).toEqual(['drop-oldest', 'drop-oldest']);
    const received = [(await queue.next()).value, (await queue.next()).value, (await queue.next()).value];
    expect(received).toEqual([3, 4, 5]);
  });

  it('disconnects a slow subscriber under the disconnect policy and releases the source once', async () => {
    let closed = 0;
    const queue = new BoundedQueue<number>({ capacity: 2, policy: 'disconnect', onClose: () => closed++ });
    expect(queue.push(1)).toBe(true);
    expect(queue.push(2)).toBe(true);
    expect(queue.push(3)).toBe(false);
    await expect(queue.next()).rejects.toBeInstanceOf(SlowSubscriberError);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(queue.push(4)).toBe(false);
    await queue.return();
    expect(closed).toBe(1);
  });

  it('return() ends a pending next() and stops accepting events', async () => {
    let closed = 0;
    const queue = new BoundedQueue<number>({ onClose: () => closed++ });
    const pending = queue.next();
    await queue.return();
    expect(await pending).toEqual({ value: undefined, done: true });
    expect(queue.push(1)).toBe(false);
    expect(closed).toBe(1);
  });
});
