import { describe, expect, it } from 'vitest';
import { DedupeWindow } from './dedupe-window.js';

describe('DedupeWindow', () => {
  it('remembers the last `capacity` ids and forgets the oldest first', () => {
    const window = new DedupeWindow(3);
    for (const id of ['a', 'b', 'c', 'a', 'd']) window.add(id);
    expect(window.size).toBe(3);
    expect(window.has('a')).toBe(false);
    expect(['b', 'c', 'd'].every((id) => window.has(id))).toBe(true);
  });

  it('remembers nothing with capacity 0', () => {
    const window = new DedupeWindow(0);
    window.add('a');
    expect(window.has('a')).toBe(false);
  });

  it('keeps exactly the newest `capacity` ids over many wrap-arounds', () => {
    const window = new DedupeWindow(5);
    for (let index = 0; index < 1003; index++) window.add(`id-${index}`);
    expect(window.size).toBe(5);
    expect([998, 999, 1000, 1001, 1002].every((index) => window.has(`id-${index}`))).toBe(true);
    expect(window.has('id-997')).toBe(false);
  });
});
