// Fresh, isolated databases for tests. With DATABASE_URL set, every call creates its own
// PostgreSQL database on that server (so test files can run in parallel and leave nothing
// behind); without it, an in-memory PGlite database.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Database, type DbOptions, createDatabase } from './client.js';
import { migrate } from './migrate.js';

export interface TestDatabase extends Database {
  /** The PostgreSQL database's name, or undefined for PGlite. */
  readonly databaseName: string | undefined;
  /** Closes the connections and removes the database. Safe to call more than once. */
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Apply the migrations before returning. @default false */
  migrate?: boolean;
  onQuery?: DbOptions['onQuery'];
  onRawQuery?: DbOptions['onRawQuery'];
  poolSize?: DbOptions['poolSize'];
}

/** SQLSTATE codes worth a retry or a fallback. */
const INVALID_CATALOG_NAME = '3D000';
const OBJECT_IN_USE = '55006';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/**
 * Runs `fn` with a short-lived client on the server of `url`: on the URL's own database, or on
 * `postgres` when that one does not exist (DATABASE_URL may name a database not created yet).
 */
async function withAdminClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const connect = async (connectionString: string) => {
    const client = new pg.Client({ connectionString });
    client.on('error', () => {});
    await client.connect();
    return client;
  };
  let client: pg.Client;
  try {
    client = await connect(url);
  } catch (error) {
    if ((error as { code?: string }).code !== INVALID_CATALOG_NAME) throw error;
    client = await connect(withDatabase(url, 'postgres'));
  }
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

/** CREATE DATABASE fails while another session uses the template; that passes quickly. */
async function createWithRetry(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(`CREATE DATABASE "${name}"`);
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 20) throw error;
      await sleep(50 + attempt * 50);
    }
  }
}

async function dropDatabase(url: string, name: string): Promise<void> {
  await withAdminClient(url, async (client) => {
    try {
      // WITH (FORCE) (PostgreSQL 13+) ends sessions a test forgot to close.
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } catch (error) {
      if ((error as { code?: string }).code !== '42601') throw error;
      await client.query(`DROP DATABASE IF EXISTS "${name}"`);
    }
  });
}

/** Makes `close` and `drop` idempotent and runs `cleanup` once after closing. */
function wrap(db: Database, databaseName: string | undefined, cleanup: () => Promise<void>): TestDatabase {
  let closing: Promise<void> | undefined;
  let dropping: Promise<void> | undefined;
  const close = () => (closing ??= db.close());
  return {
    ...db,
    databaseName,
    close,
    drop: () => (dropping ??= close().then(cleanup)),
  };
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  const dbOptions: DbOptions = { onQuery: options.onQuery, onRawQuery: options.onRawQuery, poolSize: options.poolSize };
  let testDb: TestDatabase;
  if (!url) {
    testDb = wrap(await createDatabase({ ...dbOptions, url: '', dataDir: 'memory' }), undefined, async () => {});
  } else {
    const name = `pakt_test_${randomBytes(6).toString('hex')}`;
    await withAdminClient(url, (client) => createWithRetry(client, name));
    try {
      testDb = wrap(await createDatabase({ ...dbOptions, url: withDatabase(url, name) }), name, () => dropDatabase(url, name));
    } catch (error) {
      await dropDatabase(url, name).catch(() => {});
      throw error;
    }
  }
  if (options.migrate) {
    try {
      await migrate(testDb);
    } catch (error) {
      await testDb.drop().catch(() => {});
      throw error;
    }
  }
  return testDb;
}
