// The two offer columns Prisma cannot write (`Unsupported` in the schema): the earth-distance
// cube for radius search and the German tsvector for full-text search. Every writer of offers
// (seed, sync, upsert) calls this after changing latitude, longitude or search_text.
import type { SqlExecutor } from './client.js';

/**
 * Recomputes `geo` and `search_vector` from `latitude`, `longitude` and `search_text`.
 * `offerIds`: only these offers (an empty list does nothing); omitted: every offer.
 * Returns the number of rows updated.
 */
export async function refreshSearchColumns(sql: SqlExecutor, offerIds?: readonly string[]): Promise<number> {
  if (offerIds && offerIds.length === 0) return 0;
  const set = `UPDATE offer SET geo = ll_to_earth(latitude, longitude), search_vector = to_tsvector('german', search_text)`;
  const rows = offerIds
    ? await sql.query<{ n: number }>(`WITH u AS (${set} WHERE id = ANY($1::uuid[]) RETURNING 1) SELECT count(*)::int AS n FROM u`, [
        [...offerIds],
      ])
    : await sql.query<{ n: number }>(`WITH u AS (${set} RETURNING 1) SELECT count(*)::int AS n FROM u`);
  return Number(rows[0]?.n ?? 0);
}
