/** State of one circuit: `closed` lets actions through, `open` refuses them, `half-open` lets one trial through. */
export type CircuitState = 'closed' | 'open' | 'half-open';

interface Circuit {
  failures: number;
  openedAt?: number;
}

/**
 * Counts consecutive failures per key (an action, or an action for one incident signature). After
 * `failureThreshold` of them the circuit opens for `resetAfterMs`; then it is half-open: the next result
 * closes it (success) or opens it again (failure).
 */
export class CircuitBreaker {
  private readonly circuits = new Map<string, Circuit>();

  constructor(private readonly options: { failureThreshold: number; resetAfterMs: number }) {}

  /** The state of `key`'s circuit at time `now` (epoch ms). */
  state(key: string, now: number): CircuitState {
    const circuit = this.circuits.get(key);
    if (circuit?.openedAt === undefined) return 'closed';
    return now - circuit.openedAt >= this.options.resetAfterMs ? 'half-open' : 'open';
  }

  /** Records the result of one execution under `key`. */
  record(key: string, success: boolean, now: number): void {
    if (success) {
      this.circuits.delete(key);
      return;
    }
    const circuit = this.circuits.get(key) ?? { failures: 0 };
    const wasHalfOpen = this.state(key, now) === 'half-open';
    circuit.failures++;
    if (wasHalfOpen || circuit.failures >= this.options.failureThreshold) circuit.openedAt = now;
    this.circuits.set(key, circuit);
  }

  /** Keys whose circuit is open or half-open at `now`. */
  openCircuits(now: number): string[] {
    return [...this.circuits.keys()].filter((key) => this.state(key, now) !== 'closed');
  }
}
