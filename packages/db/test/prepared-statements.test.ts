import { describe, expect, it } from 'vitest';
import { createDatabase } from '../src/client.js';
import { createHash } from 'node:crypto';
import { MAX_PREPARED_PER_CONNECTION, statementName } from '../src/prepared-statements.js';
import { createTestDatabase } from '../src/testing.js';

// `query(text, params, { prepare: true })`: a named prepared statement on PostgreSQL, at most
// MAX_PREPARED_PER_CONNECTION per connection; PGlite runs the text as it is.
const statement = (n: number) => `SELECT $1::int + ${n} AS value`;

describe('prepared statements', () => {
  // Names are memoised by text: a name must stay the hash of its text (another instance, or this
  // one after its memo dropped the text, names the same statement the same).
  it('are named by the hash of their text, from the memo or not', () => {
    const hashed = (text: string) => `pakt_${createHash('sha1').update(text).digest('base64url')}`;
    expect(statementName(statement(1))).toBe(hashed(statement(1)));
    expect(statementName(statement(1))).toBe(hashed(statement(1)));
    expect(statementName(statement(2))).not.toBe(statementName(statement(1)));
    for (let n = 0; n < 1500; n++) expect(statementName(statement(n))).toBe(hashed(statement(n)));
    expect(statementName(statement(3))).toBe(hashed(statement(3)));
  });

  it('answer like plain statements and stay within the bound per connection, evicting the least recently used', async () => {
    const db = await createTestDatabase();
    try {
      await db.withConnection(async (sql) => {
        const prepared = async () => (await sql.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY prepare_time')).map((r) => r.name);
        const total = MAX_PREPARED_PER_CONNECTION + 10;
        for (let n = 0; n < total; n++) {
          expect(await sql.query(statement(n), [1], { prepare: true })).toEqual([{ value: 1 + n }]);
          // Used again: it counts as recent, and runs from the statement it prepared.
          expect(await sql.query(statement(n), [2], { prepare: true })).toEqual([{ value: 2 + n }]);
        }
        const names = await prepared();
        if (db.kind === 'pglite') {
          expect(names).toEqual([]);
          return;
        }
        expect(names).toHaveLength(MAX_PREPARED_PER_CONNECTION);
        // Least recently used, not first prepared: a statement used again outlives an older one.
        const texts = async () => (await sql.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).map((r) => r.statement);
        const kept = total - MAX_PREPARED_PER_CONNECTION;
        await sql.query(statement(kept), [0], { prepare: true });
        await sql.query(statement(total), [0], { prepare: true });
        expect(await texts()).toContain(statement(kept));
        expect(await texts()).not.toContain(statement(kept + 1));
        // The first statements were evicted (deallocated on the server); run again, they are parsed anew.
        expect(await sql.query(statement(0), [5], { prepare: true })).toEqual([{ value: 5 }]);
        expect(await prepared()).toHaveLength(MAX_PREPARED_PER_CONNECTION);
      });
    } finally {
      await db.drop();
    }
  });

  it('keep working after a statement that fails to prepare, and report its error', async () => {
    const db = await createTestDatabase();
    try {
      await db.withConnection(async (sql) => {
        await expect(sql.query('SELECT $1::int FROM no_such_table', [1], { prepare: true })).rejects.toThrow(/no_such_table/);
        // Enough statements to evict the failed one, which the server never kept: no DEALLOCATE of it.
        for (let n = 0; n <= MAX_PREPARED_PER_CONNECTION; n++) {
          expect(await sql.query(statement(n), [n], { prepare: true })).toEqual([{ value: 2 * n }]);
        }
      });
      // Through the pool as well (a connection is taken for the statement and given back).
      expect(await db.sql.query(statement(7), [1], { prepare: true })).toEqual([{ value: 8 }]);
      expect(await db.sql.query(statement(7), [2], { prepare: true })).toEqual([{ value: 9 }]);
    } finally {
      await db.drop();
    }
  });

  it('are not used when switched off (a pooler in transaction mode)', async () => {
    const testDb = await createTestDatabase();
    let url = '';
    if (testDb.databaseName) {
      const parsed = new URL(process.env.DATABASE_URL!);
      parsed.pathname = `/${testDb.databaseName}`;
      url = parsed.toString();
    }
    const db = await createDatabase({ url, dataDir: 'memory', preparedStatements: false });
    expect(db.kind).toBe(testDb.kind);
    try {
      await db.withConnection(async (sql) => {
        expect(await sql.query(statement(1), [1], { prepare: true })).toEqual([{ value: 2 }]);
        expect(await sql.query('SELECT count(*)::int AS n FROM pg_prepared_statements')).toEqual([{ n: 0 }]);
      });
    } finally {
      await db.close();
      await testDb.drop();
    }
  });
});
