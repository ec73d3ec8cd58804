import type Database from 'better-sqlite3';
import { parseWith, type Logger } from '@iac-dharma/core/kernel';
import { z } from 'zod';

/** Options of {@link SqliteStorage}. Give either `path` or `database`. */
export interface SqliteStorageOptions {
  /**
   * The database file (created when missing, with its directory's permissions), or `':memory:'` for a
   * private in-memory database that is gone when closed. Required unless `database` is given.
   */
  path?: string;
  /**
   * An already open better-sqlite3 database to use instead of opening `path`; the adapter sets its
   * pragmas and creates its tables in it.
   */
  database?: Database.Database;
  /** Close `database` in `close()`. Always true when the adapter opened the file itself. @default true */
  closeDatabase?: boolean;
  /** How long a write waits for another connection's lock before failing, in ms. @default 5000 */
  busyTimeoutMs?: number;
  /**
   * `PRAGMA synchronous`. `normal` is durable across process crashes in WAL mode (a power loss may lose
   * the last transactions); `full` also survives power loss, at the cost of one fsync per write.
   * @default 'normal'
   */
  synchronous?: 'off' | 'normal' | 'full' | 'extra';
  /** Where the adapter reports what it does (schema creation). @default noopLogger */
  logger?: Logger;
}

const OptionsSchema = z
  .object({
    path: z.string().min(1, 'must be a file path or ":memory:"').optional(),
    database: z
      .custom<Database.Database>(
        (value) =>
          typeof value === 'object' && value !== null && typeof (value as { prepare?: unknown }).prepare === 'function',
        {
          message: 'expected an open better-sqlite3 Database',
        },
      )
      .optional(),
    closeDatabase: z.boolean().optional(),
    busyTimeoutMs: z.number().int().nonnegative().max(2_147_483_647).optional(),
    synchronous: z.enum(['off', 'normal', 'full', 'extra']).optional(),
    logger: z
      .custom<Logger>((value) => typeof value === 'object' && value !== null, { message: 'expected a Logger' })
      .optional(),
  })
  .refine((options) => (options.path === undefined) !== (options.database === undefined), {
    message: 'give exactly one of `path` (a file or ":memory:") and `database` (an open better-sqlite3 Database)',
    path: ['path'],
  });

/** Validates {@link SqliteStorageOptions}; throws `ValidationError` naming the field. */
export function parseSqliteStorageOptions(options: SqliteStorageOptions): SqliteStorageOptions {
  return parseWith(OptionsSchema, options, 'SqliteStorageOptions') as SqliteStorageOptions;
}
