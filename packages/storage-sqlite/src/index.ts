export { SqliteStorage, createSqliteStorage } from './sqlite-storage.js';
export type { SqliteStorageOptions } from './sqlite-storage-options.js';
export { SQLITE_SCHEMA_VERSION } from './sqlite-schema.js';
