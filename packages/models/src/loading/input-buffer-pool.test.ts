import { describe, expect, it } from 'vitest';
import { InputBufferPool } from './input-buffer-pool.js';

describe('InputBufferPool', () => {
  it('hands a released buffer out again, but never the same buffer twice at once', () => {
    const pool = new InputBufferPool();
    const first = pool.acquire(8);
    const second = pool.acquire(8);
    expect(second).not.toBe(first);
    pool.release(first);
    expect(pool.acquire(8)).toBe(first);
    expect(pool.acquire(8)).not.toBe(first);
  });

  it('returns buffers of exactly the requested length and keeps at most maxSizes lengths', () => {
    const pool = new InputBufferPool(2);
    const buffers = [pool.acquire(3), pool.acquire(4), pool.acquire(5)];
    expect(buffers.map((buffer) => buffer.length)).toEqual([3, 4, 5]);
    buffers.forEach((buffer) => pool.release(buffer));
    expect(pool.acquire(3)).not.toBe(buffers[0]); // evicted, oldest first
    expect(pool.acquire(4)).toBe(buffers[1]);
    expect(pool.acquire(5)).toBe(buffers[2]);
  });
});
