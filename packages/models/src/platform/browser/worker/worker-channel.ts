import { StateError, type CallOptions } from '@iac-dharma/core/kernel';
import type { ScoringWorkerResponse } from './scoring-worker-protocol.js';
import { deserializeWorkerError } from './serialize-worker-error.js';

/** The part of a `Worker` the page side uses (a real `Worker`, or anything that talks the same protocol). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Request/response over `postMessage`: numbers each request and settles its promise when the answer arrives. */
export class WorkerChannel {
  private nextRequestId = 0;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;

  constructor(private readonly worker: WorkerLike) {
    worker.addEventListener('message', (event) => this.settle((event as MessageEvent<ScoringWorkerResponse>).data));
    worker.addEventListener('error', (event) => {
      const detail = (event as ErrorEvent).message || 'the worker script failed to load or threw at top level';
      this.fail(
        new StateError(
          `The scoring worker failed: ${detail}. Check the worker URL and that it calls serveScoringWorker().`,
        ),
      );
    });
    worker.addEventListener('messageerror', () =>
      this.fail(new StateError('The scoring worker sent a message that could not be deserialized.')),
    );
  }

  /** Sends one request; resolves with the worker's result or rejects with the typed error it threw. */
  request<T>(message: Record<string, unknown>, transfer: Transferable[] = [], call: CallOptions = {}): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const signal = call.signal;
    if (signal?.aborted) return Promise.reject(signal.reason ?? new Error('aborted'));
    const requestId = this.nextRequestId++;
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        // The worker still finishes the call; its answer is dropped.
        this.pending.delete(requestId);
        reject(signal?.reason ?? new Error('aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(requestId, {
        resolve: (value) => (signal?.removeEventListener('abort', onAbort), resolve(value as T)),
        reject: (error) => (signal?.removeEventListener('abort', onAbort), reject(error)),
      });
      this.worker.postMessage({ ...message, requestId }, transfer);
    });
  }

  /** Rejects every pending and future request with `error`. */
  fail(error: Error): void {
    this.failure ??= error;
    for (const pending of this.pending.values()) pending.reject(this.failure);
    this.pending.clear();
  }

  private settle(response: ScoringWorkerResponse | undefined): void {
    if (!response || typeof response.requestId !== 'number') return;
    const pending = this.pending.get(response.requestId);
    if (!pending) return;
    this.pending.delete(response.requestId);
    if (response.ok) pending.resolve(response.result);
    else pending.reject(deserializeWorkerError(response.error));
  }
}
