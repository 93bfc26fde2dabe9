// Planning, the pure step of an offer write: from the validated items and the stored offers
// (both already loaded), what happens to each offer and slot, and the result entries. No I/O:
// ids of new rows come from `newId`, so a test can plan without a database.
import { randomUUID } from 'node:crypto';
import { canonicalJson } from '../../canonical-json.js';
import { ConflictError, WriteError } from '../errors.js';
import { SLOT_VALUES } from './columns.js';
import type { DeletedOffer, DoomedOffer, ExistingOffer, FieldChange, Item, OfferItemResult, OfferPlan, StoredSlotValues, ValidItem } from './types.js';

/**
 * A slot's values as one comparable string, for a stored slot and a planned one alike: timestamps
 * as ISO strings, JSON canonical. A fixed-order tuple: cheaper than canonical JSON of an object,
 * and as exact.
 */
export function slotSignature(slot: StoredSlotValues): string {
  return JSON.stringify(
    SLOT_VALUES.map(({ field, type }) => {
      const value = slot[field];
      if (value === null || value === undefined) return null;
      if (type === 'timestamptz') return new Date(value as string).toISOString();
      if (type === 'jsonb') return canonicalJson(value);
      return value;
    }),
  );
}

/**
 * Decides per valid item. UNCHANGED: the offer exists, is not deleted, its content_hash equals
 * the input's, and its live slots are exactly the input's (seats changed by updateSlotSeats in the
 * meantime make it UPDATED, so the partner's system stays the source of truth). A soft-deleted
 * offer that is sent again is revived and reported UPDATED (same id, version + 1), not CREATED:
 * it is the same offer to every mirror and every link.
 *
 * `expectedVersions` (upsertOffer) throws ConflictError when the stored version differs.
 */
export function planItems(
  items: readonly Item[],
  existing: ReadonlyMap<string, ExistingOffer>,
  expectedVersions?: ReadonlyMap<number, number>,
  newId: () => string = randomUUID,
): OfferPlan[] {
  const plans: OfferPlan[] = [];
  for (const item of items) {
    if (item.errors.length > 0 || !item.normalised || !item.hash || !item.resolved) continue;
    const valid = item as ValidItem;
    const stored = existing.get(valid.normalised.externalId);
    const expected = expectedVersions?.get(item.index);
    if (expected !== undefined && stored?.version !== expected) {
      throw new ConflictError('Offer', stored?.id ?? valid.normalised.externalId, expected, stored?.version ?? null);
    }
    const locationIds = valid.resolved.slotLocations;
    const slotRows = valid.normalised.slots.map((slot) => ({
      ...slot,
      id: '',
      version: 1,
      locationId: slot.locationExternalId ? (locationIds.get(slot.locationExternalId) ?? null) : null,
    }));
    if (!stored) {
      plans.push({
        item: valid,
        status: 'CREATED',
        id: newId(),
        version: 1,
        expectedVersion: null,
        slotCreates: slotRows.map((slot) => ({ ...slot, id: newId() })),
        slotUpdates: [],
        slotDeletes: [],
      });
      continue;
    }
    const storedSlots = new Map(stored.slots.map((s) => [s.externalId, s]));
    const plan: OfferPlan = {
      item: valid,
      status: 'UPDATED',
      id: stored.id,
      version: stored.version + 1,
      expectedVersion: stored.version,
      slotCreates: [],
      slotUpdates: [],
      slotDeletes: [],
    };
    for (const slot of slotRows) {
      const current = storedSlots.get(slot.externalId);
      if (!current) plan.slotCreates.push({ ...slot, id: newId() });
      else if (current.deleted || slotSignature(current.values) !== slotSignature(slot)) {
        plan.slotUpdates.push({ ...slot, id: current.id, version: current.version + 1 });
      }
    }
    const sent = new Set(slotRows.map((s) => s.externalId));
    for (const current of stored.slots) {
      if (!current.deleted && !sent.has(current.externalId)) plan.slotDeletes.push({ id: current.id, version: current.version + 1 });
    }
    const slotsChanged = plan.slotCreates.length + plan.slotUpdates.length + plan.slotDeletes.length > 0;
    if (!stored.deleted && stored.contentHash === valid.hash && !slotsChanged) {
      plans.push({ ...plan, status: 'UNCHANGED', version: stored.version, expectedVersion: null });
    } else plans.push(plan);
  }
  return plans;
}

