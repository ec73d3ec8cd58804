export { PostgresStorage, createPostgresStorage } from './postgres-storage.js';
export type { PostgresStorageOptions } from './postgres-storage-options.js';
export { POSTGRES_SCHEMA_VERSION, type PostgresSchemaInfo } from './postgres-schema.js';
