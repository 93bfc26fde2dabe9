import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../src/migrate.js';
import { diffToSchema } from '../src/schema-engine.js';
import { createTestDatabase, type TestDatabase } from '../src/testing.js';
import { catalogOf } from './catalog.js';

const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const db of opened) await db.drop();
});

describe('migrations and schema.prisma', () => {
  it('the migration history leaves nothing to diff', async () => {
    expect(await diffToSchema()).toBe('');
  });

  it('a database built from the migrations has exactly the catalog of one built from schema.prisma', async () => {
    const fromMigrations = await createTestDatabase();
    const fromSchema = await createTestDatabase();
    opened.push(fromMigrations, fromSchema);
    await migrate(fromMigrations);
    await fromSchema.sql.exec(await diffToSchema({ from: 'empty' }));
    const expected = await catalogOf(fromSchema.sql);
    expect(expected.columns.length).toBeGreaterThan(100);
    expect(expected.extensions).toEqual(expect.arrayContaining(['cube', 'earthdistance', 'pg_trgm']));
    expect(await catalogOf(fromMigrations.sql)).toEqual(expected);
  });
});
