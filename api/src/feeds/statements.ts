// The SQL of the RPDE feeds: one statement per page. feed_position (kept by a trigger on
// change_log, see migration 20261201224147_feed_position) holds each offer's and slot's latest
// change sequence; a page is the next `limit` positions after the cursor in (sequence, entity_id)
// order, read from the (entity, sequence, entity_id) index, with everything the JSON-LD needs
// joined in the same statement.
//
// Visibility: an entity appears only if its offer was ever public (`published_at IS NOT NULL`: set
// on the first publish and never cleared), so drafts never appear, not even as tombstones; an
// offer that was public and no longer is (unpublished, archived, deleted) appears as `deleted`.
import type { SqlExecutor } from '@pakt/db';

export interface FeedCursor {
  /** The change-log sequence of the last item read (`afterTimestamp`). */
  sequence: bigint;
  /** Its id (`afterId`); ties on the sequence are ordered by id. */
  id: string;
}

/** Before every position: sequences start at 1. */
export const FEED_START: FeedCursor = { sequence: 0n, id: '00000000-0000-0000-0000-000000000000' };

export interface FeedLocation {
  id: string;
  name: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  municipality: string;
  latitude: number;
  longitude: number;
  accessibility_notes: string | null;
}

export interface FeedTranslation {
  language: string;
  title: string;
  description: string | null;
}

/** What the JSON-LD of an offer needs (also embedded in each of its slots' items). */
export interface FeedOfferData {
  offer_id: string;
  offer_external_id: string;
  category: string;
  modality: 'IN_PERSON' | 'ONLINE' | 'HYBRID';
  latitude: number;
  longitude: number;
  municipality: string;
  eligibility: string | null;
  cost: string | null;
  is_free: boolean;
  /** The structured prices (issue 14's cost options), in their order; null when none are given. */
  cost_options: FeedCostOption[] | null;
  contact_email: string | null;
  contact_phone: string | null;
  website: string | null;
  provider_id: string;
  provider_name: string;
  provider_website: string | null;
  provider_email: string | null;
  provider_phone: string | null;
  programme_slug: string | null;
  programme_name: string | null;
  course_type: string | null;
  cefr_from: string | null;
  cefr_to: string | null;
  translations: FeedTranslation[];
  languages: string[] | null;
  target_groups: string[] | null;
  locations: FeedLocation[] | null;
}

export interface FeedCostOption {
  amount_cents: number;
  currency: string;
  unit: string;
  covers: string | null;
  conditions: string | null;
}

interface Positioned {
  /** bigint as text (pg returns int8 as a string; PGlite as bigint). */
  sequence: string;
  entity_id: string;
  live: boolean;
}

export type OfferRow = Positioned & FeedOfferData;

export interface SlotRow extends Positioned, FeedOfferData {
  starts_at: Date;
  ends_at: Date | null;
  schedule: { day: string; from: string; to: string }[] | null;
  capacity: number | null;
  seats_available: number | null;
  slot_status: 'SCHEDULED' | 'FULL' | 'CANCELLED';
  slot_external_id: string;
  slot_location: FeedLocation | null;
}

const LOCATION_JSON = (alias: string) => `json_build_object(
    'id', ${alias}.id, 'name', ${alias}.name, 'street', ${alias}.street, 'postal_code', ${alias}.postal_code, 'city', ${alias}.city,
    'municipality', (SELECT lm.name FROM municipality lm WHERE lm.ags = ${alias}.municipality_ags),
    'latitude', ${alias}.latitude, 'longitude', ${alias}.longitude, 'accessibility_notes', ${alias}.accessibility_notes)`;

