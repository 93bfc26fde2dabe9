// Single-offer state changes and seat updates over HTTP: payloads, version conflicts, seat
// rules, and what each write tells the response cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshot } from './writes-fixture.js';
import { SYNC, type WritesApp, createWritesApp, errorOf, offerInput, ok } from './graphql-writes-fixture.js';

let w: WritesApp;
let key: string;
let offerId: string;
let offerUuid: string;
let slotId: string;
let slotUuid: string;

const STATE = (name: string, input: string) => /* GraphQL */ `
  mutation($input: ${input}!) {
    ${name}(input: $input) { offerId externalId version status deleted changed offer { id version } }
  }
`;
const DELETE = STATE('deleteOffer', 'DeleteOfferInput');
const PUBLISH = STATE('publishOffer', 'PublishOfferInput');
const UNPUBLISH = STATE('unpublishOffer', 'UnpublishOfferInput');
const UPDATE_SEATS = /* GraphQL */ `
  mutation($input: UpdateSlotSeatsInput!) {
    updateSlotSeats(input: $input) { slotId offerId seatsAvailable capacity status version slot { id seatsAvailable status version offer { id } } }
  }
`;
const ADJUST_SEATS = /* GraphQL */ `
  mutation($input: AdjustSlotSeatsInput!) {
    adjustSlotSeats(input: $input) { slotId seatsAvailable capacity status version }
  }
`;

beforeAll(async () => {
  w = await createWritesApp();
  key = await w.key('vhs-stuttgart');
  const created = ok(await w.gql<{ syncOffers: { results: { offerId: string }[] } }>(SYNC, { input: { offers: [offerInput('single')] } }, key));
  offerId = created.syncOffers.results[0]?.offerId ?? '';
  const [row] = await w.fx.db.sql.query<{ offer_id: string; slot_id: string }>(
    `SELECT o.id AS offer_id, s.id AS slot_id FROM offer o JOIN slot s ON s.offer_id = o.id WHERE o.external_id = 'single' AND s.external_id = 's1'`,
  );
  offerUuid = row?.offer_id ?? '';
  slotUuid = row?.slot_id ?? '';
  slotId = Buffer.from(`Slot:${slotUuid}`).toString('base64');
});
afterAll(async () => {
  await w?.close();
});

describe('publishOffer, unpublishOffer, deleteOffer', () => {
  it('report the new state, are idempotent, and take global IDs or UUIDs', async () => {
    w.invalidations.length = 0;
    const unpublished = ok(await w.gql<{ unpublishOffer: any }>(UNPUBLISH, { input: { id: offerId, expectedVersion: 1 } }, key)).unpublishOffer;
    expect(unpublished).toEqual({
      offerId,
      externalId: 'single',
      version: 2,
      status: 'DRAFT',
      deleted: false,
      changed: true,
      offer: { id: offerId, version: 2 },
    });
    expect(w.invalidations).toEqual([[{ typename: 'Offer' }]]);

    w.invalidations.length = 0;
    const again = ok(await w.gql<{ unpublishOffer: any }>(UNPUBLISH, { input: { id: offerUuid } }, key)).unpublishOffer;
    expect(again).toMatchObject({ version: 2, status: 'DRAFT', changed: false });
    expect(w.invalidations).toEqual([]);

    const anonymous = ok(await w.gql<{ offer: unknown }>(`query($id: ID!) { offer(id: $id) { id } }`, { id: offerId }));
    expect(anonymous.offer).toBeNull();

    const published = ok(await w.gql<{ publishOffer: any }>(PUBLISH, { input: { id: offerId } }, key)).publishOffer;
    expect(published).toMatchObject({ version: 3, status: 'PUBLISHED', changed: true });
    expect(ok(await w.gql<{ offer: unknown }>(`query($id: ID!) { offer(id: $id) { id } }`, { id: offerId })).offer).toEqual({ id: offerId });
  });

  it('refuses a stale expectedVersion with CONFLICT and currentVersion, writing nothing', async () => {
    const before = await snapshot(w.fx.db);
    const stale = await w.gql(UNPUBLISH, { input: { id: offerId, expectedVersion: 1 } }, key);
    expect(stale.data).toBeNull();
    expect(errorOf(stale)).toMatchObject({
      path: ['unpublishOffer'],
      extensions: { code: 'CONFLICT', currentVersion: 3, expectedVersion: 1, argument: 'input.expectedVersion' },
    });
    expect(errorOf(stale).message).toMatch(/version 3, not 1/);
    expect(await snapshot(w.fx.db)).toEqual(before);
  });

  it('deletes once, then reports changed: false; the slots are gone and a sync revives the offer', async () => {
    const extra = ok(await w.gql<{ syncOffers: { results: { offerId: string }[] } }>(SYNC, { input: { offers: [offerInput('to-delete')] } }, key)).syncOffers
      .results[0]?.offerId;
    w.invalidations.length = 0;
    const deleted = ok(await w.gql<{ deleteOffer: any }>(DELETE, { input: { id: extra } }, key)).deleteOffer;
    expect(deleted).toMatchObject({ offerId: extra, deleted: true, changed: true, version: 2, offer: null });
    expect(w.invalidations).toHaveLength(1);
    expect(w.invalidations[0]).toEqual([{ typename: 'Offer' }]);
    const again = ok(await w.gql<{ deleteOffer: any }>(DELETE, { input: { id: extra } }, key)).deleteOffer;
    expect(again).toMatchObject({ deleted: true, changed: false, version: 2 });
    const publish = await w.gql(PUBLISH, { input: { id: extra } }, key);
    expect(errorOf(publish).extensions).toMatchObject({ code: 'NOT_FOUND' });
    const revived = ok(
      await w.gql<{ syncOffers: { results: { status: string; offerId: string }[] } }>(SYNC, { input: { offers: [offerInput('to-delete')] } }, key),
    );
    expect(revived.syncOffers.results[0]).toMatchObject({ status: 'UPDATED', offerId: extra });
  });
});

