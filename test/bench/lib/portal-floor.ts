// The floor of the portal query: the same answer as the API's, produced by ONE hand-written SQL
// statement behind a minimal node:http handler that returns the same JSON shape. Whatever the API
// spends beyond this (HTTP framework, GraphQL parse/validate/execute, limits, Prisma, logging) is
// its overhead.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SqlExecutor } from '@pakt/db';

/** The portal query as a portal sends it (the API side of the comparison). */
export const PORTAL_QUERY = `query Portal($ags: String!, $radiusKm: Float!, $first: Int!) {
  offers(filter: { near: { ags: $ags, radiusKm: $radiusKm } }, first: $first) {
    edges {
      distanceKm
      node {
        id
        title { value language rtl }
        provider { name }
        municipality { name }
        nextSlots(first: 3, hasSeats: true) { startsAt seatsAvailable status }
      }
    }
    pageInfo { hasNextPage }
  }
}`;

export interface PortalVariables {
  ags: string;
  radiusKm: number;
  first: number;
}

/** What both sides answer. */
export interface PortalResponse {
  data?: {
    offers: {
      edges: {
        distanceKm: number;
        node: {
          id: string;
          title: { value: string; language: string; rtl: boolean };
          provider: { name: string };
          municipality: { name: string };
          nextSlots: { startsAt: string; seatsAvailable: number | null; status: string }[];
        };
      }[];
      pageInfo: { hasNextPage: boolean };
    };
  };
  errors?: unknown[];
  extensions?: Record<string, unknown>;
}

const SELECT_PAGE = `
  SELECT p.id, p.distance_m, pr.name AS provider_name, m.name AS municipality_name,
         t.language_code, t.title, (l.direction = 'RTL') AS rtl, s.slots
    FROM page p
    JOIN provider pr ON pr.id = p.provider_id
    JOIN municipality m ON m.ags = p.municipality_ags
    LEFT JOIN LATERAL (
      SELECT t.language_code, t.title FROM offer_translation t
       WHERE t.offer_id = p.id AND t.language_code IN ($4, 'de') AND t.title <> ''
       ORDER BY t.language_code = $4 DESC
       LIMIT 1) t ON true
    LEFT JOIN language l ON l.code = t.language_code
    LEFT JOIN LATERAL (
      SELECT COALESCE(json_agg(json_build_object('startsAt', s.starts_at, 'seatsAvailable', s.seats_available, 'status', s.status)
                               ORDER BY s.starts_at, s.id), '[]') AS slots
        FROM (SELECT s.id, s.starts_at, s.seats_available, s.status FROM slot s
               WHERE s.offer_id = p.id AND s.deleted_at IS NULL AND s.status = 'SCHEDULED'
                 AND s.seats_available > 0 AND s.starts_at >= now()
               ORDER BY s.starts_at, s.id
               LIMIT 3) s) s ON true
   ORDER BY p.distance_m, p.id`;

const PUBLIC = `o.status = 'PUBLISHED' AND o.deleted_at IS NULL AND o.geo IS NOT NULL`;

/**
 * The floor as the brief defines it: the radius as earth_box (GiST) + earth_distance, the whole
 * circle's matches sorted by distance, the first page + 1 (for hasNextPage). $1 ags, $2 radius in
 * metres, $3 page size + 1, $4 language. The centre is MATERIALIZED: inlined, PostgreSQL joins it
 * into a plain GiST index scan that visits the heap in index order, about 2× slower than the
 * bitmap scan it picks for a materialised centre (which the API's search gets by using it twice).
 */
export const FLOOR_SQL = `
WITH centre AS MATERIALIZED (SELECT ll_to_earth(latitude, longitude) AS earth FROM municipality WHERE ags = $1),
served AS (SELECT COALESCE(array_agg(offer_id), '{}'::uuid[]) AS ids FROM offer_service_area WHERE municipality_ags = $1),
page AS (
  SELECT * FROM (
    SELECT o.id, o.provider_id, o.municipality_ags, earth_distance(c.earth, o.geo) AS distance_m
      FROM offer o CROSS JOIN centre c
     WHERE ${PUBLIC} AND earth_box(c.earth, $2::float8) @> o.geo AND earth_distance(c.earth, o.geo) <= $2::float8
       AND NOT (o.id = ANY((SELECT ids FROM served)::uuid[]))
    UNION ALL
    -- Offers serving the place (issue 14's service areas) count as distance 0, wherever they are.
    SELECT o.id, o.provider_id, o.municipality_ags, 0::float8 FROM offer o WHERE o.status = 'PUBLISHED' AND o.deleted_at IS NULL AND o.id = ANY((SELECT ids FROM served)::uuid[])
  ) m
   ORDER BY distance_m, id
   LIMIT $3::int)${SELECT_PAGE}`;