/** Columns of {@link FeedOfferData}, for an `offer o` joined to `provider pr` and `municipality m`. */
const OFFER_COLUMNS = `
       o.id AS offer_id, o.external_id AS offer_external_id, o.category::text AS category, o.modality::text AS modality,
       o.latitude, o.longitude, m.name AS municipality, o.eligibility, o.cost, o.is_free,
       (SELECT json_agg(json_build_object('amount_cents', co.amount_cents, 'currency', co.currency, 'unit', co.unit,
                                          'covers', co.covers, 'conditions', co.conditions) ORDER BY co.position)
          FROM offer_cost_option co WHERE co.offer_id = o.id) AS cost_options,
       o.contact_email, o.contact_phone, o.website,
       pr.id AS provider_id, pr.name AS provider_name, pr.website AS provider_website, pr.email AS provider_email, pr.phone AS provider_phone,
       pg.slug AS programme_slug,
       (SELECT pt.name FROM programme_translation pt WHERE pt.programme_id = pg.id AND pt.language_code = 'de') AS programme_name,
       cd.course_type::text AS course_type, cd.cefr_from::text AS cefr_from, cd.cefr_to::text AS cefr_to,
       (SELECT json_agg(json_build_object('language', t.language_code, 'title', t.title, 'description', t.description)
                        ORDER BY t.language_code = 'de' DESC, t.language_code)
          FROM offer_translation t WHERE t.offer_id = o.id) AS translations,
       (SELECT array_agg(ol.language_code ORDER BY ol.language_code) FROM offer_language ol WHERE ol.offer_id = o.id) AS languages,
       (SELECT array_agg(tg.target_group_code ORDER BY tg.target_group_code) FROM offer_target_group tg WHERE tg.offer_id = o.id) AS target_groups,
       (SELECT json_agg(${LOCATION_JSON('l')} ORDER BY l.name, l.id)
          FROM offer_location x JOIN location l ON l.id = x.location_id WHERE x.offer_id = o.id) AS locations`;

const OFFER_JOINS = `
  JOIN provider pr ON pr.id = o.provider_id
  JOIN municipality m ON m.ags = o.municipality_ags
  LEFT JOIN programme pg ON pg.id = o.programme_id
  LEFT JOIN course_details cd ON cd.offer_id = o.id`;

const OFFERS_PAGE = `
WITH page AS (
  SELECT p.entity_id, p.sequence
    FROM feed_position p JOIN offer o ON o.id = p.entity_id
   WHERE p.entity = 'OFFER' AND (p.sequence, p.entity_id) > ($1::bigint, $2::uuid) AND o.published_at IS NOT NULL
   ORDER BY p.sequence, p.entity_id
   LIMIT $3
)
SELECT page.sequence::text AS sequence, page.entity_id, (o.status = 'PUBLISHED' AND o.deleted_at IS NULL) AS live, ${OFFER_COLUMNS}
  FROM page JOIN offer o ON o.id = page.entity_id ${OFFER_JOINS}
 ORDER BY page.sequence, page.entity_id`;

const SLOTS_PAGE = `
WITH page AS (
  SELECT p.entity_id, p.sequence
    FROM feed_position p JOIN slot s ON s.id = p.entity_id JOIN offer o ON o.id = s.offer_id
   WHERE p.entity = 'SLOT' AND (p.sequence, p.entity_id) > ($1::bigint, $2::uuid) AND o.published_at IS NOT NULL
   ORDER BY p.sequence, p.entity_id
   LIMIT $3
)
SELECT page.sequence::text AS sequence, page.entity_id,
       (s.deleted_at IS NULL AND o.status = 'PUBLISHED' AND o.deleted_at IS NULL) AS live,
       s.starts_at, s.ends_at, s.schedule, s.capacity, s.seats_available, s.status::text AS slot_status, s.external_id AS slot_external_id,
       (SELECT ${LOCATION_JSON('sl')} FROM location sl WHERE sl.id = s.location_id) AS slot_location,
       ${OFFER_COLUMNS}
  FROM page JOIN slot s ON s.id = page.entity_id JOIN offer o ON o.id = s.offer_id ${OFFER_JOINS}
 ORDER BY page.sequence, page.entity_id`;

export function readOffersPage(sql: SqlExecutor, after: FeedCursor, limit: number): Promise<OfferRow[]> {
  return sql.query<OfferRow>(OFFERS_PAGE, [after.sequence.toString(), after.id, limit]);
}

export function readSlotsPage(sql: SqlExecutor, after: FeedCursor, limit: number): Promise<SlotRow[]> {
  return sql.query<SlotRow>(SLOTS_PAGE, [after.sequence.toString(), after.id, limit]);
}
