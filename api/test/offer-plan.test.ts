// The plan step of an offer write without a database: what happens to each offer and slot given
// the validated items and the stored rows, the result entries, and FULL mode's deletions.
import { describe, expect, it } from 'vitest';
import { ConflictError, WriteError } from '../src/writes/errors.js';
import { contentHash, normaliseOffer, parseOfferInput, type OfferInput } from '../src/writes/offer-input.js';
import { checkDeletionLimits, deletionResults, itemResults, planItems, slotSignature } from '../src/writes/offer-writer/plan.js';
import type { DoomedOffer, ExistingOffer, Item } from '../src/writes/offer-writer/types.js';
import { offerInput } from './writes-fixture.js';

const LOCATION_ID = '00000000-0000-4000-8000-00000000000a';

/** A validated item, as prepareItems leaves it (references resolved by hand). */
function validItem(index: number, input: OfferInput): Item {
  const { offer, errors } = parseOfferInput(input, `offers[${index}]`);
  if (!offer) throw new Error(`invalid test input: ${JSON.stringify(errors)}`);
  const normalised = normaliseOffer(offer);
  return {
    index,
    base: `offers[${index}]`,
    externalId: offer.externalId,
    errors: [],
    parsed: offer,
    normalised,
    hash: contentHash(normalised),
    resolved: {
      municipalityAgs: '08111000',
      latitude: 48.78,
      longitude: 9.18,
      programmeId: null,
      locations: [],
      slotLocations: new Map([['loc-main', LOCATION_ID]]),
      searchText: 'Deutschkurs',
      serviceArea: [],
    },
  };
}

function failedItem(index: number, externalId: string): Item {
  return { index, base: `offers[${index}]`, externalId, errors: [{ field: `offers[${index}].category`, code: 'INVALID_VALUE', message: 'bad' }], parsed: null };
}

/**
 * The offer as stored after writing `item` at `version`: the form PostgreSQL hands back
 * (timestamps with +00:00, jsonb keys in its own order), which must compare equal.
 */
function storedAs(item: Item, version: number, id = `offer-${item.externalId}`): ExistingOffer {
  const normalised = item.normalised!;
  return {
    id,
    externalId: normalised.externalId,
    version,
    contentHash: item.hash!,
    status: normalised.status,
    deleted: false,
    slots: normalised.slots.map((slot) => ({
      id: `slot-${slot.externalId}`,
      externalId: slot.externalId,
      version: 3,
      deleted: false,
      values: {
        startsAt: slot.startsAt.replace('.000Z', '+00:00'),
        endsAt: slot.endsAt,
        schedule: slot.schedule?.map(({ day, from, to }) => ({ to, from, day })) ?? null,
        rollingEntry: slot.rollingEntry,
        capacity: slot.capacity,
        seatsAvailable: slot.seatsAvailable,
        waitingList: slot.waitingList,
        registrationDeadline: slot.registrationDeadline,
        status: slot.status,
        locationId: slot.locationExternalId ? LOCATION_ID : null,
      },
    })),
  };
}

let counter = 0;
const newId = () => `new-${++counter}`;

describe('planItems', () => {
  it('creates an offer that is not stored, with all its slots, at version 1', () => {
    const item = validItem(0, offerInput('a'));
    const [plan] = planItems([item], new Map(), undefined, newId);
    expect(plan).toMatchObject({ status: 'CREATED', version: 1, expectedVersion: null, slotUpdates: [], slotDeletes: [] });
    expect(plan!.id).toMatch(/^new-/);
    expect(plan!.slotCreates.map((s) => [s.externalId, s.version, s.locationId])).toEqual([
      ['s1', 1, LOCATION_ID],
      ['s2', 1, null],
    ]);
    expect(new Set(plan!.slotCreates.map((s) => s.id)).size).toBe(2);
  });

  it('leaves an offer whose content hash and live slots equal the input UNCHANGED (no version bump)', () => {
    const item = validItem(0, offerInput('a'));
    const [plan] = planItems([item], new Map([['a', storedAs(item, 4)]]), undefined, newId);
    expect(plan).toMatchObject({ status: 'UNCHANGED', id: 'offer-a', version: 4, expectedVersion: null, slotCreates: [], slotUpdates: [], slotDeletes: [] });
  });

  it('updates an offer whose content changed: version + 1, conditional on the stored version', () => {
    const stored = storedAs(validItem(0, offerInput('a')), 4);
    const item = validItem(0, offerInput('a', { cost: '10 € pro Monat' }));
    const [plan] = planItems([item], new Map([['a', stored]]), undefined, newId);
    expect(plan).toMatchObject({ status: 'UPDATED', id: 'offer-a', version: 5, expectedVersion: 4, slotCreates: [], slotUpdates: [], slotDeletes: [] });
  });

  it('adds, changes and removes slots; a slot change alone makes the offer UPDATED', () => {
    const before = validItem(0, offerInput('a'));
    const stored = storedAs(before, 2);
    stored.slots.push({ ...stored.slots[0]!, id: 'slot-gone', externalId: 'gone', version: 7 });
    // Seats changed by updateSlotSeats meanwhile: the partner's input wins again.
    stored.slots[0]!.values.seatsAvailable = 1;
    const input = offerInput('a');
    input.slots = [...(input.slots ?? []), { externalId: 's3', startsAt: '2026-10-05T09:00:00+02:00' }];
    const item = validItem(0, input);
    item.hash = before.hash!; // same offer content: only the slots differ
    const [plan] = planItems([item], new Map([['a', stored]]), undefined, newId);
    expect(plan!.status).toBe('UPDATED');
    expect(plan!.version).toBe(3);
    expect(plan!.slotCreates.map((s) => s.externalId)).toEqual(['s3']);
    expect(plan!.slotUpdates.map((s) => [s.externalId, s.id, s.version, s.seatsAvailable])).toEqual([['s1', 'slot-s1', 4, 5]]);
    expect(plan!.slotDeletes).toEqual([{ id: 'slot-gone', version: 8 }]);
  });

  it('revives a deleted offer and a deleted slot sent again (same ids, UPDATED); leaves deleted slots not sent alone', () => {
    const item = validItem(0, offerInput('a'));
    const stored = storedAs(item, 6);
    stored.deleted = true;
    stored.slots[1]!.deleted = true;
    stored.slots.push({ ...stored.slots[0]!, id: 'slot-old', externalId: 'old', deleted: true });
    const [plan] = planItems([item], new Map([['a', stored]]), undefined, newId);
    expect(plan).toMatchObject({ status: 'UPDATED', id: 'offer-a', version: 7, expectedVersion: 6, slotCreates: [], slotDeletes: [] });
    expect(plan!.slotUpdates.map((s) => [s.externalId, s.id])).toEqual([['s2', 'slot-s2']]);
  });

  it('skips failed items and throws ConflictError when an expected version differs', () => {
    const item = validItem(1, offerInput('b'));
    expect(planItems([failedItem(0, 'a'), item], new Map(), undefined, newId).map((p) => p.item.index)).toEqual([1]);
    const stored = storedAs(item, 3);
    expect(() => planItems([item], new Map([['b', stored]]), new Map([[1, 2]]), newId)).toThrow(ConflictError);
    expect(planItems([item], new Map([['b', stored]]), new Map([[1, 3]]), newId)[0]!.status).toBe('UNCHANGED');
  });
});

