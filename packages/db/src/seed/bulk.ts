// Bulk writes as one statement per chunk: the rows travel as a single JSON parameter and
// json_to_recordset turns them into a table. That avoids PostgreSQL's 65,535-parameter limit,
// needs no driver-specific array encoding (pg and PGlite both just send a string), and keeps
// PGlite, which runs every statement on one thread, to few round trips.
import type { SqlExecutor } from '../client.js';

/** Column name (snake_case, as in the table) and its SQL type, e.g. `["category", '"OfferCategory"']`. */
export type ColumnSpec = readonly [name: string, sqlType: string];

export type JsonRow = Record<string, unknown>;

/** JSON.stringify that writes BigInt as a decimal string (json_to_recordset casts it to bigint). */
export function rowsToJson(rows: readonly JsonRow[]): string {
  return JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/** `json_to_recordset($n::json) AS alias(col type, …)` for a FROM clause. */
export function recordset(columns: readonly ColumnSpec[], param = 1, alias = 'x'): string {
  return `json_to_recordset($${param}::json) AS ${alias}(${columns.map(([name, type]) => `"${name}" ${type}`).join(', ')})`;
}

/** `"a", "b", …` */
export function columnList(columns: readonly ColumnSpec[], prefix = ''): string {
  return columns.map(([name]) => `${prefix}"${name}"`).join(', ');
}

/**
 * INSERT INTO table (columns) SELECT columns FROM the JSON rows, followed by `tail`
 * (an ON CONFLICT clause, RETURNING, …). Does nothing for an empty list.
 */
export async function insertRows<T = Record<string, unknown>>(
  sql: SqlExecutor,
  table: string,
  columns: readonly ColumnSpec[],
  rows: readonly JsonRow[],
  tail = 'ON CONFLICT DO NOTHING',
): Promise<T[]> {
  if (rows.length === 0) return [];
  return sql.query<T>(`INSERT INTO "${table}" (${columnList(columns)}) SELECT ${columnList(columns, 'x.')} FROM ${recordset(columns)} ${tail}`, [
    rowsToJson(rows),
  ]);
}

/**
 * ON CONFLICT clause that updates the given columns only when one of them differs, so an
 * unchanged re-run rewrites no row (no new tuple versions, no `updated_at` churn).
 */
export function upsertTail(table: string, conflict: string, columns: readonly string[], extraSet = ''): string {
  const set = columns.map((name) => `"${name}" = excluded."${name}"`).join(', ');
  const current = columns.map((name) => `"${table}"."${name}"`).join(', ');
  const incoming = columns.map((name) => `excluded."${name}"`).join(', ');
  return `ON CONFLICT (${conflict}) DO UPDATE SET ${set}${extraSet ? `, ${extraSet}` : ''} WHERE (${current}) IS DISTINCT FROM (${incoming})`;
}

/** Splits a list into chunks of at most `size`. */
export function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

/**
 * Runs `fn` inside BEGIN … COMMIT on a connection the caller holds (the seed keeps one
 * connection for its advisory lock and all its writes, so it needs one pool slot only).
 */
export async function inTransaction<T>(sql: SqlExecutor, fn: () => Promise<T>): Promise<T> {
  await sql.exec('BEGIN');
  try {
    const result = await fn();
    await sql.exec('COMMIT');
    return result;
  } catch (error) {
    await sql.exec('ROLLBACK');
    throw error;
  }
}
