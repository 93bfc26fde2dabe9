import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, WriteError } from '../src/writes/errors.js';
import { adjustSlotSeats, updateSlotSeats } from '../src/writes/slots.js';
import { syncOffers } from '../src/writes/sync.js';
import { type Fixture, actorFor, createFixture, offerInput, snapshot } from './writes-fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(async () => {
  await fx?.db.drop();
});

/** Creates an offer with one slot of `capacity` seats, `seats` free; returns the slot id. */
async function slotWith(externalId: string, capacity: number | null, seats: number | null): Promise<string> {
  const actor = actorFor(fx.providers.other);
  const result = await syncOffers(fx.db, actor, {
    offers: [offerInput(externalId, { slots: [{ externalId: 'only', startsAt: '2026-04-01T08:00:00Z', capacity, seatsAvailable: seats }] })],
  });
  const [row] = await fx.db.sql.query<{ id: string }>(`SELECT id FROM slot WHERE offer_id = $1`, [result.results[0]?.id]);
  if (!row) throw new Error('no slot');
  return row.id;
}

async function slotRow(id: string) {
  const [row] = await fx.db.sql.query<{ seats_available: number; status: string; version: number }>(
    `SELECT seats_available, status::text, version FROM slot WHERE id = $1`,
    [id],
  );
  return row;
}

describe('adjustSlotSeats', () => {
  it('lets exactly as many concurrent bookings succeed as there are seats', async () => {
    const slotId = await slotWith('rush', 20, 20);
    const actor = actorFor(fx.providers.other);
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => adjustSlotSeats(fx.db, actor, { slotId, delta: -1 })));
    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    expect(ok).toHaveLength(20);
    expect(refused).toHaveLength(30);
    for (const error of refused) expect(error).toMatchObject({ code: 'SEATS_BELOW_ZERO' });
    expect(await slotRow(slotId)).toEqual({ seats_available: 0, status: 'FULL', version: 21 });
    // Every successful call saw a distinct seat count: none was applied twice.
    const seen = ok.map((o) => (o.status === 'fulfilled' ? o.value.seatsAvailable : -1)).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i));
    const [changes] = await fx.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM change_log WHERE entity_id = $1 AND action = 'UPDATED'`, [slotId]);
    expect(changes?.n).toBe(20);
  });

  it('never goes above capacity under concurrent releases, and leaves FULL when seats come back', async () => {
    const slotId = await slotWith('release', 10, 0);
    expect((await slotRow(slotId))?.status).toBe('FULL');
    const actor = actorFor(fx.providers.other);
    const outcomes = await Promise.allSettled(Array.from({ length: 25 }, () => adjustSlotSeats(fx.db, actor, { slotId, delta: 1 })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(10);
    for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'SEATS_ABOVE_CAPACITY' });
    expect(await slotRow(slotId)).toMatchObject({ seats_available: 10, status: 'SCHEDULED' });
  });

  it('reports why nothing matched, and changes nothing', async () => {
    const actor = actorFor(fx.providers.other);
    const slotId = await slotWith('why', 5, 2);
    const untracked = await slotWith('untracked', null, null);
    const before = await snapshot(fx.db);
    await expect(adjustSlotSeats(fx.db, actor, { slotId, delta: -3 })).rejects.toMatchObject({ code: 'SEATS_BELOW_ZERO', data: { seatsAvailable: 2 } });
    await expect(adjustSlotSeats(fx.db, actor, { slotId, delta: 4 })).rejects.toMatchObject({ code: 'SEATS_ABOVE_CAPACITY', data: { capacity: 5 } });
    await expect(adjustSlotSeats(fx.db, actor, { slotId: untracked, delta: -1 })).rejects.toMatchObject({ code: 'SEATS_NOT_TRACKED' });
    await expect(adjustSlotSeats(fx.db, actor, { slotId: '4a0c1d8e-0000-4000-8000-000000000000', delta: -1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(adjustSlotSeats(fx.db, actor, { slotId, delta: 0 })).rejects.toBeInstanceOf(WriteError);
    expect(await snapshot(fx.db)).toEqual(before);
  });

  it('keeps a cancelled slot cancelled', async () => {
    const actor = actorFor(fx.providers.other);
    const result = await syncOffers(fx.db, actor, {
      offers: [
        offerInput('cancelled', { slots: [{ externalId: 'c', startsAt: '2026-04-01T08:00:00Z', capacity: 5, seatsAvailable: 1, status: 'CANCELLED' }] }),
      ],
    });
    const [row] = await fx.db.sql.query<{ id: string }>(`SELECT id FROM slot WHERE offer_id = $1`, [result.results[0]?.id]);
    const slotId = row?.id ?? '';
    expect(await adjustSlotSeats(fx.db, actor, { slotId, delta: -1 })).toMatchObject({ seatsAvailable: 0, status: 'CANCELLED' });
    expect(await adjustSlotSeats(fx.db, actor, { slotId, delta: 1 })).toMatchObject({ seatsAvailable: 1, status: 'CANCELLED' });
  });
});

describe('updateSlotSeats', () => {
  it('sets seats with version checks and capacity bounds', async () => {
    const actor = actorFor(fx.providers.other);
    const slotId = await slotWith('set', 12, 12);
    expect(await updateSlotSeats(fx.db, actor, { slotId, seatsAvailable: 0, expectedVersion: 1 })).toMatchObject({
      seatsAvailable: 0,
      status: 'FULL',
      version: 2,
    });
    const before = await snapshot(fx.db);
    const stale = await updateSlotSeats(fx.db, actor, { slotId, seatsAvailable: 3, expectedVersion: 1 }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale).toMatchObject({ currentVersion: 2 });
    await expect(updateSlotSeats(fx.db, actor, { slotId, seatsAvailable: 13 })).rejects.toMatchObject({ code: 'SEATS_ABOVE_CAPACITY', data: { capacity: 12 } });
    await expect(updateSlotSeats(fx.db, actor, { slotId, seatsAvailable: -1 })).rejects.toMatchObject({ code: 'SEATS_BELOW_ZERO' });
    expect(await snapshot(fx.db)).toEqual(before);
    expect(await updateSlotSeats(fx.db, actor, { slotId, seatsAvailable: 4, expectedVersion: 2 })).toMatchObject({
      seatsAvailable: 4,
      status: 'SCHEDULED',
      version: 3,
    });
  });

  it('makes the next sync of unchanged input an UPDATE that restores the partner seat count', async () => {
    const actor = actorFor(fx.providers.other);
    const slotId = await slotWith('resync', 12, 12);
    await updateSlotSeats(fx.db, actor, { slotId, seatsAvailable: 7 });
    const input = offerInput('resync', { slots: [{ externalId: 'only', startsAt: '2026-04-01T08:00:00Z', capacity: 12, seatsAvailable: 12 }] });
    const result = await syncOffers(fx.db, actor, { offers: [input] });
    expect(result.results[0]).toMatchObject({ status: 'UPDATED', version: 2 });
    expect(await slotRow(slotId)).toMatchObject({ seats_available: 12, version: 3 });
    expect((await syncOffers(fx.db, actor, { offers: [input] })).results[0]?.status).toBe('UNCHANGED');
  });
});
