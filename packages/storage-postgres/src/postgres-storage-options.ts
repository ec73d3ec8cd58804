import type pg from 'pg';
import { parseWith, type Logger } from '@iac-dharma/core/kernel';
import { z } from 'zod';

/** Options of {@link PostgresStorage}. Give either `connectionString` or `pool`. */
export interface PostgresStorageOptions {
  /** A libpq connection URL, e.g. `postgres://user:password@127.0.0.1:5432/dharma`. */
  connectionString?: string;
  /** A `pg.Pool` you manage (shared with your app). Not ended by `close()` unless `closePool` is true. */
  pool?: pg.Pool;
  /**
   * The PostgreSQL schema holding the adapter's tables; created when missing. Lower-case letters,
   * digits and `_`, starting with a letter or `_`, at most 63 characters. Use one per engine fleet
   * (or per test) to keep data apart. @default 'dharma'
   */
  schema?: string;
  /**
   * TimescaleDB use for series points: `auto` makes `points` a hypertable when the `timescaledb`
   * extension is available (plain indexed table otherwise), `require` fails when it is not, `off`
   * never uses it. @default 'auto'
   */
  timescale?: 'auto' | 'require' | 'off';
  /** Size of the pool the adapter creates from `connectionString`. @default 10 */
  maxConnections?: number;
  /** End the pool in `close()`. @default true with `connectionString`, false with `pool` */
  closePool?: boolean;
  /** Where the adapter reports pool errors and schema creation. @default noopLogger */
  logger?: Logger;
}

const OptionsSchema = z
  .object({
    connectionString: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    pool: z
      .custom<pg.Pool>(
        (value) =>
          typeof value === 'object' && value !== null && typeof (value as { connect?: unknown }).connect === 'function',
        {
          message: 'expected a pg.Pool',
        },
      )
      .optional(),
    schema: z
      .string()
      .regex(
        /^[a-z_][a-z0-9_]{0,62}$/,
        'must be lower-case letters, digits and _, start with a letter or _, and be at most 63 characters',
      )
      .optional(),
    timescale: z.enum(['auto', 'require', 'off']).optional(),
    maxConnections: z.number().int().min(1).max(1000).optional(),
    closePool: z.boolean().optional(),
    logger: z
      .custom<Logger>((value) => typeof value === 'object' && value !== null, { message: 'expected a Logger' })
      .optional(),
  })
  .refine((options) => (options.connectionString === undefined) !== (options.pool === undefined), {
    message: 'give exactly one of `connectionString` (a postgres:// URL) and `pool` (a pg.Pool)',
    path: ['connectionString'],
  });

/** Validates {@link PostgresStorageOptions}; throws `ValidationError` naming the field. */
export function parsePostgresStorageOptions(options: PostgresStorageOptions): PostgresStorageOptions {
  return parseWith(OptionsSchema, options, 'PostgresStorageOptions') as PostgresStorageOptions;
}
