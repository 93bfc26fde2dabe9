import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDatabase } from '../src/client.js';
import { migrate } from '../src/migrate.js';
import { createTestDatabase } from '../src/testing.js';

describe('client factory', () => {
  it('uses PostgreSQL when DATABASE_URL is set and embedded PGlite otherwise', async () => {
    const db = await createTestDatabase();
    try {
      expect(db.kind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
      await migrate(db);
      await db.prisma.region.create({ data: { code: '081', name: 'Stuttgart' } });
      expect(await db.prisma.region.findUnique({ where: { code: '081' } })).toEqual({ code: '081', name: 'Stuttgart' });
      const raw = await db.sql.query<{ name: string }>('SELECT name FROM region WHERE code = $1', ['081']);
      expect(raw).toEqual([{ name: 'Stuttgart' }]);
    } finally {
      await db.drop();
    }
  });

  it('keeps the embedded database in its data folder across restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pakt-pglite-'));
    try {
      const first = await createDatabase({ url: '', dataDir });
      expect(first.kind).toBe('pglite');
      await migrate(first);
      await first.prisma.region.create({ data: { code: '082', name: 'Karlsruhe' } });
      await first.close();

      const second = await createDatabase({ url: '', dataDir });
      expect((await second.prisma.region.findMany()).map((r) => r.name)).toEqual(['Karlsruhe']);
      expect((await migrate(second)).applied).toEqual([]);
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('rolls a transaction back when its callback throws', async () => {
    const db = await createTestDatabase();
    try {
      await migrate(db);
      await expect(
        db.transaction(async (sql) => {
          await sql.query(`INSERT INTO region (code, name) VALUES ('083', 'Freiburg')`);
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await db.prisma.region.count()).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
