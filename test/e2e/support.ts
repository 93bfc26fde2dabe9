// What the e2e tests share: a seeded database of their own, the app over it with a config of the
// test's choosing, a log captured line by line, a count of the SQL statements the app sends, and
// optionally a real HTTP server on a free port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { Database, SqlExecutor } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { loadConfig } from '../../api/src/config.js';
import { createLogger } from '../../api/src/observability/logger.js';
import { createApp, type App } from '../../api/src/yoga.js';

/** SQL statements the app sent: Prisma's (from its query log) and raw ones (db.sql). */
export class StatementCounter {
  prisma = 0;
  raw = 0;
  get total(): number {
    return this.prisma + this.raw;
  }
  reset(): void {
    this.prisma = 0;
    this.raw = 0;
  }
}

function countingExecutor(sql: SqlExecutor, counter: StatementCounter): SqlExecutor {
  return {
    query: (text, params) => {
      counter.raw += 1;
      return sql.query(text, params);
    },
    exec: (text) => {
      counter.raw += 1;
      return sql.exec(text);
    },
  };
}

export interface LogLine {
  level: number;
  msg?: string;
  requestId?: string;
  err?: { type?: string; message?: string; stack?: string };
  [key: string]: unknown;
}

export interface TestServerOptions {
  /** Environment variables for loadConfig (on top of the defaults, not of process.env). */
  env?: Record<string, string>;
  /** Sample offers to seed. @default 0 (reference data only) */
  scale?: number;
  /** Listen on 127.0.0.1 and a free port. @default false (use `app.fetch`) */
  listen?: boolean;
  /** Keep only log lines at or above this pino level (30 info, 50 error). @default 0 (all) */
  keepLogLevel?: number;
}

/** One app over the test database, reached over HTTP or through `app.fetch`. */
export interface ServedApp {
  app: App;
  /** `http://127.0.0.1:<port>` when listening, else `http://localhost` for `app.fetch`. */
  origin: string;
  /** `fetch` over HTTP when listening, else through `app.fetch`. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** POSTs one operation as JSON (a string body is sent as is). */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  dispose(): Promise<void>;
}

export interface TestServer extends ServedApp {
  db: TestDatabase;
  /** The database as the apps see it (statements counted). */
  served: Database;
  counter: StatementCounter;
  log: LogLine[];
  /** Every log line as written, for searching the raw text. */
  rawLog: string[];
  /** Another app over the same database and log, with its own config (and so its own budgets), warmed up. */
  another(options?: { env?: Record<string, string>; listen?: boolean }): Promise<ServedApp>;
  close(): Promise<void>;
}

async function serve(app: App, listen: boolean): Promise<ServedApp> {
  let server: Server | undefined;
  let origin = 'http://localhost';
  if (listen) {
    server = createServer(app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }
  const doFetch = (path: string, init?: RequestInit) =>
    server ? fetch(`${origin}${path}`, init) : Promise.resolve(app.fetch(new Request(`${origin}${path}`, init)));
  return {
    app,
    origin,
    fetch: doFetch,
    post: (body, headers = {}) =>
      doFetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async dispose() {
      if (server) {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server!.close(() => resolve()));
      }
      await app.dispose();
    },
  };
}

export async function startTestServer({ env = {}, scale = 0, listen = false, keepLogLevel = 0 }: TestServerOptions = {}): Promise<TestServer> {
  const counter = new StatementCounter();
  const db = await createTestDatabase({
    migrate: true,
    onQuery: () => {
      counter.prisma += 1;
    },
  });
  await seed(db, { scale });
  const served: Database = { ...db, sql: countingExecutor(db.sql, counter) };

  const log: LogLine[] = [];
  const rawLog: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) {
        if (!line) continue;
        const parsed = JSON.parse(line) as LogLine;
        if (parsed.level < keepLogLevel) continue;
        rawLog.push(line);
        log.push(parsed);
      }
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const appWith = (appEnv: Record<string, string>) =>
    createApp({ db: served, config: loadConfig({ LOG_LEVEL: 'info', ...appEnv }), log: logger, graphiql: false });

  const main = await serve(appWith(env), listen);
  const others: ServedApp[] = [];
  return {
    ...main,
    db,
    served,
    counter,
    log,
    rawLog,
    async another(options = {}) {
      const other = await serve(appWith(options.env ?? {}), options.listen ?? listen);
      others.push(other);
      // Each app loads the language catalogue on its first request; do it now (costs no budget).
      await (await other.post({ query: '{ __typename }' })).text();
      return other;
    },
    async close() {
      for (const other of others) await other.dispose();
      await main.dispose();
      await db.drop();
    },
  };
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: Record<string, any>;
}

/** The codes of a response's errors, in order. */
export function codesOf(body: GraphQLBody): string[] {
  return (body.errors ?? []).map((error) => String(error.extensions?.code ?? ''));
}
