// The SQL of the HSDS API: lists (ids of one page plus the total, filtered in SQL) and one
// statement that loads everything a fully nested service needs for a page of offers. Only public
// offers (PUBLISHED, not deleted) are ever read; organizations are pakt's providers, which are
// public in the GraphQL API too.
import type { SqlExecutor } from '@pakt/db';
import { geoSql, searchQuerySql } from '@pakt/db/search-columns';
import { PUBLIC_OFFER_SQL } from '../schema/visibility.js';

/** Filters of /services and /service_at_locations, already validated. */
export interface ServiceFilter {
  search?: string | undefined;
  organizationId?: string | undefined;
  /** Category codes and target-group codes a service must have one of (from taxonomy_term_id / taxonomy_id). */
  categories?: readonly string[] | undefined;
  targetGroups?: readonly string[] | undefined;
  /** Whether the taxonomy filter matched nothing at all (an unknown term id): the result is empty. */
  nothing?: boolean | undefined;
  modifiedAfter?: Date | undefined;
}

export interface Paging {
  limit: number;
  offset: number;
}

/** WHERE clauses for `o` and their parameters, numbered from `first`. */
function serviceWhere(filter: ServiceFilter, first: number): { where: string[]; params: unknown[] } {
  const where = [PUBLIC_OFFER_SQL];
  const params: unknown[] = [];
  const add = (value: unknown) => {
    params.push(value);
    return `$${first + params.length - 1}`;
  };
  if (filter.nothing) where.push('false');
  if (filter.search) where.push(`o.search_vector @@ ${searchQuerySql(add(filter.search), 'plain')}`);
  if (filter.organizationId) where.push(`o.provider_id = ${add(filter.organizationId)}::uuid`);
  if (filter.modifiedAfter) where.push(`o.updated_at >= ${add(filter.modifiedAfter.toISOString())}::timestamptz`);
  const taxonomy: string[] = [];
  if (filter.categories?.length) taxonomy.push(`o.category::text = ANY(${add(filter.categories)}::text[])`);
  if (filter.targetGroups?.length) {
    taxonomy.push(`EXISTS (SELECT 1 FROM offer_target_group g WHERE g.offer_id = o.id AND g.target_group_code = ANY(${add(filter.targetGroups)}::text[]))`);
  }
  if (taxonomy.length) where.push(`(${taxonomy.join(' OR ')})`);
  return { where, params };
}

export async function listServiceIds(sql: SqlExecutor, filter: ServiceFilter, paging: Paging): Promise<{ ids: string[]; total: number }> {
  const { where, params } = serviceWhere(filter, 3);
  const rows = await sql.query<{ id: string | null; total: string | number }>(
    `WITH matched AS (SELECT o.id FROM offer o WHERE ${where.join(' AND ')})
     SELECT page.id, (SELECT count(*) FROM matched) AS total
       FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT id FROM matched ORDER BY id LIMIT $1 OFFSET $2) page ON true`,
    [paging.limit, paging.offset, ...params],
  );
  return { ids: rows.flatMap((row) => (row.id ? [row.id] : [])), total: Number(rows[0]?.total ?? 0) };
}

/** Where a service_at_location must be: a postcode, and optionally within `meters` of its centroid. */
export interface PlaceFilter {
  postcode?: string | undefined;
  meters?: number | undefined;
}

/** Pairs (offer, location) of public offers; the pair is pakt's service_at_location. */
export async function listServiceAtLocations(
  sql: SqlExecutor,
  filter: ServiceFilter,
  place: PlaceFilter,
  paging: Paging,
): Promise<{ pairs: { offer_id: string; location_id: string }[]; total: number }> {
  const { where, params } = serviceWhere(filter, 3);
  const add = (value: unknown) => {
    params.push(value);
    return `$${2 + params.length}`;
  };
  const joins: string[] = [];
  if (place.postcode && place.meters !== undefined) {
    // The postcode's centroid: the municipality it belongs to (pakt knows no finer point).
    joins.push(
      `JOIN LATERAL (SELECT ${geoSql('m.latitude', 'm.longitude')} AS earth FROM municipality m WHERE ${add(place.postcode)} = ANY(m.postal_codes) ORDER BY m.population DESC LIMIT 1) c ON true`,
    );
    where.push(`earth_distance(c.earth, ${geoSql('l.latitude', 'l.longitude')}) <= ${add(place.meters)}::float8`);
  } else if (place.postcode) {
    where.push(`l.postal_code = ${add(place.postcode)}`);
  }
  const rows = await sql.query<{ offer_id: string | null; location_id: string | null; total: string | number }>(
    `WITH matched AS (
       SELECT x.offer_id, x.location_id FROM offer o JOIN offer_location x ON x.offer_id = o.id JOIN location l ON l.id = x.location_id ${joins.join(' ')}
        WHERE ${where.join(' AND ')})
     SELECT page.offer_id, page.location_id, (SELECT count(*) FROM matched) AS total
       FROM (SELECT 1) one LEFT JOIN LATERAL (SELECT * FROM matched ORDER BY offer_id, location_id LIMIT $1 OFFSET $2) page ON true`,
    [paging.limit, paging.offset, ...params],
  );
  return {
    pairs: rows.flatMap((row) => (row.offer_id && row.location_id ? [{ offer_id: row.offer_id, location_id: row.location_id }] : [])),
    total: Number(rows[0]?.total ?? 0),
  };
}

