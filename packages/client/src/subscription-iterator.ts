import type { Client as WsClient } from 'graphql-ws';
import { fromGraphQLErrors, fromSocketError, type RawGraphQLError } from './errors/to-client-error.js';

/** A live subscription: iterate it with `for await`; `return()` (or breaking out of the loop, or the abort signal) unsubscribes. */
export type SubscriptionIterator<T> = AsyncIterableIterator<T> & { return(): Promise<IteratorResult<T>> };

/**
 * Subscribes over graphql-ws and yields the root field of each result. GraphQL errors and socket
 * failures are thrown as typed client errors from `next()`.
 */
export function subscriptionIterator<T>(options: {
  client: WsClient;
  query: string;
  variables: Record<string, unknown>;
  field: string;
  signal?: AbortSignal;
}): SubscriptionIterator<T> {
  const inner = options.client.iterate<Record<string, T>>({ query: options.query, variables: options.variables });
  let finished = false;
  const finish = async (): Promise<IteratorResult<T>> => {
    if (!finished) {
      finished = true;
      options.signal?.removeEventListener('abort', onAbort);
      await inner.return?.().catch(() => undefined);
    }
    return { value: undefined, done: true };
  };
  const onAbort = () => void finish();
  if (options.signal?.aborted) void finish();
  else options.signal?.addEventListener('abort', onAbort, { once: true });

  const iterator: SubscriptionIterator<T> = {
    async next(): Promise<IteratorResult<T>> {
      if (finished) return { value: undefined, done: true };
      let result: IteratorResult<{ data?: Record<string, T> | null; errors?: readonly RawGraphQLError[] }>;
      try {
        result = await inner.next();
      } catch (error) {
        await finish();
        throw fromSocketError(error);
      }
      if (result.done || finished) return finish();
      const { data, errors } = result.value;
      if (errors && errors.length > 0) {
        await finish();
        throw fromGraphQLErrors(errors);
      }
      return { value: data?.[options.field] as T, done: false };
    },
    return: finish,
    async throw(error?: unknown) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
