// The two offer columns Prisma cannot write (`Unsupported` in the schema): the earth-distance
// cube for radius search and the German tsvector for full-text search. Their SQL expressions live
// here only: the writers compute them inline in the INSERT/UPDATE that writes latitude, longitude
// and search_text (a second UPDATE would write a second version of every row and of its GIN/GiST
// index entries), the searches build their queries with the same ones, and refreshSearchColumns
// recomputes them for rows written without (the seed). A test checks that refreshSearchColumns
// changes nothing after a sync, so writers and this file cannot drift apart silently.
import type { SqlExecutor } from './client.js';

/** `ll_to_earth(lat, lon)`: the cube (offer.geo) radius search uses; arguments are SQL expressions. */
export const geoSql = (latitude: string, longitude: string): string => `ll_to_earth(${latitude}, ${longitude})`;

/** The text search configuration of offer.search_vector and of every query against it. */
const TEXT_SEARCH_CONFIG = 'german';

/** `to_tsvector('german', text)`: offer.search_vector from an SQL expression for search_text. */
export const searchVectorSql = (text: string): string => `to_tsvector('${TEXT_SEARCH_CONFIG}', ${text})`;

/**
 * A tsquery for `query` (an SQL expression, usually a parameter): `websearch` understands quotes,
 * `or` and `-word` as a search box does; `plain` ANDs the words.
 */
export const searchQuerySql = (query: string, kind: 'websearch' | 'plain' = 'websearch'): string =>
  `${kind === 'plain' ? 'plainto_tsquery' : 'websearch_to_tsquery'}('${TEXT_SEARCH_CONFIG}', ${query})`;

/** offer.search_text: German title, German description and the provider's name. */
export function searchTextOf(germanTitle: string, germanDescription: string | null, providerName: string): string {
  return [germanTitle, germanDescription, providerName].filter((part): part is string => !!part).join('\n');
}

/**
 * Recomputes `geo` and `search_vector` from `latitude`, `longitude` and `search_text`.
 * `offerIds`: only these offers (an empty list does nothing); omitted: every offer.
 * Returns the number of rows updated.
 */
export async function refreshSearchColumns(sql: SqlExecutor, offerIds?: readonly string[]): Promise<number> {
  if (offerIds && offerIds.length === 0) return 0;
  const set = `UPDATE offer SET geo = ${geoSql('latitude', 'longitude')}, search_vector = ${searchVectorSql('search_text')}`;
  const rows = offerIds
    ? await sql.query<{ n: number }>(`WITH u AS (${set} WHERE id = ANY($1::uuid[]) RETURNING 1) SELECT count(*)::int AS n FROM u`, [[...offerIds]])
    : await sql.query<{ n: number }>(`WITH u AS (${set} RETURNING 1) SELECT count(*)::int AS n FROM u`);
  return Number(rows[0]?.n ?? 0);
}
