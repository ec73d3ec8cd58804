import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The URL of the test PostgreSQL: `DHARMA_PG_URL`, else the env file written by
 * scripts/services/start-postgres.sh. Throws (the tests fail, never skip) when neither exists.
 */
export function postgresUrl(): string {
  if (process.env.DHARMA_PG_URL) return process.env.DHARMA_PG_URL;
  const servicesDir = process.env.DHARMA_SERVICES_DIR ?? join(repositoryRoot, '.services');
  const envFile = join(servicesDir, 'postgres.env');
  if (existsSync(envFile)) {
    const line = readFileSync(envFile, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('DHARMA_PG_URL='));
    if (line) return line.slice('DHARMA_PG_URL='.length).trim();
  }
  throw new Error(
    `No PostgreSQL for the storage-postgres tests: DHARMA_PG_URL is unset and ${envFile} does not exist. ` +
      'Run `npm test` (scripts/test.sh starts the services), or `bash scripts/services/start-postgres.sh` before `npx vitest run`.',
  );
}

let counter = 0;

/** A schema name unique to this test run, so parallel test files never share tables. */
export function uniqueSchema(prefix = 'test'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${++counter}`;
}

/** Drops the given schemas (with everything in them). */
export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: postgresUrl() });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
