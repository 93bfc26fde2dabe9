// Keyset pagination for the connections that run raw SQL (offer search, municipality search):
// opaque cursors holding the row's sort key and id, the SQL for "after this row" and the Relay
// page built from the rows.
import { createHash } from 'node:crypto';
import type { SqlExecutor } from '@pakt/db';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { ErrorCode, userInputError } from './errors.js';

/** The largest page any connection returns. */
export const MAX_PAGE_SIZE = 100;
/** The page size when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;

/** Relay's connection arguments as Pothos passes them. */
export interface ConnectionArgs {
  first?: number | null | undefined;
  last?: number | null | undefined;
  after?: string | null | undefined;
  before?: string | null | undefined;
}

/** One column of a keyset order. The last key must be unique (the row's id). */
export interface SortKey {
  /** SQL expression over the row source, e.g. `distance_m` or `id`. */
  expr: string;
  /** PostgreSQL type the cursor value is cast back to. */
  type: 'float8' | 'numeric' | 'timestamptz' | 'text' | 'uuid';
  descending?: boolean;
}

/** Collects `$n` parameters for one statement. */
export class SqlParams {
  readonly values: unknown[] = [];

  /** Adds a value and returns its placeholder, cast when `type` is given (`$3::uuid`). */
  add(value: unknown, type?: string): string {
    this.values.push(value);
    return `$${this.values.length}${type ? `::${type}` : ''}`;
  }
}

const CURSOR_PREFIX = 'pakt1:';

interface CursorPayload {
  /** Scope: which connection, order and filter issued the cursor. */
  s: string;
  /** Sort key values as PostgreSQL text, the row id last. */
  k: string[];
}

/** Scopes by connection and parts: a page asks for one per request, and most requests repeat a filter. */
const scopes = new Map<string, string>();
/** Filters whose scopes are kept (the oldest goes first), and the longest kept: filters come from clients. */
const MAX_SCOPES = 1000;
const MAX_SCOPE_KEY = 2048;

/**
 * A short fingerprint of what a page depends on (connection, order, filter), stored in its cursors
 * so a cursor cannot silently be reused with another order or filter.
 */
export function cursorScope(connection: string, parts: unknown): string {
  const key = `${connection}:${JSON.stringify(parts)}`;
  let scope = scopes.get(key);
  if (scope === undefined) {
    const digest = createHash('sha256')
      .update(key.slice(connection.length + 1))
      .digest('base64url')
      .slice(0, 12);
    scope = `${connection}:${digest}`;
    if (key.length > MAX_SCOPE_KEY) return scope;
    if (scopes.size >= MAX_SCOPES) scopes.delete(scopes.keys().next().value!);
    scopes.set(key, scope);
  }
  return scope;
}

export function encodeCursor(scope: string, keys: string[]): string {
  return Buffer.from(CURSOR_PREFIX + JSON.stringify({ s: scope, k: keys } satisfies CursorPayload)).toString('base64url');
}

function invalidCursor(argument: string, why: string) {
  return userInputError(`The \`${argument}\` cursor is not valid here: ${why}. Use a cursor from this connection's pageInfo or edges.`, {
    code: ErrorCode.INVALID_CURSOR,
    argument,
  });
}

/** Decodes a cursor issued by `encodeCursor`, or throws INVALID_CURSOR. */
export function decodeCursor(cursor: string, scope: string, keyCount: number, argument: string): string[] {
  let payload: unknown;
  try {
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!text.startsWith(CURSOR_PREFIX)) throw new Error('prefix');
    payload = JSON.parse(text.slice(CURSOR_PREFIX.length));
  } catch {
    throw invalidCursor(argument, 'it is malformed');
  }
  const { s, k } = (payload ?? {}) as Partial<CursorPayload>;
  if (!Array.isArray(k) || k.length !== keyCount || !k.every((v) => typeof v === 'string')) {
    throw invalidCursor(argument, 'it is malformed');
  }
  if (s !== scope) {
    throw invalidCursor(argument, 'it belongs to another connection, order or filter');
  }
  return k;
}

