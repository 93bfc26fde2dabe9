// The offer search behind `Query.offers`. Prisma cannot express a radius or a ranked full-text
// match, so ONE raw statement applies every filter and returns the page as ids with distance and
// sort key; the resolver then loads the Prisma tree for those ids.
import type { SqlExecutor } from '@pakt/db';
import { geoSql, searchQuerySql } from '@pakt/db/search-columns';
import { ErrorCode, userInputError } from '../errors.js';
import type { LanguageCatalog } from '../language.js';
import {
  buildPage,
  cursorScope,
  encodeCursor,
  keysetCondition,
  pageRequest,
  runKeysetQuery,
  SqlParams,
  type ConnectionArgs,
  type Page,
  type SortKey,
} from '../pagination.js';
import { PUBLIC_OFFER_SQL } from '../schema/visibility.js';

export type OfferOrder = 'RELEVANCE' | 'DISTANCE' | 'START_DATE' | 'UPDATED_AT';

export interface OfferFilterInput {
  near?: { ags: string; radiusKm: number } | null;
  districtAgs?: string | null;
  regionCode?: string | null;
  categories?: readonly string[] | null;
  programmes?: readonly string[] | null;
  providers?: readonly string[] | null;
  languages?: readonly string[] | null;
  courseTypes?: readonly string[] | null;
  exams?: readonly string[] | null;
  cefrLevel?: string | null;
  targetGroups?: readonly string[] | null;
  startsAfter?: Date | null;
  startsBefore?: Date | null;
  hasSeats?: boolean | null;
  modality?: string | null;
  eligibleFor?: { residence?: string | null; age?: number | null; includeUnstated?: boolean | null } | null;
  text?: string | null;
}

/** The deprecated course type and the two BAMF types it stood for: a filter for it finds both. */
const SPLIT_COURSE_TYPES: Readonly<Record<string, readonly string[]>> = {
  ELTERN_FRAUENINTEGRATIONSKURS: ['ELTERNINTEGRATIONSKURS', 'FRAUENINTEGRATIONSKURS'],
};
const MAX_AGE = 130;

/** The largest radius a search accepts; Baden-Württemberg is about 250 km across. */
export const MAX_RADIUS_KM = 300;
/** How close a word of `search_text` must come to the query (pg_trgm word_similarity). */
export const TEXT_SIMILARITY = 0.4;
const MAX_TEXT_LENGTH = 200;
const MAX_LIST_LENGTH = 50;

export interface OfferSearchEdge {
  id: string;
  cursor: string;
  /** Distance from the centre of `near`, rounded to 0.1 km; null without `near`. */
  distanceKm: number | null;
  /** The offer's row as `SearchOffersOptions.node` built it; undefined without. Null when it is no longer public. */
  node?: unknown;
}

export interface OfferSearchResult extends Page<OfferSearchEdge> {
  /** Matches on all pages; null unless asked for. */
  totalCount: number | null;
}

function argumentError(message: string, argument: string) {
  return userInputError(message, { argument });
}

function checkList(list: readonly string[] | null | undefined, argument: string): string[] | null {
  if (!list || list.length === 0) return null;
  if (list.length > MAX_LIST_LENGTH) throw argumentError(`\`${argument}\` may hold at most ${MAX_LIST_LENGTH} values.`, argument);
  return [...new Set(list)];
}

