import type { Clock } from '../spec/common.js';

interface Sleeper {
  wakeAt: number;
  resolve: () => void;
}

/**
 * A {@link Clock} that only moves when you call `advance()`: makes cooldowns, timeouts and schedules
 * testable without waiting.
 */
export class ManualClock implements Clock {
  private current: number;
  private sleepers: Sleeper[] = [];

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper: Sleeper = { wakeAt: this.current + ms, resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((candidate) => candidate !== sleeper);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /** Moves time forward by `ms`, waking sleepers in time order (letting their continuations run). */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      const due = this.sleepers.filter((sleeper) => sleeper.wakeAt <= target).sort((a, b) => a.wakeAt - b.wakeAt)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((sleeper) => sleeper !== due);
      this.current = Math.max(this.current, due.wakeAt);
      due.resolve();
      // Let the woken continuation run before waking the next one.
      for (let turn = 0; turn < 10; turn++) await Promise.resolve();
    }
    this.current = target;
  }

  /** Sleepers not yet woken. */
  get pending(): number {
    return this.sleepers.length;
  }
}
