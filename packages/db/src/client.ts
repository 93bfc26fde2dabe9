// The one place that creates database connections: a Prisma client plus a small raw-SQL
// executor over the same connection(s), for the migrator, the seed and the searches that Prisma
// cannot express. PostgreSQL when a URL is given, embedded PGlite otherwise.
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { cube } from '@electric-sql/pglite/contrib/cube';
import { earthdistance } from '@electric-sql/pglite/contrib/earthdistance';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/prisma/client.js';
import { lockDataDir } from './data-dir-lock.js';
import { queryPrepared } from './prepared-statements.js';
import { repoRoot } from './paths.js';

/** Default folder of the embedded database: `<repo>/.pakt-data/pglite`. */
export const defaultDataDir = join(repoRoot, '.pakt-data', 'pglite');

/** The extensions the schema needs, loaded into every embedded database. */
export const pgliteExtensions = { cube, earthdistance, pg_trgm };

export interface DbOptions {
  /**
   * PostgreSQL connection string. Unset (or `''`): the embedded PGlite database is used.
   * @default process.env.DATABASE_URL
   */
  url?: string | undefined;
  /**
   * Folder of the embedded database, or `'memory'` for an in-memory one (tests).
   * @default process.env.PAKT_DATA_DIR ?? `<repo>/.pakt-data/pglite`
   */
  dataDir?: string | undefined;
  /** PGlite only: start from this archive of a data folder (`Database.dumpDataDir`), e.g. a migrated template. */
  loadDataDir?: Blob | undefined;
  /** Maximum pool size for PostgreSQL. @default 10 */
  poolSize?: number | undefined;
  /**
   * How long a PostgreSQL connection attempt (or the wait for a free pooled one) may take before
   * the query fails, so that requests do not hang on a database that does not answer.
   * @default 5000
   */
  connectTimeoutMs?: number | undefined;
  /**
   * PostgreSQL: whether `query(…, { prepare: true })` uses named prepared statements. Turn off
   * behind a connection pooler in transaction mode that does not track them (PgBouncer before
   * 1.21, or without `max_prepared_statements`). @default true
   */
  preparedStatements?: boolean | undefined;
  /** Called after every SQL statement that Prisma sends (used to count statements). */
  onQuery?: ((event: { query: string; durationMs: number }) => void) | undefined;
  /**
   * Called after every raw statement: `sql`, `transaction` and `withConnection` (searches, writes,
   * the migrator). With `onQuery`, every statement the process sends is seen once.
   */
  onRawQuery?: ((event: { query: string; durationMs: number }) => void) | undefined;
}

export interface QueryOptions {
  /**
   * PostgreSQL: run as a named prepared statement (a bounded number per connection, see
   * prepared-statements.ts), for hot statements whose text repeats. PGlite ignores it.
   */
  prepare?: boolean | undefined;
}

/** Raw SQL over the same database as the Prisma client. `$1`-style parameters. */
export interface SqlExecutor {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[], options?: QueryOptions): Promise<T[]>;
  /** Runs a script of several statements without parameters. */
  exec(sql: string): Promise<void>;
}

export interface Database {
  readonly kind: 'postgres' | 'pglite';
  readonly prisma: PrismaClient;
  readonly sql: SqlExecutor;
  /** Runs `fn` on one connection inside a transaction; rolls back when it throws. */
  transaction<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  /** Runs `fn` on one dedicated connection (session-level locks, several transactions). */
  withConnection<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T>;
  /** PGlite only: an archive of the data folder, to start other databases from (`loadDataDir`). */
  dumpDataDir?: () => Promise<Blob>;
  close(): Promise<void>;
}

function prismaLogOptions(onQuery: DbOptions['onQuery']) {
  return onQuery ? { log: [{ level: 'query' as const, emit: 'event' as const }] } : {};
}

/** `executor` reporting each statement to `onRawQuery` (as it is, without a hook). */
function timedExecutor(executor: SqlExecutor, onRawQuery: DbOptions['onRawQuery']): SqlExecutor {
  if (!onRawQuery) return executor;
  return {
    async query<T>(text: string, params?: unknown[], queryOptions?: QueryOptions) {
      const started = performance.now();
      try {
        return await executor.query<T>(text, params, queryOptions);
      } finally {
        onRawQuery({ query: text, durationMs: performance.now() - started });
      }
    },
    async exec(text: string) {
      const started = performance.now();
      try {
        await executor.exec(text);
      } finally {
        onRawQuery({ query: text, durationMs: performance.now() - started });
      }
    },
  };
}

