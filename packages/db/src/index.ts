export { createDatabase, defaultDataDir, pgliteExtensions } from './client.js';
export type { Database, DbOptions, QueryOptions, SqlExecutor } from './client.js';
export { DATA_DIR_LOCKED_EXIT_CODE, DataDirLockedError, lockFileOf } from './data-dir-lock.js';
export type { DataDirLockHolder } from './data-dir-lock.js';
export { migrate, pendingMigrations, readMigrations, checksumOf, MigrationError } from './migrate.js';
export type { MigrateResult, MigrationFile } from './migrate.js';
export { migrationsDir, schemaPath, repoRoot } from './paths.js';
export * from './generated/prisma/client.js';
