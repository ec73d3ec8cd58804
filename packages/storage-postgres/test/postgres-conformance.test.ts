import { runStorageConformance } from '@iac-dharma/core/testing';
import type { Storage } from '@iac-dharma/core';
import { afterAll } from 'vitest';
import { createPostgresStorage, type PostgresStorage } from '../src/index.js';
import { dropSchemas, postgresUrl, uniqueSchema } from './postgres-test-database.js';

const schemas: string[] = [];
afterAll(() => dropSchemas(schemas));

runStorageConformance('postgres', {
  open: async () => {
    const schema = uniqueSchema('conformance');
    schemas.push(schema);
    return createPostgresStorage({ connectionString: postgresUrl(), schema, maxConnections: 3 });
  },
  reopen: async (previous: Storage) =>
    createPostgresStorage({
      connectionString: postgresUrl(),
      schema: (previous as PostgresStorage).schema,
      maxConnections: 3,
    }),
});