/** The filter with its values checked and normalised; the cursor scope is computed from it. */
function normalise(filter: OfferFilterInput, catalog: LanguageCatalog) {
  const near = filter.near ?? null;
  if (near) {
    if (!/^\d{8}$/.test(near.ags)) {
      throw argumentError(`\`near.ags\` must be an eight-digit municipality key (AGS), e.g. "08111000"; got "${near.ags}".`, 'filter.near.ags');
    }
    if (!Number.isFinite(near.radiusKm) || near.radiusKm <= 0 || near.radiusKm > MAX_RADIUS_KM) {
      throw argumentError(`\`near.radiusKm\` must be greater than 0 and at most ${MAX_RADIUS_KM}; got ${near.radiusKm}.`, 'filter.near.radiusKm');
    }
  }
  if (filter.districtAgs != null && !/^\d{5}$/.test(filter.districtAgs)) {
    throw argumentError(`\`districtAgs\` must be a five-digit district key, e.g. "08116"; got "${filter.districtAgs}".`, 'filter.districtAgs');
  }
  if (filter.regionCode != null && !/^\d{3}$/.test(filter.regionCode)) {
    throw argumentError(`\`regionCode\` must be a three-digit region code, e.g. "081"; got "${filter.regionCode}".`, 'filter.regionCode');
  }
  const text = filter.text?.trim() || null;
  if (text && text.length > MAX_TEXT_LENGTH) {
    throw argumentError(`\`text\` may be at most ${MAX_TEXT_LENGTH} characters.`, 'filter.text');
  }
  if (filter.startsAfter && filter.startsBefore && filter.startsAfter >= filter.startsBefore) {
    throw argumentError('`startsAfter` must be earlier than `startsBefore`.', 'filter.startsBefore');
  }
  const languages = checkList(filter.languages, 'filter.languages')?.map((code) => catalog.require(code, 'filter.languages'));
  const courseTypes = checkList(filter.courseTypes, 'filter.courseTypes');
  const eligible = filter.eligibleFor ?? null;
  const age = eligible?.age ?? null;
  if (age !== null && !(Number.isInteger(age) && age >= 0 && age <= MAX_AGE)) {
    throw argumentError(`\`eligibleFor.age\` must be a whole number of years from 0 to ${MAX_AGE}; got ${age}.`, 'filter.eligibleFor.age');
  }
  const residence = eligible?.residence ?? null;
  return {
    near,
    districtAgs: filter.districtAgs ?? null,
    regionCode: filter.regionCode ?? null,
    categories: checkList(filter.categories, 'filter.categories'),
    programmes: checkList(filter.programmes, 'filter.programmes'),
    providers: checkList(filter.providers, 'filter.providers'),
    languages: languages ?? null,
    courseTypes: courseTypes ? [...new Set(courseTypes.flatMap((type) => [type, ...(SPLIT_COURSE_TYPES[type] ?? [])]))] : null,
    exams: checkList(filter.exams, 'filter.exams'),
    cefrLevel: filter.cefrLevel ?? null,
    targetGroups: checkList(filter.targetGroups, 'filter.targetGroups'),
    startsAfter: filter.startsAfter?.toISOString() ?? null,
    startsBefore: filter.startsBefore?.toISOString() ?? null,
    hasSeats: filter.hasSeats ?? null,
    modality: filter.modality ?? null,
    eligibleFor: residence !== null || age !== null ? { residence, age, includeUnstated: eligible?.includeUnstated ?? false } : null,
    text,
  };
}

type Normalised = ReturnType<typeof normalise>;

/** The order when none is given: relevance for a text search, else distance for `near`, else start date. */
export function defaultOrder(filter: OfferFilterInput): OfferOrder {
  if (filter.text?.trim()) return 'RELEVANCE';
  if (filter.near) return 'DISTANCE';
  return 'START_DATE';
}

/** A slot that counts: not deleted, not cancelled. */
const LIVE_SLOT = `s.offer_id = o.id AND s.deleted_at IS NULL AND s.status <> 'CANCELLED'`;
/** A slot one can still register for: upcoming, scheduled, seats left. */
const OPEN_SLOT = `s.status = 'SCHEDULED' AND s.seats_available > 0 AND s.starts_at >= now()`;

/**
 * The offers that serve the municipality of `near` through their service area, as one array (the
 * CTE `served`, computed once per statement): they match the radius search wherever they are, at
 * distance 0.
 */
const SERVED = '(SELECT ids FROM served)::uuid[]';

