// Small helpers for the bulk statements of the write layer. Rows travel as one JSON parameter
// that json_to_recordset turns into a table: one statement per table per batch, no parameter
// limit, and the same encoding on node-pg and PGlite (json, not jsonb: it is read once, so
// building the binary form first is wasted work).
import type { SqlExecutor } from '@pakt/db';

/** `json_to_recordset($n::json) AS alias(col type, …)`. */
export function recordset(param: number, columns: Record<string, string>, alias = 'x'): string {
  const defs = Object.entries(columns)
    .map(([name, type]) => `${name} ${type}`)
    .join(', ');
  return `json_to_recordset($${param}::json) AS ${alias}(${defs})`;
}

/** Runs `statement` with `rows` as `$1` (JSON) and further `params`; skips an empty batch. */
export async function withRows<T = Record<string, unknown>>(
  sql: SqlExecutor,
  statement: string,
  rows: readonly Record<string, unknown>[],
  params: unknown[] = [],
): Promise<T[]> {
  if (rows.length === 0) return [];
  return sql.query<T>(statement, [JSON.stringify(rows), ...params]);
}

/** Any constant works; combined with the provider id it names the provider's write lock. */
const PROVIDER_LOCK_CLASS = 7_042_003;

/**
 * Serialises offer writes of one provider (sync, upsertOffer) until the transaction ends: a sync
 * reads the provider's existing offers, decides, then writes, and two syncs of one provider must
 * not both decide to create the same externalId; idempotency keys are checked under it too.
 */
export async function lockProvider(sql: SqlExecutor, providerId: string): Promise<void> {
  await sql.query(`SELECT pg_advisory_xact_lock(${PROVIDER_LOCK_CLASS}, hashtext($1))`, [providerId]);
}
