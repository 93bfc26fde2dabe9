// The municipality search behind `Query.municipalities`: by name (prefix, typo-tolerant word
// similarity, ß folded to ss) or postal code, within a district or region, as one keyset-paged
// statement that returns AGS codes; the resolver loads the Prisma nodes for them.
import type { SqlExecutor } from '@pakt/db';
import { buildPage, type ConnectionArgs, cursorScope, encodeCursor, type Page, pageRequest, runKeysetQuery, type SortKey, SqlParams } from '../pagination.js';

export interface MunicipalitySearch {
  /** Trimmed; empty: every municipality, by name. */
  search: string;
  districtAgs?: string | null | undefined;
  regionCode?: string | null | undefined;
}

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A page of matching AGS codes with cursors, and the number of matches when `withTotal`. */
export async function searchMunicipalities(
  sql: SqlExecutor,
  filter: MunicipalitySearch,
  args: ConnectionArgs,
  withTotal: boolean,
): Promise<Page<{ cursor: string; ags: string }> & { totalCount: number | null }> {
  const { search } = filter;
  const params = new SqlParams();
  const where: string[] = [];
  let rank = '0';
  if (search) {
    // "Eßlingen" and "Esslingen" are the same name to a person typing: compare folded.
    const folded = search.toLowerCase().replaceAll('ß', 'ss');
    const name = `replace(lower(m.name), 'ß', 'ss')`;
    const q = params.add(folded, 'text');
    const prefix = params.add(`${escapeLike(folded)}%`, 'text');
    where.push(`(${name} LIKE ${prefix} OR word_similarity(${q}, ${name}) >= 0.5 OR ${q} = ANY(m.postal_codes))`);
    rank = `(CASE WHEN ${name} LIKE ${prefix} OR ${q} = ANY(m.postal_codes) THEN 1 ELSE 0 END + word_similarity(${q}, ${name}))`;
  }
  if (filter.districtAgs) where.push(`m.district_ags = ${params.add(filter.districtAgs, 'text')}`);
  if (filter.regionCode) {
    where.push(`m.district_ags IN (SELECT ags FROM district WHERE region_code = ${params.add(filter.regionCode, 'text')})`);
  }
  const keys: SortKey[] = [
    ...(search ? [{ expr: 'rank', type: 'float8', descending: true } as const] : []),
    { expr: 'name', type: 'text' },
    { expr: 'ags', type: 'text' },
  ];
  const scope = cursorScope('municipalities', { search, d: filter.districtAgs, r: filter.regionCode });
  const request = pageRequest(args, scope, keys.length);
  const { rows, totals } = await runKeysetQuery<{ ags: string }>(sql, {
    source: `SELECT m.ags, m.name, ${rank}::float8 AS rank FROM municipality m ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
    keys,
    columns: ['ags'],
    totals: withTotal ? { total: '(SELECT count(*) FROM matches)' } : {},
    params,
    request,
  });
  const page = buildPage(rows, request, (row) => ({ cursor: encodeCursor(scope, row.keys), ags: row.ags }));
  return { ...page, totalCount: totals.total ?? null };
}
