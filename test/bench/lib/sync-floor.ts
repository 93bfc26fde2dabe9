// The floor of a sync: the same rows written with plain multi-row
// `INSERT … VALUES … ON CONFLICT (…) DO UPDATE`, one statement per table per batch, in one
// transaction per batch, with no validation, no comparison with what is stored, no change log,
// no audit entry and no idempotency record. offer.geo and offer.search_vector are computed in the
// INSERT as the API does (they are part of the row and of its index work).
import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '@pakt/db';
import type { BenchOfferInput } from './offers.js';

/** Tables the floor writes. */
export const FLOOR_TABLES = ['offer', 'offer_translation', 'offer_language', 'offer_target_group', 'slot'] as const;

/** `VALUES (...), (...)` with `$n` placeholders (and casts) for `rows`, numbering from `start`. */
function values(rows: readonly unknown[][], casts: readonly string[], start: number): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const cells = row.map((value, i) => {
      params.push(value);
      return `$${start + params.length - 1}${casts[i] ? `::${casts[i]}` : ''}`;
    });
    return `(${cells.join(', ')})`;
  });
  return { sql: tuples.join(',\n'), params };
}

export interface FloorContext {
  providerId: string;
  providerName: string;
  municipalities: ReadonlyMap<string, { latitude: number; longitude: number }>;
}

/** Writes one batch; returns the rows it sent per table. */
export async function floorWriteBatch(
  sql: SqlExecutor,
  ctx: FloorContext,
  offers: readonly BenchOfferInput[],
): Promise<Record<(typeof FLOOR_TABLES)[number], number>> {
  const offerRows = offers.map((o) => {
    const m = ctx.municipalities.get(o.municipalityAgs);
    if (!m) throw new Error(`unknown AGS ${o.municipalityAgs}`);
    const de = o.translations.find((t) => t.language === 'de')!;
    const searchText = [de.title, de.description, ctx.providerName].join('\n');
    return [randomUUID(), o.externalId, o.category, o.status, o.modality, o.municipalityAgs, m.latitude, m.longitude, o.contactEmail, searchText];
  });
  const v = values(offerRows, ['uuid', 'text', '"OfferCategory"', '"OfferStatus"', '"Modality"', 'text', 'float8', 'float8', 'text', 'text'], 2);
  const ids = await sql.query<{ id: string; external_id: string }>(
    `INSERT INTO offer (id, provider_id, external_id, category, status, modality, municipality_ags, latitude, longitude, contact_email, search_text,
                        is_free, version, updated_at, published_at, geo, search_vector)
     SELECT x.id, $1::uuid, x.external_id, x.category, x.status, x.modality, x.municipality_ags, x.latitude, x.longitude, x.contact_email, x.search_text,
            true, 1, now(), now(), ll_to_earth(x.latitude, x.longitude), to_tsvector('german', x.search_text)
       FROM (VALUES ${v.sql}) AS x(id, external_id, category, status, modality, municipality_ags, latitude, longitude, contact_email, search_text)
     ON CONFLICT (provider_id, external_id) DO UPDATE SET
       category = excluded.category, status = excluded.status, modality = excluded.modality, municipality_ags = excluded.municipality_ags,
       latitude = excluded.latitude, longitude = excluded.longitude, contact_email = excluded.contact_email, search_text = excluded.search_text,
       version = offer.version + 1, updated_at = now(), deleted_at = NULL, geo = excluded.geo, search_vector = excluded.search_vector
     RETURNING id, external_id`,
    [ctx.providerId, ...v.params],
  );
  const idOf = new Map(ids.map((row) => [row.external_id, row.id]));
  const id = (o: BenchOfferInput) => idOf.get(o.externalId)!;

  const translations = offers.flatMap((o) => o.translations.map((t) => [id(o), t.language, t.title, t.description, t.status]));
  const t = values(translations, ['uuid', 'text', 'text', 'text', '"TranslationStatus"'], 1);
  await sql.query(
    `INSERT INTO offer_translation (offer_id, language_code, title, description, status) VALUES ${t.sql}
     ON CONFLICT (offer_id, language_code) DO UPDATE SET title = excluded.title, description = excluded.description, status = excluded.status`,
    t.params,
  );
  const languages = offers.flatMap((o) => o.languages.map((code) => [id(o), code]));
  const l = values(languages, ['uuid', 'text'], 1);
  await sql.query(`INSERT INTO offer_language (offer_id, language_code) VALUES ${l.sql} ON CONFLICT DO NOTHING`, l.params);
  const groups = offers.flatMap((o) => o.targetGroups.map((code) => [id(o), code]));
  const g = values(groups, ['uuid', 'text'], 1);
  await sql.query(`INSERT INTO offer_target_group (offer_id, target_group_code) VALUES ${g.sql} ON CONFLICT DO NOTHING`, g.params);

  const slots = offers.flatMap((o) =>
    o.slots.map((s) => [randomUUID(), id(o), s.externalId, s.startsAt, s.endsAt, s.capacity, s.seatsAvailable, s.seatsAvailable === 0 ? 'FULL' : 'SCHEDULED']),
  );
  const s = values(slots, ['uuid', 'uuid', 'text', 'timestamptz', 'timestamptz', 'int', 'int', '"SlotStatus"'], 1);
  await sql.query(
    `INSERT INTO slot (id, offer_id, external_id, starts_at, ends_at, capacity, seats_available, status, version, updated_at, seats_updated_at)
     SELECT x.id, x.offer_id, x.external_id, x.starts_at, x.ends_at, x.capacity, x.seats_available, x.status, 1, now(), now()
       FROM (VALUES ${s.sql}) AS x(id, offer_id, external_id, starts_at, ends_at, capacity, seats_available, status)
     ON CONFLICT (offer_id, external_id) DO UPDATE SET
       starts_at = excluded.starts_at, ends_at = excluded.ends_at, capacity = excluded.capacity, seats_available = excluded.seats_available,
       status = excluded.status, version = slot.version + 1, updated_at = now(), seats_updated_at = now(), deleted_at = NULL`,
    s.params,
  );
  return {
    offer: offerRows.length,
    offer_translation: translations.length,
    offer_language: languages.length,
    offer_target_group: groups.length,
    slot: slots.length,
  };
}
