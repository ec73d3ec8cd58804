import { DharmaError, StorageError } from '@iac-dharma/core/kernel';

// SQLSTATE classes and codes worth retrying: connection exceptions, serialization failures, deadlocks,
// too many connections, server shutting down.
const RETRYABLE_CODES = new Set(['40001', '40P01', '53300', '57P01', '57P02', '57P03']);
const RETRYABLE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** Wraps a `pg` (or network) error in a `StorageError` naming the operation; DharmaErrors pass through. */
export function toStorageError(error: unknown, operation: string): DharmaError {
  if (DharmaError.isInstance(error)) return error;
  const code = String((error as { code?: unknown }).code ?? '');
  const isRetryable = RETRYABLE_CODES.has(code) || code.startsWith('08') || RETRYABLE_NETWORK.has(code);
  const detail = code === '23505' ? ' (a record with this key already exists)' : '';
  return new StorageError(
    `PostgreSQL ${operation} failed${code ? ` [${code}]` : ''}: ${(error as Error).message ?? String(error)}${detail}`,
    { cause: error, isRetryable },
  );
}
