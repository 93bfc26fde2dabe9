// Named prepared statements for hot, repeated raw statements on PostgreSQL, with a bounded number
// per connection. A prepared statement skips parsing, and after five executions PostgreSQL may
// keep one generic plan for it instead of planning every execution (the portal's offer search
// spent about 1 ms of its 5 ms planning). node-postgres keeps every named statement a connection
// has parsed forever; a statement's text depends on the request's selection and filters, so
// clients could make the server hold any number of them. Each connection therefore keeps at most
// `MAX_PREPARED_PER_CONNECTION`, evicting the least recently used with DEALLOCATE.
//
// Evicting relies on node-postgres' `connection.parsedStatements` (not a documented API; Graphile's
// @dataplan/pg adaptor does the same): the entry must go with the server's statement, or the
// client would skip the Parse of a statement the server no longer has.
import { createHash } from 'node:crypto';
import type pg from 'pg';

/** Statements kept per connection (PostGraphile keeps 100); a statement holds its plan on the server. */
export const MAX_PREPARED_PER_CONNECTION = 50;

interface ClientInternals {
  connection?: { parsedStatements?: Record<string, string> };
}

/** Per connection, its statement names from least to most recently used (a Set keeps insertion order). */
const recentlyUsed = new WeakMap<pg.PoolClient, Set<string>>();

/** Names by statement text: hashing a portal statement's ~5 KB text on every request cost 1 % of its CPU. */
const names = new Map<string, string>();
/** Distinct texts whose names are kept (the oldest goes first); far more than a workload has shapes. */
const MAX_NAMES = 1000;

/** The statement's name: a hash of its text, so equal texts share one statement on a connection. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (name === undefined) {
    name = `pakt_${createHash('sha1').update(text).digest('base64url')}`;
    if (names.size >= MAX_NAMES) names.delete(names.keys().next().value!);
    names.set(text, name);
  }
  return name;
}

/**
 * Runs `text` on `client` (checked out by the caller, so nothing else is queued on it) as a named
 * prepared statement, deallocating the least recently used one beyond the bound first.
 */
export async function queryPrepared<T>(client: pg.PoolClient, text: string, params: unknown[] | undefined): Promise<T[]> {
  const name = statementName(text);
  const parsed = (client as unknown as ClientInternals).connection?.parsedStatements;
  if (!parsed) return (await client.query(text, params)).rows as T[];
  let names = recentlyUsed.get(client);
  if (!names) {
    names = new Set();
    recentlyUsed.set(client, names);
  }
  names.delete(name);
  names.add(name);
  if (names.size > MAX_PREPARED_PER_CONNECTION) {
    const [oldest] = names;
    names.delete(oldest!);
    // A statement whose Parse failed was never kept by the server: nothing to deallocate.
    if (parsed[oldest!] !== undefined) {
      // Forgotten before the DEALLOCATE is queued: the client then parses the statement again
      // should it come back, and its Parse is queued after the DEALLOCATE.
      delete parsed[oldest!];
      await client.query(`DEALLOCATE "${oldest}"`);
    }
  }
  return (await client.query<T & pg.QueryResultRow>({ name, text, values: params ?? [] })).rows;
}
