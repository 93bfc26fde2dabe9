// Fresh, isolated databases for tests. With DATABASE_URL set, every call creates its own
// PostgreSQL database on that server (so test files can run in parallel and leave nothing
// behind); without it, an in-memory PGlite database.
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type Database, type DbOptions, createDatabase } from './client.js';
import { migrate } from './migrate.js';
import { migrationsDir } from './paths.js';

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
async function createWithRetry(client: pg.Client, name: string, template?: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await client.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`);
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

/**
 * What a migrated template depends on: every migration file and the migrator's code. A change to
 * either names a new template, so a stale one is never used.
 */
function templateKey(): string {
  const hash = createHash('sha256');
  for (const entry of readdirSync(migrationsDir, { recursive: true, withFileTypes: true }).sort((a, b) =>
    join(a.parentPath, a.name).localeCompare(join(b.parentPath, b.name)),
  )) {
    if (!entry.isFile()) continue;
    hash.update(join(entry.parentPath, entry.name).slice(migrationsDir.length));
    hash.update(readFileSync(join(entry.parentPath, entry.name)));
  }
  hash.update(migrate.toString());
  return hash.digest('hex').slice(0, 16);
}

/**
 * An in-memory PGlite database, migrated. Test files run in processes of their own, so the
 * migrated data folder is kept as an archive in the temp folder: the first file migrates and
 * writes it, every later one (of this and later runs) starts from it in a fraction of the time.
 */
async function migratedPGlite(dbOptions: DbOptions): Promise<Database> {
  const archive = join(tmpdir(), `pakt-test-template-${templateKey()}.tar`);
  let bytes: Buffer | undefined;
  try {
    bytes = readFileSync(archive);
  } catch {
    // not there yet: build it below
  }
  if (bytes) return createDatabase({ ...dbOptions, url: '', dataDir: 'memory', loadDataDir: new Blob([new Uint8Array(bytes)]) });
  const db = await createDatabase({ ...dbOptions, url: '', dataDir: 'memory' });
  await migrate(db);
  if (db.dumpDataDir) {
    const dump = Buffer.from(await (await db.dumpDataDir()).arrayBuffer());
    // Written under a name of its own, then renamed: a parallel reader sees all of it or nothing.
    const partial = `${archive}.${process.pid}.${randomBytes(4).toString('hex')}`;
    writeFileSync(partial, dump);
    renameSync(partial, archive);
  }
  return db;
}

/**
 * The name of a migrated template database on the server of `url`, made once per set of
 * migrations (under an advisory lock, so parallel test files wait for the first one) and copied
 * by `CREATE DATABASE … TEMPLATE`, which is much faster than migrating every database.
 */
async function migratedTemplate(url: string): Promise<string> {
  const name = `pakt_test_template_${templateKey()}`;
  await withAdminClient(url, async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const [exists] = (await client.query<{ ready: boolean }>(`SELECT true AS ready FROM pg_database WHERE datname = $1`, [name])).rows;
      if (exists) return;
      // Migrated under a working name and renamed when done: a template that exists is complete.
      const building = `${name}_${randomBytes(4).toString('hex')}`;
      await client.query(`CREATE DATABASE "${building}"`);
      try {
        const db = await createDatabase({ url: withDatabase(url, building), poolSize: 1 });
        try {
          await migrate(db);
        } finally {
          await db.close();
        }
        await client.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
      } catch (error) {
        await client.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`).catch(() => {});
        throw error;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]).catch(() => {});
    }
  });
  return name;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const url = process.env.DATABASE_URL;
  const dbOptions: DbOptions = { onQuery: options.onQuery, onRawQuery: options.onRawQuery, poolSize: options.poolSize };
  if (!url) {
    const db = options.migrate ? await migratedPGlite(dbOptions) : await createDatabase({ ...dbOptions, url: '', dataDir: 'memory' });
    return wrap(db, undefined, async () => {});
  }
  let testDb: TestDatabase;
  {
    const name = `pakt_test_${randomBytes(6).toString('hex')}`;
    const template = options.migrate ? await migratedTemplate(url) : undefined;
    await withAdminClient(url, (client) => createWithRetry(client, name, template));
    try {
      testDb = wrap(await createDatabase({ ...dbOptions, url: withDatabase(url, name) }), name, () => dropDatabase(url, name));
    } catch (error) {
      await dropDatabase(url, name).catch(() => {});
      throw error;
    }
  }
  return testDb;
}