/**
 * Which part of a `near` search the clauses select: `area` every match (in the circle, or serving
 * its municipality), `circle` the matches in the circle that do not serve it, `served` those that
 * serve it.
 */
type NearPart = 'area' | 'circle' | 'served';

/** `centre` is the SQL for the centre of `near`: `c.earth` (joined CTE) or a scalar subquery. */
function whereClauses(f: Normalised, params: SqlParams, centre = 'c.earth', part: NearPart = 'area'): string[] {
  const where = [PUBLIC_OFFER_SQL];
  if (f.near) {
    const circle = () => {
      const radius = params.add(f.near!.radiusKm * 1000, 'float8');
      return `o.geo IS NOT NULL AND earth_box(${centre}, ${radius}) @> o.geo AND earth_distance(${centre}, o.geo) <= ${radius}`;
    };
    if (part === 'area') where.push(`((${circle()}) OR o.id = ANY(${SERVED}))`);
    else if (part === 'circle') where.push(circle(), `NOT (o.id = ANY(${SERVED}))`);
    else where.push(`o.id = ANY(${SERVED})`);
  }
  // A district or region also finds the offers serving one of its municipalities.
  const inArea = (municipalities: string) =>
    `(o.municipality_ags IN (${municipalities}) OR o.id IN (SELECT sa.offer_id FROM offer_service_area sa WHERE sa.municipality_ags IN (${municipalities})))`;
  if (f.districtAgs) {
    where.push(inArea(`SELECT ags FROM municipality WHERE district_ags = ${params.add(f.districtAgs, 'text')}`));
  }
  if (f.regionCode) {
    where.push(inArea(`SELECT m.ags FROM municipality m JOIN district d ON d.ags = m.district_ags WHERE d.region_code = ${params.add(f.regionCode, 'text')}`));
  }
  // Lists travel as text[] (PGlite cannot serialise enum arrays) and are cast in SQL.
  if (f.categories) where.push(`o.category = ANY(${params.add(f.categories, 'text[]')}::"OfferCategory"[])`);
  if (f.modality) where.push(`o.modality = ${params.add(f.modality, '"Modality"')}`);
  if (f.programmes) {
    // A programme's offers include those of its lines, at any depth.
    where.push(`o.programme_id IN (
      WITH RECURSIVE tree AS (
        SELECT id FROM programme WHERE slug = ANY(${params.add(f.programmes, 'text[]')})
        UNION SELECT p.id FROM programme p JOIN tree ON p.parent_id = tree.id
      ) SELECT id FROM tree)`);
  }
  if (f.providers) {
    // An umbrella's slug also finds the offers of its member organisations.
    const slugs = params.add(f.providers, 'text[]');
    where.push(`o.provider_id IN (
      SELECT p.id FROM provider p LEFT JOIN provider u ON u.id = p.umbrella_id
       WHERE p.slug = ANY(${slugs}) OR u.slug = ANY(${slugs}))`);
  }
  if (f.languages) {
    where.push(`EXISTS (SELECT 1 FROM offer_language ol WHERE ol.offer_id = o.id AND ol.language_code = ANY(${params.add(f.languages, 'text[]')}))`);
  }
  if (f.targetGroups) {
    where.push(`EXISTS (SELECT 1 FROM offer_target_group tg WHERE tg.offer_id = o.id AND tg.target_group_code = ANY(${params.add(f.targetGroups, 'text[]')}))`);
  }
  if (f.courseTypes) {
    where.push(
      `EXISTS (SELECT 1 FROM course_details cd WHERE cd.offer_id = o.id AND cd.course_type = ANY(${params.add(f.courseTypes, 'text[]')}::"CourseType"[]))`,
    );
  }
  if (f.exams) {
    where.push(`EXISTS (SELECT 1 FROM course_details cd WHERE cd.offer_id = o.id AND cd.exams && ${params.add(f.exams, 'text[]')}::"LanguageExam"[])`);
  }
  if (f.eligibleFor) where.push(eligibleForClause(f.eligibleFor, params));
  if (f.cefrLevel) {
    // A course from A1 to B1 matches A2; a course with one stated level matches only that level.
    const level = params.add(f.cefrLevel, '"CefrLevel"');
    where.push(`EXISTS (SELECT 1 FROM course_details cd WHERE cd.offer_id = o.id
      AND COALESCE(cd.cefr_from, cd.cefr_to) <= ${level} AND COALESCE(cd.cefr_to, cd.cefr_from) >= ${level})`);
  }
  const range: string[] = [];
  if (f.startsAfter) range.push(`s.starts_at >= ${params.add(f.startsAfter, 'timestamptz')}`);
  if (f.startsBefore) range.push(`s.starts_at < ${params.add(f.startsBefore, 'timestamptz')}`);
  if (f.hasSeats === true) {
    // One slot must both start in the range and have seats.
    where.push(`EXISTS (SELECT 1 FROM slot s WHERE ${[LIVE_SLOT, OPEN_SLOT, ...range].join(' AND ')})`);
  } else {
    if (range.length > 0) where.push(`EXISTS (SELECT 1 FROM slot s WHERE ${[LIVE_SLOT, ...range].join(' AND ')})`);
    if (f.hasSeats === false) where.push(`NOT EXISTS (SELECT 1 FROM slot s WHERE ${LIVE_SLOT} AND ${OPEN_SLOT})`);
  }
  if (f.text) {
    const q = params.add(f.text, 'text');
    where.push(`(o.search_vector @@ ${searchQuerySql(q)} OR word_similarity(${q}, o.search_text) > ${TEXT_SIMILARITY})`);
  }
  return where;
}

