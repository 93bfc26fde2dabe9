// pakt's migrator: applies prisma/migrations/<timestamp>_<name>/migration.sql in order, one
// transaction per file, and records them in a `_prisma_migrations` ledger with the same columns
// and checksums as Prisma's, so `prisma migrate deploy` (where its engine can be had) agrees.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database, SqlExecutor } from './client.js';
import { migrationsDir as defaultMigrationsDir } from './paths.js';

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Raised when the history in the database and the files disagree; nothing is applied then. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

/** Any constant works; it only has to be the same for every pakt instance. */
const MIGRATION_LOCK_KEY = 7_042_001;

const LEDGER_DDL = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

export function readMigrations(dir = defaultMigrationsDir): MigrationFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: checksumOf(sql) };
    });
}

interface LedgerRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function checkHistory(sql: SqlExecutor, files: MigrationFile[]): Promise<Set<string>> {
  const rows = await sql.query<LedgerRow>(
    'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at',
  );
  const byName = new Map(files.map((file) => [file.name, file]));
  const applied = new Set<string>();
  for (const row of rows) {
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `Migration ${row.migration_name} is applied in the database but missing from ${defaultMigrationsDir}. Restore the folder; never delete an applied migration.`,
      );
    }
    if (row.finished_at === null) {
      throw new MigrationError(`Migration ${row.migration_name} started but did not finish. Inspect the database, then mark it rolled back.`);
    }
    if (row.checksum !== file.checksum) {
      throw new MigrationError(
        `Migration ${row.migration_name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk). Revert the edit and put the change in a new migration (pnpm db:diff <name>).`,
      );
    }
    applied.add(row.migration_name);
  }
  return applied;
}

/**
 * Applies the pending migrations. Safe to call from several processes at once on PostgreSQL: a
 * session advisory lock lets one migrate while the others wait and then find nothing to do.
 */
export async function migrate(db: Database, options: { dir?: string; log?: (line: string) => void } = {}): Promise<MigrateResult> {
  const files = readMigrations(options.dir);
  const log = options.log ?? (() => {});
  return db.withConnection(async (sql) => {
    await sql.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await sql.exec(LEDGER_DDL);
      const done = await checkHistory(sql, files);
      const result: MigrateResult = { applied: [], alreadyApplied: [...done] };
      for (const file of files) {
        if (done.has(file.name)) continue;
        log(`applying migration ${file.name}`);
        await sql.exec('BEGIN');
        try {
          const id = randomUUID();
          await sql.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [
            id,
            file.checksum,
            file.name,
          ]);
          await sql.exec(file.sql);
          await sql.query('UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1', [id]);
          await sql.exec('COMMIT');
        } catch (error) {
          await sql.exec('ROLLBACK');
          throw new MigrationError(`Migration ${file.name} failed and was rolled back: ${(error as Error).message}`);
        }
        result.applied.push(file.name);
      }
      return result;
    } finally {
      await sql.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  });
}

/** Whether every migration on disk is applied (for readiness checks). */
export async function pendingMigrations(db: Database, dir?: string): Promise<string[]> {
  const files = readMigrations(dir);
  const exists = await db.sql.query<{ ok: boolean }>(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS ok`);
  if (!exists[0]?.ok) return files.map((f) => f.name);
  const done = await checkHistory(db.sql, files);
  return files.filter((f) => !done.has(f.name)).map((f) => f.name);
}
