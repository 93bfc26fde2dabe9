// Data the fault tests share: a provider of their own with a key, offers to sync, and the GraphQL
// operations they send.
import type { Database } from '@pakt/db';
import { createApiKey } from '../../../api/src/auth/key-admin.js';

/** Creates a provider (no umbrella) and a key for it with OFFERS_WRITE; returns the key. */
export async function providerWithKey(db: Database, slug: string): Promise<string> {
  await db.sql.query(`INSERT INTO provider (id, slug, name, kind, updated_at) VALUES (gen_random_uuid(), $1, $2, 'OTHER', now())`, [
    slug,
    `Testträger ${slug}`,
  ]);
  const { key } = await createApiKey(db, { kind: 'operator' }, { providerSlug: slug, scopes: ['OFFERS_WRITE', 'SLOTS_WRITE'] });
  return key;
}

/** A small valid offer in Stuttgart with one slot. */
export function offer(externalId: string, title: string) {
  return {
    externalId,
    category: 'LANGUAGE_COURSE' as const,
    municipalityAgs: '08111000',
    translations: [{ language: 'de', title }],
    slots: [{ externalId: `${externalId}-1`, startsAt: '2027-03-01T09:00:00+01:00', capacity: 12, seatsAvailable: 5 }],
  };
}

export const PROVIDER_OFFERS = `query ProviderOffers($slug: String!) {
  provider(slug: $slug) { offers(first: 100) { edges { node { id externalId title { value } } } } }
}`;

export const SYNC = `mutation Sync($input: SyncOffersInput!) {
  syncOffers(input: $input) { replayed results { externalId status userErrors { code message } } }
}`;

/**
 * Offers of a provider as stored: externalId → German title, and the duplicates a replayed write
 * would leave: externalIds with more than one live row, and offers created more than once in the
 * change log.
 */
export async function storedOffers(db: Database, slug: string): Promise<{ titles: Map<string, string>; duplicates: string[] }> {
  const rows = await db.sql.query<{ external_id: string; title: string; created: number }>(
    `SELECT o.external_id, t.title,
            (SELECT count(*)::int FROM change_log c WHERE c.entity = 'OFFER' AND c.entity_id = o.id AND c.action = 'CREATED') AS created
       FROM offer o JOIN provider p ON p.id = o.provider_id
       LEFT JOIN offer_translation t ON t.offer_id = o.id AND t.language_code = 'de'
      WHERE p.slug = $1 AND o.deleted_at IS NULL`,
    [slug],
  );
  const titles = new Map<string, string>();
  const duplicates: string[] = [];
  for (const row of rows) {
    if (titles.has(row.external_id) || row.created > 1) duplicates.push(row.external_id);
    titles.set(row.external_id, row.title);
  }
  return { titles, duplicates };
}