describe('slotSignature', () => {
  it('is the same for a stored slot and the input it was written from, and differs when a value does', () => {
    const item = validItem(0, offerInput('a'));
    const stored = storedAs(item, 1).slots[1]!.values;
    const planned = { ...item.normalised!.slots[1]!, locationId: null };
    expect(slotSignature(stored)).toBe(slotSignature(planned));
    expect(slotSignature({ ...stored, waitingList: true })).not.toBe(slotSignature(planned));
  });
});

describe('itemResults', () => {
  it('lists every item in input order: planned ones with their status, failed ones with their errors and stored id', () => {
    const created = validItem(1, offerInput('new'));
    const stored = storedAs(validItem(0, offerInput('a')), 2);
    const plans = planItems([failedItem(0, 'a'), created], new Map([['a', stored]]), undefined, newId);
    const [failed, ok] = itemResults([failedItem(0, 'a'), created], plans, new Map([['a', stored]]), false);
    expect(failed).toMatchObject({ index: 0, status: 'FAILED', id: 'offer-a', version: 2, title: null });
    expect(failed!.userErrors).toHaveLength(1);
    expect(ok).toMatchObject({ index: 1, status: 'CREATED', id: plans[0]!.id, version: 1, title: 'Deutschkurs new', userErrors: [] });
    // A dry run has created nothing: no id to show.
    expect(itemResults([created], plans, new Map(), true)[0]!.id).toBeNull();
  });
});

describe('FULL mode deletions', () => {
  const doomed: DoomedOffer[] = [
    { id: 'id-b', externalId: 'b', version: 1, title: 'B' },
    { id: 'id-c', externalId: 'c', version: 4, title: null },
  ];

  it('refuses a batch beyond maxDeletions or maxDeleteRatio, and allows one at the limit', () => {
    expect(() => checkDeletionLimits(doomed, 10, { maxDeletions: 2, maxDeleteRatio: 0.2 })).not.toThrow();
    const count = (() => {
      try {
        checkDeletionLimits(doomed, 10, { maxDeletions: 1, maxDeleteRatio: null });
      } catch (error) {
        return error;
      }
    })();
    expect(count).toBeInstanceOf(WriteError);
    expect(count).toMatchObject({ code: 'TOO_MANY_DELETIONS', field: 'maxDeletions', data: { deletions: 2, offers: 10, externalIds: ['b', 'c'] } });
    expect(() => checkDeletionLimits(doomed, 10, { maxDeletions: null, maxDeleteRatio: 0.1 })).toThrow(/delete 2 of the provider's 10 offers \(20 %\)/);
  });

  it('reports what a dry run would delete (version + 1) and what a delete did (by externalId, titles read before)', () => {
    expect(deletionResults(doomed, null).map((r) => [r.externalId, r.status, r.version, r.index, r.title])).toEqual([
      ['b', 'DELETED', 2, null, 'B'],
      ['c', 'DELETED', 5, null, null],
    ]);
    const deleted = [
      { id: 'id-c', externalId: 'c', providerId: 'p', version: 5 },
      { id: 'id-b', externalId: 'b', providerId: 'p', version: 2 },
    ];
    expect(deletionResults(doomed, deleted).map((r) => [r.externalId, r.id, r.version, r.title])).toEqual([
      ['b', 'id-b', 2, 'B'],
      ['c', 'id-c', 5, null],
    ]);
  });
});