/** Offers a person in this situation may take part in, by their structured eligibility. */
function eligibleForClause(e: NonNullable<Normalised['eligibleFor']>, params: SqlParams): string {
  const conditions: string[] = [];
  if (e.residence !== null) {
    const residence = `(${params.add(e.residence, '"ResidenceStatus"')} = ANY(e.residence_statuses) OR 'ANYONE' = ANY(e.residence_statuses))`;
    conditions.push(e.includeUnstated ? `(${residence} OR cardinality(COALESCE(e.residence_statuses, '{}')) = 0)` : residence);
  }
  if (e.age !== null) {
    const age = params.add(e.age, 'int');
    conditions.push(`(e.min_age IS NULL OR e.min_age <= ${age}) AND (e.max_age IS NULL OR e.max_age >= ${age})`);
  }
  const matching = `EXISTS (SELECT 1 FROM offer_eligibility e WHERE e.offer_id = o.id AND ${conditions.join(' AND ')})`;
  return e.includeUnstated ? `(${matching} OR NOT EXISTS (SELECT 1 FROM offer_eligibility e WHERE e.offer_id = o.id))` : matching;
}

function sortKeys(order: OfferOrder, f: Normalised): SortKey[] {
  switch (order) {
    case 'RELEVANCE':
      return [
        { expr: 'rank', type: 'float8', descending: true },
        ...(f.near ? [{ expr: 'distance_m', type: 'float8' } as const] : []),
        { expr: 'id', type: 'uuid' },
      ];
    case 'DISTANCE':
      return [
        { expr: 'distance_m', type: 'float8' },
        { expr: 'id', type: 'uuid' },
      ];
    case 'START_DATE':
      return [
        { expr: 'next_start', type: 'timestamptz' },
        { expr: 'id', type: 'uuid' },
      ];
    case 'UPDATED_AT':
      return [
        { expr: 'updated_at', type: 'timestamptz', descending: true },
        { expr: 'id', type: 'uuid', descending: true },
      ];
  }
}

