import { cpSync, mkdtempSync, writeFileSync, appendFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, MigrationError, readMigrations } from '../src/migrate.js';
import { migrationsDir } from '../src/paths.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';

const opened: TestDatabase[] = [];
async function freshDb() {
  const db = await createTestDatabase();
  opened.push(db);
  return db;
}
afterEach(async () => {
  while (opened.length) await opened.pop()!.drop();
});

function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pakt-migrations-'));
  cpSync(migrationsDir, dir, { recursive: true });
  return dir;
}

describe('migrator', () => {
  it('applies every migration once and records it with Prisma-compatible checksums', async () => {
    const db = await freshDb();
    const files = readMigrations();
    expect(files.length).toBeGreaterThan(0);
    const first = await migrate(db);
    expect(first.applied).toEqual(files.map((f) => f.name));
    const ledger = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(ledger.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(ledger.every((r) => r.finished_at !== null && r.applied_steps_count === 1)).toBe(true);
    const tables = await db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name = 'offer'`,
    );
    expect(tables[0]?.n).toBe(1);
  });

  it('re-applying is a no-op', async () => {
    const db = await freshDb();
    await migrate(db);
    const again = await migrate(db);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.length).toBe(readMigrations().length);
    const rows = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(rows[0]?.n).toBe(readMigrations().length);
  });

  it('refuses to run when an applied migration file was edited', async () => {
    const db = await freshDb();
    const dir = copyOfMigrations();
    await migrate(db, { dir });
    const first = readdirSync(dir)
      .filter((n) => !n.endsWith('.toml'))
      .sort()[0]!;
    appendFileSync(join(dir, first, 'migration.sql'), '\n-- an edit after the fact\n');
    await expect(migrate(db, { dir })).rejects.toThrow(MigrationError);
    await expect(migrate(db, { dir })).rejects.toThrow(/was edited after it was applied/);
  });

  it('rolls a failing migration back completely and records nothing', async () => {
    const db = await freshDb();
    const dir = copyOfMigrations();
    await migrate(db, { dir });
    const broken = join(dir, '99999999999999_broken');
    cpSync(
      join(
        dir,
        readdirSync(dir)
          .filter((n) => !n.endsWith('.toml'))
          .sort()[0]!,
      ),
      broken,
      { recursive: true },
    );
    writeFileSync(join(broken, 'migration.sql'), 'CREATE TABLE half_written (id int);\nSELECT * FROM no_such_table;\n');
    await expect(migrate(db, { dir })).rejects.toThrow(/99999999999999_broken failed and was rolled back/);
    const leftovers = await db.sql.query<{ ok: boolean }>(`SELECT to_regclass('half_written') IS NULL AS ok`);
    expect(leftovers[0]?.ok).toBe(true);
    const ledger = await db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "_prisma_migrations" WHERE migration_name = '99999999999999_broken'`);
    expect(ledger[0]?.n).toBe(0);
  });

  it('lets concurrent starts migrate once (advisory lock)', async () => {
    const db = await freshDb();
    const results = await Promise.all([migrate(db), migrate(db), migrate(db)]);
    const appliedTotal = results.reduce((n, r) => n + r.applied.length, 0);
    expect(appliedTotal).toBe(readMigrations().length);
  });
});