export interface LocationRow {
  id: string;
  provider_id: string;
  external_id: string;
  name: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  municipality: string;
  district: string;
  latitude: number;
  longitude: number;
  accessibility_notes: string | null;
}

export interface OrganizationRow {
  id: string;
  slug: string;
  name: string;
  kind: string;
  umbrella_id: string | null;
  email: string | null;
  phone: string | null;
  website: string | null;
  is_sample: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface SlotRow {
  id: string;
  starts_at: string;
  ends_at: string | null;
  schedule: { day: string; from: string; to: string }[] | null;
  capacity: number | null;
  seats_available: number | null;
  waiting_list: boolean;
  status: string;
  location_id: string | null;
  rolling_entry: boolean;
}

export interface ServiceRow {
  id: string;
  provider_id: string;
  external_id: string;
  category: string;
  modality: string;
  municipality_ags: string;
  municipality: string;
  eligibility: string | null;
  cost: string | null;
  is_free: boolean;
  /** Structured prices (offer_cost_option), in their order. */
  cost_options: { amount_cents: number; currency: string; unit: string; covers: string | null; conditions: string | null }[] | null;
  /** The municipalities the offer serves besides where it takes place (offer_service_area). */
  served_municipalities: { ags: string; name: string }[] | null;
  min_age: number | null;
  max_age: number | null;
  registration_note: string | null;
  registration_url: string | null;
  verified_at: Date | null;
  contact_email: string | null;
  contact_phone: string | null;
  website: string | null;
  created_at: Date;
  updated_at: Date;
  programme: { id: string; name: string | null; description: string | null; source_note: string } | null;
  translations: { language: string; title: string; description: string | null }[];
  languages: { code: string; name: string }[] | null;
  target_groups: string[] | null;
  locations: LocationRow[] | null;
  slots: SlotRow[] | null;
  organization: OrganizationRow;
}

const LOCATION_JSON = `json_build_object('id', l.id, 'provider_id', l.provider_id, 'external_id', l.external_id, 'name', l.name, 'street', l.street,
  'postal_code', l.postal_code, 'city', l.city, 'municipality', lm.name, 'district', ld.name, 'latitude', l.latitude, 'longitude', l.longitude,
  'accessibility_notes', l.accessibility_notes)`;
const LOCATION_JOINS = `JOIN municipality lm ON lm.ags = l.municipality_ags JOIN district ld ON ld.ags = lm.district_ags`;
const ORGANIZATION_COLUMNS = `pr.id, pr.slug, pr.name, pr.kind::text AS kind, pr.umbrella_id, pr.email, pr.phone, pr.website, pr.is_sample, pr.created_at, pr.updated_at`;

/** Everything of a fully nested service, for public offers among `ids` (in the order given). */
export async function loadServices(sql: SqlExecutor, ids: readonly string[]): Promise<ServiceRow[]> {
  if (ids.length === 0) return [];
  const rows = await sql.query<ServiceRow>(
    `SELECT o.id, o.provider_id, o.external_id, o.category::text AS category, o.modality::text AS modality, o.municipality_ags, m.name AS municipality,
            o.eligibility, o.cost, o.is_free, o.contact_email, o.contact_phone, o.website, o.created_at, o.updated_at,
            o.registration_note, o.registration_url, o.verified_at, el.min_age, el.max_age,
            (SELECT json_agg(json_build_object('amount_cents', co.amount_cents, 'currency', co.currency, 'unit', co.unit,
                    'covers', co.covers, 'conditions', co.conditions) ORDER BY co.position)
               FROM offer_cost_option co WHERE co.offer_id = o.id) AS cost_options,
            (SELECT json_agg(json_build_object('ags', sm.ags, 'name', sm.name) ORDER BY sm.ags)
               FROM offer_service_area sa JOIN municipality sm ON sm.ags = sa.municipality_ags
              WHERE sa.offer_id = o.id AND sa.municipality_ags <> o.municipality_ags) AS served_municipalities,
            (SELECT json_build_object('id', pg.id, 'source_note', pg.source_note,
                    'name', (SELECT t.name FROM programme_translation t WHERE t.programme_id = pg.id AND t.language_code = 'de'),
                    'description', (SELECT t.description FROM programme_translation t WHERE t.programme_id = pg.id AND t.language_code = 'de'))
               FROM programme pg WHERE pg.id = o.programme_id) AS programme,
            (SELECT json_agg(json_build_object('language', t.language_code, 'title', t.title, 'description', t.description) ORDER BY t.language_code = 'de' DESC, t.language_code)
               FROM offer_translation t WHERE t.offer_id = o.id) AS translations,
            (SELECT json_agg(json_build_object('code', lang.code, 'name', lang.english_name) ORDER BY lang.code)
               FROM offer_language x JOIN language lang ON lang.code = x.language_code WHERE x.offer_id = o.id) AS languages,
            (SELECT array_agg(g.target_group_code ORDER BY g.target_group_code) FROM offer_target_group g WHERE g.offer_id = o.id) AS target_groups,
            (SELECT json_agg(${LOCATION_JSON} ORDER BY l.name, l.id) FROM offer_location x JOIN location l ON l.id = x.location_id ${LOCATION_JOINS} WHERE x.offer_id = o.id) AS locations,
            (SELECT json_agg(json_build_object('id', s.id, 'starts_at', s.starts_at, 'ends_at', s.ends_at, 'schedule', s.schedule, 'capacity', s.capacity,
                    'seats_available', s.seats_available, 'waiting_list', s.waiting_list, 'status', s.status, 'location_id', s.location_id, 'rolling_entry', s.rolling_entry)
                    ORDER BY s.starts_at, s.id)
               FROM slot s WHERE s.offer_id = o.id AND s.deleted_at IS NULL) AS slots,
            (SELECT row_to_json(org) FROM (SELECT ${ORGANIZATION_COLUMNS} FROM provider pr WHERE pr.id = o.provider_id) org) AS organization
       FROM offer o JOIN municipality m ON m.ags = o.municipality_ags LEFT JOIN offer_eligibility el ON el.offer_id = o.id
      WHERE o.id = ANY($1::uuid[]) AND ${PUBLIC_OFFER_SQL}`,
    [ids],
  );
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

export async function listOrganizations(
  sql: SqlExecutor,
  { search, parentId }: { search?: string | undefined; parentId?: string | undefined },
  paging: Paging,
): Promise<{ rows: OrganizationRow[]; total: number }> {
  const where: string[] = ['true'];
  const params: unknown[] = [];
  if (search) {
    params.push(`%${search.toLowerCase()}%`);
    where.push(`lower(pr.name) LIKE $${params.length}`);
  }
  if (parentId) {
    params.push(parentId);
    where.push(`pr.umbrella_id = $${params.length}::uuid`);
  }
  const [count] = await sql.query<{ n: string | number }>(`SELECT count(*) AS n FROM provider pr WHERE ${where.join(' AND ')}`, params);
  const rows = await sql.query<OrganizationRow>(
    `SELECT ${ORGANIZATION_COLUMNS} FROM provider pr WHERE ${where.join(' AND ')} ORDER BY pr.id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, paging.limit, paging.offset],
  );
  return { rows, total: Number(count?.n ?? 0) };
}

export async function loadOrganization(
  sql: SqlExecutor,
  id: string,
): Promise<{ organization: OrganizationRow; locations: LocationRow[]; serviceIds: string[] } | undefined> {
  const [organization] = await sql.query<OrganizationRow>(`SELECT ${ORGANIZATION_COLUMNS} FROM provider pr WHERE pr.id = $1::uuid`, [id]);
  if (!organization) return undefined;
  const locations = await sql.query<{ location: LocationRow }>(
    `SELECT ${LOCATION_JSON} AS location FROM location l ${LOCATION_JOINS} WHERE l.provider_id = $1::uuid ORDER BY l.name, l.id`,
    [id],
  );
  const services = await sql.query<{ id: string }>(`SELECT o.id FROM offer o WHERE o.provider_id = $1::uuid AND ${PUBLIC_OFFER_SQL} ORDER BY o.id`, [id]);
  return { organization, locations: locations.map((row) => row.location), serviceIds: services.map((row) => row.id) };
}

/** The (offer, location) pair behind a service_at_location id (see mapping.ts serviceAtLocationId). */
export async function findServiceAtLocation(sql: SqlExecutor, id: string, prefix: string): Promise<{ offer_id: string; location_id: string } | undefined> {
  const [row] = await sql.query<{ offer_id: string; location_id: string }>(
    `SELECT x.offer_id, x.location_id FROM offer_location x JOIN offer o ON o.id = x.offer_id
      WHERE md5($2 || x.offer_id::text || ':' || x.location_id::text)::uuid = $1::uuid AND ${PUBLIC_OFFER_SQL}`,
    [id, prefix],
  );
  return row;
}