export interface SearchOffersOptions {
  filter: OfferFilterInput;
  orderBy: OfferOrder | null | undefined;
  page: ConnectionArgs;
  /** Count all matches (one more subquery in the same statement). */
  withTotal: boolean;
  catalog: LanguageCatalog;
  /**
   * The JSON of one page row, with `o` the offer (an expression over offer `o`, its parameters
   * added to `params`): the page then comes with its offers in the same statement.
   */
  node?: ((params: SqlParams) => string) | undefined;
}

/** Runs the search for one page: one SQL statement (two when the page is empty and a count or centre check is needed). */
export async function searchOffers(sql: SqlExecutor, options: SearchOffersOptions): Promise<OfferSearchResult> {
  const f = normalise(options.filter, options.catalog);
  const order = options.orderBy ?? defaultOrder(options.filter);
  if (order === 'DISTANCE' && !f.near) {
    throw argumentError('`orderBy: DISTANCE` needs `filter.near`.', 'orderBy');
  }
  const keys = sortKeys(order, f);
  const scope = cursorScope('offers', { order, f });
  const request = pageRequest(options.page, scope, keys.length);

  const params = new SqlParams();
  const ctes: string[] = [];
  if (f.near) {
    const ags = params.add(f.near.ags, 'text');
    ctes.push(
      `centre AS (SELECT ${geoSql('latitude', 'longitude')} AS earth FROM municipality WHERE ags = ${ags})`,
      `served AS (SELECT COALESCE(array_agg(offer_id), '{}'::uuid[]) AS ids FROM offer_service_area WHERE municipality_ags = ${ags})`,
    );
  }
  const totals: Record<string, string> = {};
  if (f.near) totals.centres = '(SELECT count(*) FROM centre)';

  let source: string;
  if (f.near && order === 'DISTANCE' && !f.text && !request.backward) {
    source = nearestFirstSource(f, keys, request.cursor, request.size + 1, params, ctes);
    // The page holds only the nearest matches: count the circle on its own, without sorting it,
    // and the offers serving the place (each index answers its part).
    if (options.withTotal) {
      const count = (part: NearPart) => `(SELECT count(*) FROM offer o WHERE ${whereClauses(f, params, '(SELECT earth FROM centre)', part).join('\n AND ')})`;
      totals.total = `(${count('circle')} + ${count('served')})`;
    }
  } else {
    source = scanSource(f, order, params);
    if (options.withTotal) totals.total = '(SELECT count(*) FROM matches)';
  }

  const node = options.node;
  const { rows, totals: counted } = await runKeysetQuery<{ id: string; distance_m: number | null; node?: unknown }>(sql, {
    ctes,
    source,
    keys,
    columns: ['id', 'distance_m'],
    totals,
    params,
    request,
    // The portal's statement: the same text for every town and page of one query shape.
    prepare: true,
    // Visibility again inside the statement: the offer's row and its page position share a snapshot.
    pageColumns: node && ((p) => ({ node: `(SELECT ${node(p)} FROM offer o WHERE o.id = page.id AND ${PUBLIC_OFFER_SQL})` })),
  });
  if (f.near && counted.centres === 0) {
    throw userInputError(`There is no municipality with AGS "${f.near.ags}". Query \`municipalities(filter: { search })\` to find its AGS.`, {
      code: ErrorCode.UNKNOWN_MUNICIPALITY,
      argument: 'filter.near.ags',
    });
  }
  const page = buildPage(rows, request, (row) => ({
    id: row.id,
    cursor: encodeCursor(scope, row.keys),
    distanceKm: row.distance_m == null ? null : Math.round(Number(row.distance_m) / 100) / 10,
    ...(node ? { node: row.node ?? null } : {}),
  }));
  return { ...page, totalCount: options.withTotal ? (counted.total ?? 0) : null };
}

