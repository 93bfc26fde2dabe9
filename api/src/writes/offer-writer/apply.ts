// Applying, the last step of an offer write: the planned rows with one bulk statement per table,
// and soft deletes. Returns the change-log entries for the caller to append (last, see
// change-log.ts). Runs on the caller's transaction; nothing here opens connections or calls Prisma.
import type { ChangeAction, SqlExecutor } from '@pakt/db';
import type { ChangeInput } from '../change-log.js';
import { geoSql, searchVectorSql } from '@pakt/db/search-columns';
import { recordset, withRows } from '../sql.js';
import {
  type Child,
  type OfferSlot,
  type Table,
  COURSE_DETAILS,
  LOCATION,
  OFFER,
  OFFER_CHILDREN,
  OFFER_COST_EXEMPTION,
  OFFER_COST_OPTION,
  OFFER_ELIGIBILITY,
  OFFER_LANGUAGE,
  OFFER_LOCATION,
  OFFER_SERVICE_AREA,
  OFFER_TARGET_GROUP,
  OFFER_TRANSLATION,
  SLOT,
} from './columns.js';
import type { DeletedOffer, OfferPlan, ProviderRef, ResolvedLocation } from './types.js';

/**
 * Writes the CREATED and UPDATED plans with one statement per table, and returns the change-log
 * entries to append (offer first, then its slots, in input order). Updates are conditional on the
 * version that was read (`WHERE id = x.id AND version = x.expected_version`); a mismatch means a
 * concurrent writer bypassed the locks, and the whole transaction is rolled back.
 */
