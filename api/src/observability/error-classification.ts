// Which errors mean "the database is away for now" rather than "pakt has a bug": PostgreSQL
// unreachable, restarting, failing over, overloaded or read-only. Such errors are answered with
// HTTP 503 SERVICE_UNAVAILABLE and Retry-After (see mask-error.ts), which clients retry.
//
// The shapes below were taken from real failures of PostgreSQL 15 under node-pg 8 and Prisma 7's
// @prisma/adapter-pg (test/e2e/faults-postgres.test.ts provokes each of them):
// - node-pg raises socket errors (`code: 'ECONNREFUSED'`, with `syscall`), `DatabaseError`s
//   carrying the SQLSTATE in `code`, and plain Errors without a code ("Connection terminated
//   unexpectedly", "timeout exceeded when trying to connect").
// - Prisma wraps what the adapter recognises as `PrismaClientKnownRequestError` with
//   `meta.driverAdapterError.cause` = `{ kind, originalCode?, code? }` (kinds such as
//   `DatabaseNotReachable`, `ConnectionClosed`, `TooManyConnections`, or `postgres` with the
//   SQLSTATE), and rethrows what it does not recognise (the plain Errors above) unchanged.

/** Why the database cannot serve now. */
export type DatabaseOutage = 'unreachable' | 'read-only' | 'overloaded';

/** Socket-level failures of the connection to the database. */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNABORTED']);

/** node-pg's own messages for a connection that broke or never came (they carry no code). */
const DRIVER_MESSAGES = [
  /^Connection terminated/i, // unexpectedly | due to connection timeout
  /^timeout exceeded when trying to connect$/i, // pg-pool: connectionTimeoutMillis
  /^Client has encountered a connection error and is not queryable$/i,
  /^Query read timeout$/i,
];

/** Prisma's error codes for a database it cannot reach or that timed out. */
const PRISMA_CODES: Record<string, DatabaseOutage> = {
  P1001: 'unreachable', // can't reach database server
  P1002: 'unreachable', // reached, but timed out
  P1008: 'unreachable', // operations timed out
  P1017: 'unreachable', // server closed the connection
  P2024: 'overloaded', // timed out fetching a connection from the pool
};

/** @prisma/adapter-pg's kinds of driver errors. */
const ADAPTER_KINDS: Record<string, DatabaseOutage> = {
  DatabaseNotReachable: 'unreachable',
  ConnectionClosed: 'unreachable',
  SocketTimeout: 'unreachable',
  TooManyConnections: 'overloaded',
};

/** The outage an SQLSTATE means, if any. */
function outageOfSqlState(code: string, message: string): DatabaseOutage | undefined {
  if (code.startsWith('08')) return 'unreachable'; // connection exception
  if (code === '57P01' || code === '57P02' || code === '57P03') return 'unreachable'; // admin/crash shutdown, cannot connect now
  if (code.startsWith('53')) return 'overloaded'; // insufficient resources: too many connections, out of memory, disk full
  if (code === '25006') return 'read-only'; // read-only transaction, also every write on a hot standby
  // A hot standby cancels queries that conflict with replay, and refuses what needs a primary.
  if (code === '40001' && /conflict with recovery/i.test(message)) return 'unreachable';
  if (code === '55000' && /recovery is in progress/i.test(message)) return 'read-only';
  return undefined;
}

function outageOfOne(error: Record<string, unknown>): DatabaseOutage | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  const message = typeof error.message === 'string' ? error.message : '';
  if (code && SOCKET_CODES.has(code)) return 'unreachable';
  if (code && PRISMA_CODES[code]) return PRISMA_CODES[code];
  if (typeof error.kind === 'string' && ADAPTER_KINDS[error.kind]) return ADAPTER_KINDS[error.kind];
  for (const sqlState of [error.originalCode, code]) {
    if (typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState)) {
      const outage = outageOfSqlState(sqlState, typeof error.originalMessage === 'string' ? error.originalMessage : message);
      if (outage) return outage;
    }
  }
  if (!code && DRIVER_MESSAGES.some((pattern) => pattern.test(message))) return 'unreachable';
  return undefined;
}

/**
 * The database outage behind `error`, looking through the wrappers it may come in (GraphQL's
 * `originalError`, `cause`, Prisma's `meta.driverAdapterError`, AggregateError's `errors`);
 * `undefined` when it is any other error.
 */
export function databaseOutageOf(error: unknown): DatabaseOutage | undefined {
  const queue: unknown[] = [error];
  const seen = new Set<unknown>();
  while (queue.length > 0) {
    const next = queue.shift();
    if (typeof next !== 'object' || next === null || seen.has(next) || seen.size > 20) continue;
    seen.add(next);
    const one = next as Record<string, unknown>;
    const outage = outageOfOne(one);
    if (outage) return outage;
    const meta = one.meta as Record<string, unknown> | undefined;
    queue.push(one.originalError, one.cause, meta?.driverAdapterError, ...(Array.isArray(one.errors) ? one.errors : []));
  }
  return undefined;
}