/**
 * The same answer with an index-ordered (KNN) scan: the GiST index yields offers nearest first
 * (cube's <-> is the chord length, monotonic in the great-circle distance), so only the first
 * page is read instead of every offer in the circle. Ties on distance (many offers sit at their
 * municipality's centre) are kept exact: the KNN page only fixes the distance of its last row;
 * every offer up to that distance is then sorted by (distance, id) as the API does.
 */
export const KNN_SQL = `
WITH centre AS (SELECT ll_to_earth(latitude, longitude) AS earth FROM municipality WHERE ags = $1),
served AS (SELECT COALESCE(array_agg(offer_id), '{}'::uuid[]) AS ids FROM offer_service_area WHERE municipality_ags = $1),
knn AS (
  SELECT o.geo <-> (SELECT earth FROM centre) AS chord
    FROM offer o
   WHERE ${PUBLIC} AND earth_box((SELECT earth FROM centre), $2::float8) @> o.geo
     AND earth_distance((SELECT earth FROM centre), o.geo) <= $2::float8
     AND NOT (o.id = ANY((SELECT ids FROM served)::uuid[]))
   ORDER BY o.geo <-> (SELECT earth FROM centre)
   LIMIT $3::int),
cut AS (SELECT max(chord) AS chord FROM knn),
page AS (
  SELECT * FROM (
    SELECT o.id, o.provider_id, o.municipality_ags, earth_distance(c.earth, o.geo) AS distance_m
      FROM offer o CROSS JOIN centre c CROSS JOIN cut
     WHERE ${PUBLIC} AND cube_enlarge(c.earth, cut.chord, 3) @> o.geo AND (o.geo <-> c.earth) <= cut.chord
       AND earth_distance(c.earth, o.geo) <= $2::float8 AND NOT (o.id = ANY((SELECT ids FROM served)::uuid[]))
    UNION ALL
    SELECT o.id, o.provider_id, o.municipality_ags, 0::float8 FROM offer o WHERE o.status = 'PUBLISHED' AND o.deleted_at IS NULL AND o.id = ANY((SELECT ids FROM served)::uuid[])
  ) m
   ORDER BY distance_m, id
   LIMIT $3::int)${SELECT_PAGE}`;

interface Row {
  id: string;
  distance_m: number;
  provider_name: string;
  municipality_name: string;
  language_code: string | null;
  title: string | null;
  rtl: boolean | null;
  slots: { startsAt: string; seatsAvailable: number | null; status: string }[] | string;
}

/** Offer's global ID as the API encodes it (Pothos relay: base64 of "Offer:<uuid>"). */
export const offerGlobalId = (uuid: string) => Buffer.from(`Offer:${uuid}`).toString('base64');

/** Accept-Language → a supported code ("ar-SY" → "ar"), else German; the header's order wins. */
export function negotiate(header: string | undefined, supported: ReadonlySet<string>): string {
  for (const part of (header ?? '').split(',')) {
    const tag = part.split(';')[0]!.trim().toLowerCase();
    if (!tag) continue;
    if (supported.has(tag)) return tag;
    const primary = tag.split('-')[0]!;
    if (supported.has(primary)) return primary;
  }
  return 'de';
}

export async function runPortalSql(sql: SqlExecutor, statement: string, variables: PortalVariables, language: string): Promise<PortalResponse> {
  const rows = await sql.query<Row>(statement, [variables.ags, variables.radiusKm * 1000, variables.first + 1, language]);
  const page = rows.slice(0, variables.first);
  return {
    data: {
      offers: {
        edges: page.map((row) => ({
          distanceKm: Math.round(Number(row.distance_m) / 100) / 10,
          node: {
            id: offerGlobalId(row.id),
            title: { value: row.title ?? '', language: row.language_code ?? 'de', rtl: row.rtl ?? false },
            provider: { name: row.provider_name },
            municipality: { name: row.municipality_name },
            nextSlots: (typeof row.slots === 'string' ? (JSON.parse(row.slots) as Exclude<Row['slots'], string>) : row.slots).map((s) => ({
              startsAt: new Date(s.startsAt).toISOString(),
              seatsAvailable: s.seatsAvailable,
              status: s.status,
            })),
          },
        })),
        pageInfo: { hasNextPage: rows.length > variables.first },
      },
    },
  };
}

/** A node:http handler answering POST /graphql {variables} with `statement`. */
export function floorHandler(sql: SqlExecutor, statement: string, languages: ReadonlySet<string>) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        try {
          const { variables } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { variables: PortalVariables };
          const language = negotiate(req.headers['accept-language'], languages);
          const body = JSON.stringify(await runPortalSql(sql, statement, variables, language));
          res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
          res.end(body);
        } catch (error) {
          const body = JSON.stringify({ errors: [{ message: (error as Error).message }] });
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(body);
        }
      })();
    });
  };
}