export async function applyPlans(sql: SqlExecutor, provider: ProviderRef, plans: readonly OfferPlan[]): Promise<ChangeInput[]> {
  const writes = plans.filter((plan) => plan.status !== 'UNCHANGED');
  if (writes.length === 0) return [];
  const creates = writes.filter((plan) => plan.status === 'CREATED');
  const updates = writes.filter((plan) => plan.status === 'UPDATED');

  // Locations (shared by the provider's offers): insert new ones, rewrite changed ones.
  const locations = new Map<string, ResolvedLocation>();
  for (const plan of writes) for (const location of plan.item.resolved.locations) locations.set(location.externalId, location);
  const stored = LOCATION.content.map((name) => `location.${name}`).join(', ');
  const sent = LOCATION.content.map((name) => `excluded.${name}`).join(', ');
  await withRows(
    sql,
    `${LOCATION.insert({ provider_id: '$2::uuid' })}
     ON CONFLICT (provider_id, external_id) DO UPDATE SET ${LOCATION.content.map((name) => `${name} = excluded.${name}`).join(', ')}
     WHERE (${stored}) IS DISTINCT FROM (${sent})`,
    LOCATION.rows([...locations.values()]),
    [provider.id],
  );

  const computed = { geo: geoSql('x.latitude', 'x.longitude'), search_vector: searchVectorSql('x.search_text') };
  await withRows(
    sql,
    OFFER.insert({ provider_id: '$2::uuid', updated_at: 'now()', published_at: `CASE WHEN x.status = 'PUBLISHED' THEN now() END`, ...computed }),
    OFFER.rows(creates),
    [provider.id],
  );
  const updated = await withRows<{ id: string }>(
    sql,
    `UPDATE offer o SET ${OFFER.assignments({
      deleted_at: 'NULL',
      updated_at: 'now()',
      ...computed,
      published_at: `CASE WHEN x.status <> 'PUBLISHED' THEN o.published_at
                          WHEN o.status = 'PUBLISHED' AND o.deleted_at IS NULL AND o.published_at IS NOT NULL THEN o.published_at
                          ELSE now() END`,
    })}
       FROM ${OFFER.recordset()}
      WHERE o.id = x.id AND o.version = x.expected_version
      RETURNING o.id`,
    OFFER.rows(updates),
  );
  if (updated.length !== updates.length) {
    throw new Error(`Concurrent modification: ${updates.length - updated.length} offer(s) changed version during the write; the batch was rolled back.`);
  }

  // Children: replace wholesale for updated offers.
  const updatedIds = updates.map((plan) => plan.id);
  if (updatedIds.length > 0) {
    // One statement: each table's DELETE in a CTE of its own.
    const [first, ...rest] = OFFER_CHILDREN.map((table) => `DELETE FROM ${table.name} WHERE offer_id = ANY($1::uuid[])`);
    await sql.query(`WITH ${rest.map((statement, i) => `c${i} AS (${statement})`).join(', ')} ${first}`, [updatedIds]);
  }
  const insertChildren = <T>(table: Table<Child<T>>, list: (plan: OfferPlan) => readonly T[]) =>
    withRows(sql, table.insert(), table.rows(writes.flatMap((plan) => list(plan).map((value, position) => ({ offerId: plan.id, value, position })))));
  await insertChildren(OFFER_TRANSLATION, (plan) => plan.item.normalised.translations);
  await insertChildren(OFFER_LANGUAGE, (plan) => plan.item.normalised.languages);
  await insertChildren(OFFER_TARGET_GROUP, (plan) => plan.item.normalised.targetGroups);
  await insertChildren(OFFER_LOCATION, (plan) => plan.item.resolved.locations.map((l) => l.id));
  await insertChildren(COURSE_DETAILS, (plan) => (plan.item.normalised.courseDetails ? [plan.item.normalised.courseDetails] : []));
  await insertChildren(OFFER_ELIGIBILITY, (plan) => (plan.item.normalised.eligibilityDetails ? [plan.item.normalised.eligibilityDetails] : []));
  await insertChildren(OFFER_COST_OPTION, (plan) => plan.item.normalised.costOptions ?? []);
  await insertChildren(OFFER_COST_EXEMPTION, (plan) => plan.item.normalised.costExemptions ?? []);
  await insertChildren(OFFER_SERVICE_AREA, (plan) => plan.item.resolved.serviceArea);

  // Slots.
  const slotsOf = (list: (plan: OfferPlan) => OfferPlan['slotCreates']): OfferSlot[] =>
    writes.flatMap((plan) => list(plan).map((slot) => ({ ...slot, offerId: plan.id })));
  await withRows(
    sql,
    SLOT.insert({ updated_at: 'now()', seats_updated_at: 'CASE WHEN x.seats_available IS NOT NULL THEN now() END' }),
    SLOT.rows(slotsOf((plan) => plan.slotCreates)),
  );
  // Slot versions come from the rows (version + 1), not from what was read: seat updates do not
  // take the offer's lock, so a slot may have moved on since loadExistingOffers.
  const slotUpdates = SLOT.rows(slotsOf((plan) => plan.slotUpdates));
  const updatedSlots = await withRows<{ id: string; version: number }>(
    sql,
    `UPDATE slot s SET ${SLOT.assignments({
      version: 's.version + 1',
      deleted_at: 'NULL',
      updated_at: 'now()',
      seats_updated_at: 'CASE WHEN s.seats_available IS DISTINCT FROM x.seats_available THEN now() ELSE s.seats_updated_at END',
    })}
       FROM ${SLOT.recordset()}
      WHERE s.id = x.id AND s.offer_id = x.offer_id
      RETURNING s.id, s.version`,
    slotUpdates,
  );
  if (updatedSlots.length !== slotUpdates.length) throw new Error('Concurrent modification of slots; the batch was rolled back.');
  const deletedSlots = await withRows<{ id: string; version: number }>(
    sql,
    `UPDATE slot s SET deleted_at = now(), updated_at = now(), version = s.version + 1
       FROM ${recordset(1, { id: 'uuid' })} WHERE s.id = x.id
      RETURNING s.id, s.version`,
    writes.flatMap((plan) => plan.slotDeletes.map((slot) => ({ id: slot.id }))),
  );
  const slotVersions = new Map([...updatedSlots, ...deletedSlots].map((row) => [row.id, row.version]));

  const changes: ChangeInput[] = [];
  for (const plan of writes) {
    const base = { offerId: plan.id, providerId: provider.id };
    changes.push({ ...base, entity: 'OFFER', entityId: plan.id, action: plan.status as ChangeAction, version: plan.version });
    for (const slot of plan.slotCreates) changes.push({ ...base, entity: 'SLOT', entityId: slot.id, action: 'CREATED', version: slot.version });
    for (const slot of plan.slotUpdates)
      changes.push({ ...base, entity: 'SLOT', entityId: slot.id, action: 'UPDATED', version: slotVersions.get(slot.id) ?? slot.version });
    for (const slot of plan.slotDeletes)
      changes.push({ ...base, entity: 'SLOT', entityId: slot.id, action: 'DELETED', version: slotVersions.get(slot.id) ?? slot.version });
  }
  return changes;
}