/** Whether `cursor` has the form of a cursor from `encodeCursor` (for up-front validation). */
export function isKeysetCursor(cursor: string): boolean {
  try {
    const text = Buffer.from(cursor, 'base64url').toString('utf8');
    if (!text.startsWith(CURSOR_PREFIX)) return false;
    const payload = JSON.parse(text.slice(CURSOR_PREFIX.length)) as Partial<CursorPayload>;
    return typeof payload.s === 'string' && Array.isArray(payload.k);
  } catch {
    return false;
  }
}

/** What one page asks for, validated. */
export interface PageRequest {
  /** Rows on the page (the query fetches one more to learn whether another page follows). */
  size: number;
  /** `last`/`before`: the page ends at the cursor instead of starting there. */
  backward: boolean;
  /** Sort key values of the cursor row, or null on the first (or last) page. */
  cursor: string[] | null;
  args: ConnectionArgs;
}

/** Validates Relay arguments (page size cap, cursor scope) for a keyset connection. */
export function pageRequest(args: ConnectionArgs, scope: string, keyCount: number): PageRequest {
  const { first, last, after, before } = args;
  if (first != null && last != null) {
    throw userInputError('Pass either `first` or `last`, not both.', { argument: 'first' });
  }
  if ((first != null && before != null) || (last != null && after != null)) {
    throw userInputError('Page forwards with `first` and `after`, or backwards with `last` and `before`.', {
      argument: before != null ? 'before' : 'after',
    });
  }
  if (after != null && before != null) {
    throw userInputError('Pass either `after` or `before`, not both.', { argument: 'before' });
  }
  const argument = last != null ? 'last' : 'first';
  const size = last ?? first ?? DEFAULT_PAGE_SIZE;
  if (size < 0) {
    throw userInputError(`\`${argument}\` must not be negative.`, { argument });
  }
  if (size > MAX_PAGE_SIZE) {
    throw userInputError(`\`${argument}\` may be at most ${MAX_PAGE_SIZE}; page with \`after\` for more.`, {
      code: ErrorCode.FIRST_TOO_LARGE,
      argument,
      extensions: { max: MAX_PAGE_SIZE },
    });
  }
  const backward = last != null || before != null;
  const raw = backward ? before : after;
  const cursor = raw == null ? null : decodeCursor(raw, scope, keyCount, backward ? 'before' : 'after');
  return { size, backward, cursor, args };
}

/** `ORDER BY` for `keys` (reversed when paging backwards). */
export function orderBy(keys: readonly SortKey[], backward: boolean): string {
  return keys.map((key) => `${key.expr} ${(key.descending ?? false) !== backward ? 'DESC' : 'ASC'}`).join(', ');
}

/**
 * The condition "row comes after the cursor row" in the order of `keys` (before it when paging
 * backwards): `k1 > v1 OR (k1 = v1 AND k2 > v2) OR …`, which also handles mixed directions.
 */
export function keysetCondition(keys: readonly SortKey[], values: readonly string[], backward: boolean, params: SqlParams): string {
  const placeholders = keys.map((key, i) => params.add(values[i], key.type));
  const alternatives = keys.map((key, i) => {
    const op = (key.descending ?? false) !== backward ? '<' : '>';
    const equal = keys.slice(0, i).map((prev, j) => `${prev.expr} = ${placeholders[j]}`);
    return `(${[...equal, `${key.expr} ${op} ${placeholders[i]}`].join(' AND ')})`;
  });
  return `(${alternatives.join(' OR ')})`;
}