describe('updateSlotSeats and adjustSlotSeats', () => {
  it('set and adjust seats, with FULL at 0, and return the slot node', async () => {
    w.invalidations.length = 0;
    const set = ok(await w.gql<{ updateSlotSeats: any }>(UPDATE_SEATS, { input: { slotId, seatsAvailable: 3, expectedVersion: 1 } }, key)).updateSlotSeats;
    expect(set).toEqual({
      slotId,
      offerId,
      seatsAvailable: 3,
      capacity: 20,
      status: 'SCHEDULED',
      version: 2,
      slot: { id: slotId, seatsAvailable: 3, status: 'SCHEDULED', version: 2, offer: { id: offerId } },
    });
    // Seats do not change which offers are public: the slot and its offer, by id.
    expect(w.invalidations).toEqual([
      [
        { typename: 'Offer', id: offerId },
        { typename: 'Slot', id: slotId },
      ],
    ]);

    const taken = ok(await w.gql<{ adjustSlotSeats: any }>(ADJUST_SEATS, { input: { slotId: slotUuid, delta: -3 } }, key)).adjustSlotSeats;
    expect(taken).toEqual({ slotId, seatsAvailable: 0, capacity: 20, status: 'FULL', version: 3 });
    const freed = ok(await w.gql<{ adjustSlotSeats: any }>(ADJUST_SEATS, { input: { slotId, delta: 2 } }, key)).adjustSlotSeats;
    expect(freed).toMatchObject({ seatsAvailable: 2, status: 'SCHEDULED', version: 4 });
  });

  it('refuses impossible counts and stale versions with their codes, writing nothing', async () => {
    const before = await snapshot(w.fx.db);
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [ADJUST_SEATS, { slotId, delta: -5 }, { code: 'SEATS_BELOW_ZERO', seatsAvailable: 2, delta: -5, argument: 'input.delta' }],
      [ADJUST_SEATS, { slotId, delta: 30 }, { code: 'SEATS_ABOVE_CAPACITY', capacity: 20 }],
      [ADJUST_SEATS, { slotId, delta: 0 }, { code: 'VALIDATION_FAILED', argument: 'input.delta' }],
      [UPDATE_SEATS, { slotId, seatsAvailable: -1 }, { code: 'SEATS_BELOW_ZERO', argument: 'input.seatsAvailable' }],
      [UPDATE_SEATS, { slotId, seatsAvailable: 21 }, { code: 'SEATS_ABOVE_CAPACITY', capacity: 20, seatsAvailable: 21 }],
      [UPDATE_SEATS, { slotId, seatsAvailable: 1, expectedVersion: 2 }, { code: 'CONFLICT', currentVersion: 4, expectedVersion: 2 }],
      [UPDATE_SEATS, { slotId: Buffer.from(`Offer:${offerUuid}`).toString('base64'), seatsAvailable: 1 }, { code: 'INVALID_ID', argument: 'input.slotId' }],
    ];
    for (const [query, input, extensions] of cases) {
      const result = await w.gql(query, { input }, key);
      expect(result.data ?? null, JSON.stringify(input)).toBeNull();
      expect(errorOf(result).extensions, JSON.stringify(input)).toMatchObject(extensions);
    }
    expect(await snapshot(w.fx.db)).toEqual(before);
  });

  it('say when a slot has no seat count to adjust', async () => {
    ok(await w.gql(SYNC, { input: { offers: [offerInput('untracked', { slots: [{ externalId: 'u1', startsAt: '2027-01-11T09:00:00+01:00' }] })] } }, key));
    const [slot] = await w.fx.db.sql.query<{ id: string }>(`SELECT s.id FROM slot s WHERE s.external_id = 'u1'`);
    const result = await w.gql(ADJUST_SEATS, { input: { slotId: slot?.id, delta: -1 } }, key);
    expect(errorOf(result).extensions).toMatchObject({ code: 'SEATS_NOT_TRACKED' });
    const set = ok(
      await w.gql<{ updateSlotSeats: { seatsAvailable: number; capacity: number | null } }>(
        UPDATE_SEATS,
        { input: { slotId: slot?.id, seatsAvailable: 7 } },
        key,
      ),
    );
    expect(set.updateSlotSeats).toMatchObject({ seatsAvailable: 7, capacity: null });
  });
});