/** Soft-deleted offers and the change-log entries for them and their slots. */
export interface SoftDeleted {
  offers: DeletedOffer[];
  changes: ChangeInput[];
}

/**
 * deleteOffer: soft-deletes the live offer `id` if it belongs to one of `providerIds`
 * and (when `expectedVersion` is given) has that version; otherwise deletes nothing.
 */
export function softDeleteOffer(
  sql: SqlExecutor,
  { id, providerIds, expectedVersion }: { id: string; providerIds: readonly string[]; expectedVersion: number | null },
): Promise<SoftDeleted> {
  return softDelete(sql, `id = $1 AND provider_id = ANY($2::uuid[]) AND ($3::int IS NULL OR version = $3::int)`, [id, providerIds, expectedVersion]);
}

/** FULL sync: soft-deletes the provider's live offers whose externalId is not in `keep`. */
export function softDeleteOffersNotIn(sql: SqlExecutor, providerId: string, keep: readonly string[]): Promise<SoftDeleted> {
  return softDelete(sql, `provider_id = $1 AND NOT (external_id = ANY($2::text[]))`, [providerId, keep]);
}

/**
 * Soft-deletes the live offers `where` selects (deleted_at, version + 1) and their live slots.
 * Private: `where` is one of the constant conditions above, never text from a caller.
 */
async function softDelete(sql: SqlExecutor, where: string, params: unknown[]): Promise<SoftDeleted> {
  const offers = await sql.query<{ id: string; external_id: string; provider_id: string; version: number }>(
    `UPDATE offer SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE deleted_at IS NULL AND (${where})
     RETURNING id, external_id, provider_id, version`,
    params,
  );
  if (offers.length === 0) return { offers: [], changes: [] };
  const slots = await sql.query<{ id: string; offer_id: string; version: number }>(
    `UPDATE slot SET deleted_at = now(), updated_at = now(), version = version + 1 WHERE offer_id = ANY($1::uuid[]) AND deleted_at IS NULL
     RETURNING id, offer_id, version`,
    [offers.map((o) => o.id)],
  );
  const slotsByOffer = new Map<string, typeof slots>();
  for (const slot of slots) slotsByOffer.set(slot.offer_id, [...(slotsByOffer.get(slot.offer_id) ?? []), slot]);
  const changes: ChangeInput[] = [];
  for (const offer of offers) {
    changes.push({ entity: 'OFFER', entityId: offer.id, offerId: offer.id, providerId: offer.provider_id, action: 'DELETED', version: offer.version });
    for (const slot of slotsByOffer.get(offer.id) ?? []) {
      changes.push({ entity: 'SLOT', entityId: slot.id, offerId: offer.id, providerId: offer.provider_id, action: 'DELETED', version: slot.version });
    }
  }
  return {
    offers: offers.map((o) => ({ id: o.id, externalId: o.external_id, providerId: o.provider_id, version: o.version })),
    changes,
  };
}