/** A Relay connection of the rows of one page. */
export interface Page<Edge> {
  edges: Edge[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

/**
 * Builds the page from the rows a query returned for `request` (in query order, at most
 * `size + 1` of them). As in Relay's spec, the side the cursor came from reports a page there
 * without counting it.
 */
export function buildPage<Row, Edge extends { cursor: string }>(rows: readonly Row[], request: PageRequest, toEdge: (row: Row) => Edge): Page<Edge> {
  const more = rows.length > request.size;
  const onPage = rows.slice(0, request.size);
  if (request.backward) onPage.reverse();
  const edges = onPage.map(toEdge);
  return {
    edges,
    pageInfo: {
      hasNextPage: request.backward ? request.cursor !== null : more,
      hasPreviousPage: request.backward ? more : request.cursor !== null,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** One keyset-paginated raw query; see `runKeysetQuery`. */
export interface KeysetQuery {
  /** Common table expressions the source needs, e.g. `centre AS (SELECT …)`. */
  ctes?: string[];
  /** SELECT producing every matching row with the key columns named by `keys`. */
  source: string;
  keys: readonly SortKey[];
  /** Further columns of the page rows (names of `source` columns). */
  columns: string[];
  /**
   * Scalar subqueries computed once with the page, e.g. `(SELECT count(*) FROM matches)`. When
   * the page is empty they are computed by a second, small statement.
   */
  totals?: Record<string, string>;
  params: SqlParams;
  request: PageRequest;
  /**
   * Further columns computed for the page's rows only (`page.<column>` names a source column),
   * e.g. a row's JSON; built after the page's own parameters, so their parameters come last.
   */
  pageColumns?: (params: SqlParams) => Record<string, string>;
  /** Run the page's statement as a prepared statement (PostgreSQL), for a hot statement whose text repeats. */
  prepare?: boolean;
}

export interface KeysetResult<Row> {
  /** Rows in query order with their sort keys as text (`keys`), at most `size + 1`. */
  rows: (Row & { keys: string[] })[];
  totals: Record<string, number>;
}

/**
 * Runs `source` as the CTE `matches`, keeps the rows after (or before) the cursor and returns one
 * page plus the look-ahead row: one statement, two when `totals` are asked and the page is empty.
 */
export async function runKeysetQuery<Row extends Record<string, unknown>>(sql: SqlExecutor, query: KeysetQuery): Promise<KeysetResult<Row>> {
  const { keys, params, request, totals = {} } = query;
  const ctes = [...(query.ctes ?? []), `matches AS (${query.source})`];
  const sourceParams = [...params.values];
  const after = request.cursor ? `WHERE ${keysetCondition(keys, request.cursor, request.backward, params)}` : '';
  const limit = params.add(request.size + 1, 'int');
  const order = orderBy(keys, request.backward);
  const totalColumns = Object.entries(totals).map(([name, expr]) => `${expr}::float8 AS "${name}"`);
  const pageColumns = Object.entries(query.pageColumns?.(params) ?? {}).map(([name, expr]) => `${expr} AS "${name}"`);
  const text = `WITH ${ctes.join(',\n')},
page AS (SELECT * FROM matches ${after} ORDER BY ${order} LIMIT ${limit})
SELECT ${[...query.columns, ...keys.map((key, i) => `${key.expr}::text AS "k${i}"`), ...totalColumns, ...pageColumns].join(', ')}
FROM page ORDER BY ${order}`;
  const raw = await sql.query<Record<string, unknown>>(text, params.values, { prepare: query.prepare });
  let totalRow: Record<string, unknown> | undefined = raw[0];
  if (!totalRow && totalColumns.length > 0) {
    [totalRow] = await sql.query<Record<string, unknown>>(`WITH ${ctes.join(',\n')} SELECT ${totalColumns.join(', ')}`, sourceParams);
  }
  const rows = raw.map((row) => ({ ...(row as Row), keys: keys.map((_, i) => String(row[`k${i}`])) }));
  const totalsOut = Object.fromEntries(Object.keys(totals).map((name) => [name, Number(totalRow?.[name] ?? 0)]));
  return { rows, totals: totalsOut };
}

/** Whether the field being resolved selects `name` directly (through fragments, too). */
export function selectsField(info: GraphQLResolveInfo, name: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    (set?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === name;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}