/**
 * Result entries in input order: planned items plus failed ones. `dryRun` hides ids not yet
 * created; `changes` holds what each UPDATED plan changes (by its item's index).
 */
export function itemResults(
  items: readonly Item[],
  plans: readonly OfferPlan[],
  existing: ReadonlyMap<string, ExistingOffer>,
  dryRun: boolean,
  changes: ReadonlyMap<number, FieldChange[]> = new Map(),
): OfferItemResult[] {
  const byIndex = new Map(plans.map((plan) => [plan.item.index, plan]));
  return items.map((item) => {
    const title = item.parsed?.translations.find((t) => t.language === 'de')?.title ?? null;
    const plan = byIndex.get(item.index);
    if (plan) {
      return {
        index: item.index,
        externalId: item.externalId,
        id: dryRun && plan.status === 'CREATED' ? null : plan.id,
        status: plan.status,
        version: plan.version,
        userErrors: [],
        title,
        changes: plan.status === 'UPDATED' ? (changes.get(item.index) ?? []) : [],
      };
    }
    const stored = item.externalId !== null ? existing.get(item.externalId) : undefined;
    return {
      index: item.index,
      externalId: item.externalId,
      id: stored?.id ?? null,
      status: 'FAILED',
      version: stored?.version ?? null,
      userErrors: item.errors,
      title,
      changes: [],
    };
  });
}

/** The deletion limits of a FULL batch (`maxDeletions`, `maxDeleteRatio`), null when not set. */
export interface DeletionLimits {
  maxDeletions: number | null;
  maxDeleteRatio: number | null;
}

/**
 * Refuses a FULL batch (nothing of it is written) whose deletions, out of the provider's `offers`
 * live ones, exceed its limits.
 */
export function checkDeletionLimits(doomed: readonly DoomedOffer[], offers: number, { maxDeletions, maxDeleteRatio }: DeletionLimits): void {
  const deletions = doomed.length;
  const overCount = maxDeletions !== null && deletions > maxDeletions;
  const overShare = maxDeleteRatio !== null && deletions > maxDeleteRatio * offers;
  if (!overCount && !overShare) return;
  const share = offers === 0 ? 0 : Math.round((deletions / offers) * 1000) / 10;
  const limit = overCount ? `maxDeletions is ${maxDeletions}` : `maxDeleteRatio is ${maxDeleteRatio} (${Math.floor((maxDeleteRatio ?? 0) * offers)} offers)`;
  throw new WriteError(
    'TOO_MANY_DELETIONS',
    `This FULL sync would delete ${deletions} of the provider's ${offers} offers (${share} %), but ${limit}; nothing was written. Check that the list is complete, or raise the limit.`,
    {
      field: overCount ? 'maxDeletions' : 'maxDeleteRatio',
      data: { deletions, offers, maxDeletions, maxDeleteRatio, externalIds: doomed.slice(0, 10).map((o) => o.externalId) },
    },
  );
}

/**
 * FULL mode's DELETED entries, by externalId: what the delete did (`deleted`, with the titles
 * read before it), or in a dry run (`deleted` null) what it would do to `doomed`.
 */
export function deletionResults(doomed: readonly DoomedOffer[], deleted: readonly DeletedOffer[] | null): OfferItemResult[] {
  const entry = (o: { id: string; externalId: string; version: number }, title: string | null): OfferItemResult => ({
    index: null,
    externalId: o.externalId,
    id: o.id,
    status: 'DELETED',
    version: o.version,
    userErrors: [],
    title,
    changes: [],
  });
  if (deleted === null) return doomed.map((o) => entry({ ...o, version: o.version + 1 }, o.title));
  const titles = new Map(doomed.map((o) => [o.id, o.title]));
  return [...deleted].sort((a, b) => (a.externalId < b.externalId ? -1 : a.externalId > b.externalId ? 1 : 0)).map((o) => entry(o, titles.get(o.id) ?? null));
}