function attachQueryLog(prisma: PrismaClient, onQuery: DbOptions['onQuery']): void {
  if (!onQuery) return;
  (prisma as unknown as { $on(event: 'query', cb: (e: { query: string; duration: number }) => void): void }).$on('query', (e) =>
    onQuery({ query: e.query, durationMs: e.duration }),
  );
}

/** Creates the database handle the rest of pakt uses. */
export async function createDatabase(options: DbOptions = {}): Promise<Database> {
  const url = options.url ?? process.env.DATABASE_URL;
  return url ? createPostgres(url, options) : createPGlite(options);
}

async function createPostgres(url: string, options: DbOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    // Notices a server that vanished without closing the socket (a failover, a dead host).
    keepAlive: true,
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool), ...prismaLogOptions(options.onQuery) });
  attachQueryLog(prisma, options.onQuery);
  /** Runs `fn` with one client of the pool, checked out for it alone. */
  const withClient = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    // A checked-out client has no error listener of the pool's: a session ended between two
    // statements (a restart, pg_terminate_backend) would throw from the socket and end the process.
    // The next statement fails instead, and the broken client is discarded, not pooled again.
    let broken: Error | undefined;
    const onError = (error: Error) => (broken ??= error);
    client.on('error', onError);
    try {
      return await fn(client);
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  };
  const executorOf = (client: pg.Pool | pg.PoolClient): SqlExecutor =>
    timedExecutor(
      {
        async query<T>(text: string, params?: unknown[], queryOptions?: QueryOptions) {
          if (queryOptions?.prepare && options.preparedStatements !== false) {
            // A prepared statement lives on one connection: take one from the pool for it.
            return client instanceof pg.Pool ? withClient((own) => queryPrepared<T>(own, text, params)) : queryPrepared<T>(client, text, params);
          }
          return (await client.query(text, params)).rows as T[];
        },
        async exec(text: string) {
          await client.query(text);
        },
      },
      options.onRawQuery,
    );
  const withConnection = <T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T> => withClient((client) => fn(executorOf(client)));
  return {
    kind: 'postgres',
    prisma,
    sql: executorOf(pool),
    withConnection,
    transaction: (fn) =>
      withConnection(async (sql) => {
        await sql.exec('BEGIN');
        try {
          const result = await fn(sql);
          await sql.exec('COMMIT');
          return result;
        } catch (error) {
          // On a broken connection ROLLBACK fails too; the cause is the first error, not that one.
          await sql.exec('ROLLBACK').catch(() => {});
          throw error;
        }
      }),
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function createPGlite(options: DbOptions): Promise<Database> {
  const dataDir = options.dataDir ?? process.env.PAKT_DATA_DIR ?? defaultDataDir;
  const inMemory = dataDir === 'memory' || dataDir.startsWith('memory://');
  if (!inMemory) mkdirSync(dataDir, { recursive: true });
  // One process per folder (see data-dir-lock.ts); the real path, so that every way of naming
  // the folder finds the same lock. Throws DataDirLockedError while another process has it.
  const lock = inMemory ? null : lockDataDir(realpathSync(dataDir));
  let pglite: PGlite;
  try {
    pglite = await PGlite.create({
      ...(inMemory ? {} : { dataDir }),
      ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
      extensions: pgliteExtensions,
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite), ...prismaLogOptions(options.onQuery) });
  attachQueryLog(prisma, options.onQuery);
  let connectionQueue: Promise<unknown> = Promise.resolve();
  const executorOf = (client: PGlite | PGliteTransaction): SqlExecutor =>
    timedExecutor(
      {
        async query<T>(text: string, params?: unknown[]) {
          return (await client.query<T>(text, params)).rows;
        },
        async exec(text: string) {
          await client.exec(text);
        },
      },
      options.onRawQuery,
    );
  return {
    kind: 'pglite',
    dumpDataDir: () => pglite.dumpDataDir('none'),
    prisma,
    sql: executorOf(pglite),
    transaction: (fn) => pglite.transaction((tx) => fn(executorOf(tx))),
    // PGlite has exactly one connection: "a connection of one's own" means taking turns.
    withConnection: (fn) => {
      const turn = connectionQueue.then(() => fn(executorOf(pglite)));
      connectionQueue = turn.catch(() => {});
      return turn;
    },
    async close() {
      try {
        await prisma.$disconnect();
        await pglite.close();
      } finally {
        lock?.release();
      }
    },
  };
}
