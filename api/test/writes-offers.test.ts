import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, WriteError } from '../src/writes/errors.js';
import { deleteOffer, publishOffer, unpublishOffer, upsertOffer } from '../src/writes/offers.js';
import { syncOffers } from '../src/writes/sync.js';
import { type Fixture, actorFor, createFixture, offerInput, snapshot } from './writes-fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(async () => {
  await fx?.db.drop();
});

describe('upsertOffer', () => {
  it('creates, reports UNCHANGED, updates with the right expectedVersion, and refuses a stale one', async () => {
    const actor = actorFor(fx.providers.other);
    const created = await upsertOffer(fx.db, actor, { offer: offerInput('single') });
    expect(created).toMatchObject({ status: 'CREATED', version: 1, externalId: 'single', index: 0, userErrors: [] });
    expect(await upsertOffer(fx.db, actor, { offer: offerInput('single'), expectedVersion: 1 })).toMatchObject({ status: 'UNCHANGED', version: 1 });

    const updated = await upsertOffer(fx.db, actor, { offer: offerInput('single', { status: 'DRAFT' }), expectedVersion: 1 });
    expect(updated).toMatchObject({ status: 'UPDATED', version: 2, id: created.id });

    const before = await snapshot(fx.db);
    const stale = await upsertOffer(fx.db, actor, { offer: offerInput('single', { cost: '10 EUR' }), expectedVersion: 1 }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(ConflictError);
    expect(stale).toMatchObject({ code: 'CONFLICT', currentVersion: 2, expectedVersion: 1 });
    const missing = await upsertOffer(fx.db, actor, { offer: offerInput('never-created'), expectedVersion: 3 }).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'CONFLICT', currentVersion: null });
    expect(await snapshot(fx.db)).toEqual(before);
  });

  it('returns validation failures as a FAILED result with userErrors under `offer`', async () => {
    const before = await snapshot(fx.db);
    const result = await upsertOffer(fx.db, actorFor(fx.providers.other), {
      offer: offerInput('invalid', { slots: [{ externalId: 's', startsAt: '2026-05-01T10:00:00Z', endsAt: '2026-04-01T10:00:00Z' }] }),
    });
    expect(result).toMatchObject({ status: 'FAILED', id: null, userErrors: [{ field: 'offer.slots[0].endsAt', code: 'END_BEFORE_START' }] });
    expect(await snapshot(fx.db)).toEqual(before);
  });
});

describe('deleteOffer, publishOffer, unpublishOffer', () => {
  it('unpublishes and publishes with version checks; the next sync restores the partner state', async () => {
    const actor = actorFor(fx.providers.other);
    const { id } = await upsertOffer(fx.db, actor, { offer: offerInput('pub') });
    if (!id) throw new Error('no id');

    const unpublished = await unpublishOffer(fx.db, actor, { id, expectedVersion: 1 });
    expect(unpublished).toMatchObject({ id, status: 'DRAFT', version: 2, changed: true, deleted: false });
    expect(await unpublishOffer(fx.db, actor, { id })).toMatchObject({ version: 2, changed: false });

    const before = await snapshot(fx.db);
    await expect(publishOffer(fx.db, actor, { id, expectedVersion: 1 })).rejects.toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    expect(await snapshot(fx.db)).toEqual(before);

    // The partner's system still says PUBLISHED: its next sync is a real update, not UNCHANGED.
    const resynced = await syncOffers(fx.db, actor, { offers: [offerInput('pub')] });
    expect(resynced.results[0]).toMatchObject({ status: 'UPDATED', version: 3 });
    const [row] = await fx.db.sql.query<{ status: string }>(`SELECT status::text FROM offer WHERE id = $1`, [id]);
    expect(row?.status).toBe('PUBLISHED');

    await unpublishOffer(fx.db, actor, { id });
    expect(await publishOffer(fx.db, actor, { id, expectedVersion: 4 })).toMatchObject({ status: 'PUBLISHED', version: 5, changed: true });
  });

  it('soft-deletes an offer with its slots, idempotently, and refuses a stale version', async () => {
    const actor = actorFor(fx.providers.other);
    const { id } = await upsertOffer(fx.db, actor, { offer: offerInput('del') });
    if (!id) throw new Error('no id');
    await expect(deleteOffer(fx.db, actor, { id, expectedVersion: 7 })).rejects.toBeInstanceOf(ConflictError);

    const deleted = await deleteOffer(fx.db, actor, { id, expectedVersion: 1 });
    expect(deleted).toMatchObject({ id, version: 2, deleted: true, changed: true });
    const slots = await fx.db.sql.query<{ deleted: boolean; version: number }>(
      `SELECT deleted_at IS NOT NULL AS deleted, version FROM slot WHERE offer_id = $1`,
      [id],
    );
    expect(slots).toEqual([
      { deleted: true, version: 2 },
      { deleted: true, version: 2 },
    ]);
    const before = await snapshot(fx.db);
    expect(await deleteOffer(fx.db, actor, { id })).toMatchObject({ version: 2, deleted: true, changed: false });
    expect(await snapshot(fx.db)).toEqual(before);
    // A deleted offer cannot be published.
    await expect(publishOffer(fx.db, actor, { id })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('reports NOT_FOUND for unknown and malformed ids', async () => {
    const actor = actorFor(fx.providers.other);
    for (const id of ['4a0c1d8e-0000-4000-8000-000000000000', 'not-a-uuid']) {
      const error = await deleteOffer(fx.db, actor, { id }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WriteError);
      expect(error).toMatchObject({ code: 'NOT_FOUND' });
    }
  });
});
