// Loading, the reads of an offer write: the reference data its inputs name (one query for the
// whole batch), the provider's stored offers with their slots, and (FULL mode) the live offers
// the batch would delete. Run on the caller's transaction, under the provider's lock when writing.
import type { SqlExecutor } from '@pakt/db';
import { SLOT_VALUES } from './columns.js';
import type { DoomedOffer, ExistingOffer, Item, StoredSlotValues } from './types.js';

interface Municipality {
  ags: string;
  name: string;
  latitude: number;
  longitude: number;
}

interface StoredLocation {
  id: string;
  external_id: string;
}

export interface ReferenceData {
  municipalities: Map<string, Municipality>;
  languages: Set<string>;
  targetGroups: Set<string>;
  programmes: Map<string, string>;
  /** The provider's existing locations by externalId → id. */
  locations: Map<string, string>;
}

/** The municipalities, languages, target groups, programmes and provider locations the batch names. */
export async function loadReferenceData(sql: SqlExecutor, providerId: string, items: readonly Item[]): Promise<ReferenceData> {
  const ags = new Set<string>();
  const languages = new Set<string>();
  const targetGroups = new Set<string>();
  const programmes = new Set<string>();
  const locations = new Set<string>();
  for (const { parsed } of items) {
    if (!parsed) continue;
    if (parsed.municipalityAgs) ags.add(parsed.municipalityAgs);
    for (const location of parsed.locations) {
      ags.add(location.municipalityAgs);
      locations.add(location.externalId);
    }
    for (const t of parsed.translations) languages.add(t.language);
    for (const code of parsed.languages) languages.add(code);
    for (const code of parsed.targetGroups) targetGroups.add(code);
    if (parsed.programmeSlug) programmes.add(parsed.programmeSlug);
    for (const slot of parsed.slots) if (slot.locationExternalId) locations.add(slot.locationExternalId);
  }
  const [row] = await sql.query<{
    municipalities: Municipality[];
    languages: string[];
    target_groups: string[];
    programmes: { id: string; slug: string }[];
    locations: StoredLocation[];
  }>(
    `SELECT
       (SELECT COALESCE(jsonb_agg(jsonb_build_object('ags', ags, 'name', name, 'latitude', latitude, 'longitude', longitude)), '[]')
          FROM municipality WHERE ags = ANY($1::text[])) AS municipalities,
       (SELECT COALESCE(jsonb_agg(code), '[]') FROM language WHERE code = ANY($2::text[])) AS languages,
       (SELECT COALESCE(jsonb_agg(code), '[]') FROM target_group WHERE code = ANY($3::text[])) AS target_groups,
       (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'slug', slug)), '[]') FROM programme WHERE slug = ANY($4::text[])) AS programmes,
       (SELECT COALESCE(jsonb_agg(jsonb_build_object('id', id, 'external_id', external_id)), '[]')
          FROM location WHERE provider_id = $5::uuid AND external_id = ANY($6::text[])) AS locations`,
    [[...ags], [...languages], [...targetGroups], [...programmes], providerId, [...locations]],
  );
  if (!row) throw new Error('reference lookup returned no row');
  return {
    municipalities: new Map(row.municipalities.map((m) => [m.ags, m])),
    languages: new Set(row.languages),
    targetGroups: new Set(row.target_groups),
    programmes: new Map(row.programmes.map((p) => [p.slug, p.id])),
    locations: new Map(row.locations.map((l) => [l.external_id, l.id])),
  };
}

/** json → StoredSlotValues: timestamps as ISO strings, like SlotContent's. */
function storedSlotValues(row: Record<string, unknown>): StoredSlotValues {
  const values: Record<string, unknown> = {};
  for (const { field, type } of SLOT_VALUES) {
    const value = row[field] ?? null;
    values[field] = type === 'timestamptz' && value !== null ? new Date(value as string).toISOString() : value;
  }
  return values as unknown as StoredSlotValues;
}

const SLOT_VALUES_JSON = SLOT_VALUES.map(({ field, name }) => `'${field}', s.${name}`).join(', ');

/**
 * Loads the provider's offers with these externalIds, with all their slots (deleted ones too, to
 * revive them), in one query. With `lock`, the offer rows stay locked until the transaction ends.
 */
export async function loadExistingOffers(
  sql: SqlExecutor,
  providerId: string,
  externalIds: readonly string[],
  lock: boolean,
): Promise<Map<string, ExistingOffer>> {
  if (externalIds.length === 0) return new Map();
  const rows = await sql.query<{
    id: string;
    external_id: string;
    version: number;
    content_hash: string | null;
    status: string;
    deleted: boolean;
    slots: { id: string; external_id: string; version: number; deleted: boolean; values: Record<string, unknown> }[];
  }>(
    `SELECT o.id, o.external_id, o.version, o.content_hash, o.status::text AS status, o.deleted_at IS NOT NULL AS deleted,
            COALESCE((SELECT json_agg(json_build_object(
                        'id', s.id, 'external_id', s.external_id, 'version', s.version, 'deleted', s.deleted_at IS NOT NULL,
                        'values', json_build_object(${SLOT_VALUES_JSON})))
                        FROM slot s WHERE s.offer_id = o.id), '[]'::json) AS slots
       FROM offer o
      WHERE o.provider_id = $1 AND o.external_id = ANY($2::text[])
      ${lock ? 'FOR UPDATE OF o' : ''}`,
    [providerId, [...externalIds]],
  );
  return new Map(
    rows.map((row) => [
      row.external_id,
      {
        id: row.id,
        externalId: row.external_id,
        version: row.version,
        contentHash: row.content_hash,
        status: row.status,
        deleted: row.deleted,
        slots: row.slots.map((s) => ({ id: s.id, externalId: s.external_id, version: s.version, deleted: s.deleted, values: storedSlotValues(s.values) })),
      },
    ]),
  );
}

/** The provider's live offers (FULL mode: what `maxDeleteRatio` is a share of). */
export async function countLiveOffers(sql: SqlExecutor, providerId: string): Promise<number> {
  const [live] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM offer WHERE provider_id = $1 AND deleted_at IS NULL`, [providerId]);
  return live?.n ?? 0;
}

/** FULL mode: the provider's live offers whose externalId is not in `kept`, by externalId, with their German titles. */
export async function loadDoomedOffers(sql: SqlExecutor, providerId: string, kept: readonly string[]): Promise<DoomedOffer[]> {
  return sql.query<DoomedOffer>(
    `SELECT o.id, o.external_id AS "externalId", o.version, t.title
       FROM offer o LEFT JOIN offer_translation t ON t.offer_id = o.id AND t.language_code = 'de'
      WHERE o.provider_id = $1 AND o.deleted_at IS NULL AND NOT (o.external_id = ANY($2::text[])) ORDER BY o.external_id`,
    [providerId, kept],
  );
}