/** The general row source: every match, with all sort key columns, sorted by `runKeysetQuery`. */
function scanSource(f: Normalised, order: OfferOrder, params: SqlParams): string {
  const where = whereClauses(f, params);
  const columns = ['o.id', 'o.updated_at'];
  columns.push(f.near ? `CASE WHEN o.id = ANY(${SERVED}) THEN 0 ELSE earth_distance(c.earth, o.geo) END AS distance_m` : 'NULL::float8 AS distance_m');
  if (f.text) {
    const q = params.add(f.text, 'text');
    columns.push(`(COALESCE(ts_rank(o.search_vector, ${searchQuerySql(q)}), 0) + word_similarity(${q}, o.search_text))::float8 AS rank`);
  } else {
    columns.push('0::float8 AS rank');
  }
  if (order === 'START_DATE') {
    columns.push(`COALESCE((SELECT min(s.starts_at) FROM slot s WHERE ${LIVE_SLOT} AND s.starts_at >= now()), 'infinity'::timestamptz) AS next_start`);
  }
  return `SELECT ${columns.join(', ')} FROM offer o${f.near ? ' CROSS JOIN centre c' : ''} WHERE ${where.join('\n AND ')}`;
}

/**
 * The row source for `orderBy: DISTANCE` without text (the portal's "near me" page), read nearest
 * first from the GiST index on offer.geo instead of sorting the whole circle:
 * - `knn` takes the first `limit` matches after the cursor in the order of `o.geo <-> centre`
 *   (cube's KNN operator: the chord, monotonic in the great-circle distance). The centre must be
 *   a scalar subquery (a constant for the index scan), not a joined CTE, for the index to order.
 * - `cut` is the largest exact distance among them: at least `limit` matches after the cursor lie
 *   within it, so the page (the first `limit` by (distance, id)) does, too, ties included.
 * - the source is every match within that distance (a small box around the centre, again through
 *   the index), sorted exactly by (distance, id) by `runKeysetQuery` as on the general path.
 * - offers serving the place (service area) count as distance 0: `knn` and `cut` leave them out,
 *   and the source adds all of them, so the page is still exactly the first `limit` by
 *   (distance, id) of every match after the cursor.
 * With `totalCount`, the circle is counted separately (a count, not a sort, of every match).
 */
function nearestFirstSource(f: Normalised, keys: readonly SortKey[], cursor: string[] | null, limit: number, params: SqlParams, ctes: string[]): string {
  const centre = '(SELECT earth FROM centre)';
  const distance = `earth_distance(${centre}, o.geo)`;
  // The index orders the circle; the (few) offers serving the place join at distance 0.
  const where = whereClauses(f, params, centre, 'circle').join('\n AND ');
  const served = whereClauses(f, params, centre, 'served').join('\n AND ');
  const after = cursor
    ? `\n AND ${keysetCondition(
        keys.map((key) => ({ ...key, expr: key.expr === 'distance_m' ? distance : `o.${key.expr}` })),
        cursor,
        false,
        params,
      )}`
    : '';
  ctes.push(
    `knn AS (SELECT o.geo <-> ${centre} AS chord, ${distance} AS distance_m FROM offer o
      WHERE ${where}${after}
      ORDER BY o.geo <-> ${centre} LIMIT ${params.add(limit, 'int')})`,
    'cut AS (SELECT max(chord) AS chord, max(distance_m) AS distance_m FROM knn)',
  );
  // The box is widened by a micrometre (and a relative 1e-9) so that rounding in chord versus
  // distance can never drop an offer at exactly the cut distance; the exact filter follows.
  return `SELECT o.id, o.updated_at, ${distance} AS distance_m, 0::float8 AS rank FROM offer o
    WHERE ${where}
      AND cube_enlarge(${centre}, (SELECT chord FROM cut) * (1 + 1e-9) + 1e-6, 3) @> o.geo
      AND ${distance} <= (SELECT distance_m FROM cut)
    UNION ALL
    SELECT o.id, o.updated_at, 0::float8 AS distance_m, 0::float8 AS rank FROM offer o WHERE ${served}`;
}
