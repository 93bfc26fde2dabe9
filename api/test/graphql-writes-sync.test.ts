// syncOffers and upsertOffer over HTTP: the round trip a partner's nightly job makes, idempotent
// replays, FULL mode (also split into batches with keepExternalIds), per-item failures as data,
// and refusals of the whole batch as coded errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SYNC_BATCH } from '../src/writes/sync.js';
import { snapshot } from './writes-fixture.js';
import { SYNC, type WritesApp, createWritesApp, errorOf, offerInput, ok } from './graphql-writes-fixture.js';

let w: WritesApp;
let key: string;

beforeAll(async () => {
  w = await createWritesApp();
  key = await w.key('vhs-stuttgart');
});
afterAll(async () => {
  await w?.close();
});

interface SyncResult {
  index: number | null;
  externalId: string;
  status: string;
  offerId: string | null;
  version: number | null;
  offer: { id: string; externalId: string; version: number } | null;
  userErrors: { field: string[]; code: string; message: string }[];
}
interface SyncPayload {
  mode: string;
  dryRun: boolean;
  replayed: boolean;
  deletionsSkipped: boolean;
  summary: Record<string, number>;
  results: SyncResult[];
}

async function sync(input: Record<string, unknown>, apiKey: string = key) {
  return w.gql<{ syncOffers: SyncPayload }>(SYNC, { input: { providerSlug: 'vhs-stuttgart', ...input } }, apiKey);
}

const statuses = (payload: SyncPayload) => payload.results.map((r) => [r.index, r.externalId, r.status, r.version]);

describe('syncOffers over GraphQL', () => {
  it('creates, replays an idempotency key, reports a repeat UNCHANGED, and FULL deletes what was not sent', async () => {
    const offers = [offerInput('a'), offerInput('b'), offerInput('c')];
    const created = ok(await sync({ offers, idempotencyKey: 'night-1' })).syncOffers;
    expect(created).toMatchObject({ mode: 'UPSERT', dryRun: false, replayed: false, deletionsSkipped: false });
    expect(created.summary).toEqual({ created: 3, updated: 0, unchanged: 0, deleted: 0, failed: 0 });
    expect(statuses(created)).toEqual([
      [0, 'a', 'CREATED', 1],
      [1, 'b', 'CREATED', 1],
      [2, 'c', 'CREATED', 1],
    ]);
    for (const r of created.results) {
      expect(r.offerId).toEqual(expect.any(String));
      expect(r.offer).toEqual({ id: r.offerId, externalId: r.externalId, version: 1 });
      expect(r.userErrors).toEqual([]);
    }
    const ids = Object.fromEntries(created.results.map((r) => [r.externalId, r.offerId]));

    // The same key with the same input: the stored result, nothing written.
    const before = await snapshot(w.fx.db);
    const replay = ok(await sync({ offers, idempotencyKey: 'night-1' })).syncOffers;
    expect(replay.replayed).toBe(true);
    expect(replay.results.map((r) => [r.externalId, r.status, r.offerId])).toEqual(created.results.map((r) => [r.externalId, r.status, r.offerId]));
    expect(await snapshot(w.fx.db)).toEqual(before);

    // The same key with other input is refused.
    const reused = await sync({ offers: [offerInput('a', { cost: '10 EUR' })], idempotencyKey: 'night-1' });
    expect(errorOf(reused).extensions).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', argument: 'input.idempotencyKey' });
    expect(reused.data).toBeNull();
    expect(await snapshot(w.fx.db)).toEqual(before);

    // The same input without a key: nothing to do.
    const again = ok(await sync({ offers })).syncOffers;
    expect(again.replayed).toBe(false);
    expect(again.summary).toMatchObject({ unchanged: 3 });
    expect(again.results.map((r) => r.offerId)).toEqual([ids.a, ids.b, ids.c]);
    const after = await snapshot(w.fx.db);
    // Only the audit entry of the request itself is new.
    expect({ ...after, counts: { ...after.counts, audit_log: before.counts.audit_log } }).toEqual(before);
    expect(after.counts.audit_log).toBe((before.counts.audit_log ?? 0) + 1);

    // FULL with only `a`: b and c are deleted, after the items, without an index and without a node.
    const full = ok(await sync({ mode: 'FULL', offers: [offerInput('a')] })).syncOffers;
    expect(statuses(full)).toEqual([
      [0, 'a', 'UNCHANGED', 1],
      [null, 'b', 'DELETED', 2],
      [null, 'c', 'DELETED', 2],
    ]);
    expect(full.results.map((r) => [r.offerId, r.offer?.id ?? null])).toEqual([
      [ids.a, ids.a],
      [ids.b, null],
      [ids.c, null],
    ]);
    expect(full.summary).toMatchObject({ unchanged: 1, deleted: 2 });

    // Sent again, a deleted offer is revived with the same id.
    const revived = ok(await sync({ offers: [offerInput('b')] })).syncOffers;
    expect(revived.results[0]).toMatchObject({ status: 'UPDATED', offerId: ids.b, version: 3, offer: { id: ids.b, version: 3 } });
  });

  it('runs a FULL sync split into batches: UPSERT batches, then FULL with keepExternalIds', async () => {
    const k = await w.key('awo-freiburg');
    const slug = 'awo-freiburg';
    ok(await sync({ providerSlug: slug, offers: ['k1', 'k2', 'k3', 'k4', 'k5'].map((id) => offerInput(id)) }, k));

    // The provider's list now: k1…k3 (batch 1) and k5 (batch 2); k4 is gone.
    ok(await sync({ providerSlug: slug, offers: [offerInput('k1'), offerInput('k2'), offerInput('k3')] }, k));
    const last = ok(await sync({ providerSlug: slug, mode: 'FULL', keepExternalIds: ['k1', 'k2', 'k3'], offers: [offerInput('k5')] }, k)).syncOffers;
    expect(statuses(last)).toEqual([
      [0, 'k5', 'UNCHANGED', 1],
      [null, 'k4', 'DELETED', 2],
    ]);
    const live = await w.fx.db.sql.query<{ external_id: string }>(
      `SELECT external_id FROM offer WHERE provider_id = $1 AND deleted_at IS NULL ORDER BY external_id`,
      [w.fx.providers.loner],
    );
    expect(live.map((r) => r.external_id)).toEqual(['k1', 'k2', 'k3', 'k5']);

    const tooMany = await sync({ providerSlug: slug, mode: 'FULL', keepExternalIds: Array.from({ length: 100_001 }, (_, i) => `x${i}`), offers: [] }, k);
    expect(errorOf(tooMany).extensions).toMatchObject({ code: 'VALIDATION_FAILED', argument: 'input.keepExternalIds', max: 100_000 });
  });

  it('reports invalid items FAILED with userErrors paths from the argument, and writes the valid ones', async () => {
    const offers = [
      offerInput('ok-1'),
      offerInput('bad-slot', {
        slots: [{ externalId: 's1', startsAt: '2026-05-04T09:00:00+02:00', endsAt: '2026-05-01T09:00:00+02:00', capacity: 5, seatsAvailable: 9 }],
      }),
      offerInput('bad-refs', { municipalityAgs: '08999999', languages: ['xx'], locations: [] }),
      offerInput('no-german', { translations: [{ language: 'en', title: 'English only' }] }),
    ];
    const result = ok(await sync({ mode: 'FULL', offers })).syncOffers;
    expect(result.results.map((r) => r.status)).toEqual(['CREATED', 'FAILED', 'FAILED', 'FAILED']);
    expect(result.deletionsSkipped).toBe(true);
    expect(result.summary).toMatchObject({ created: 1, failed: 3, deleted: 0 });
    const [, badSlot, badRefs, noGerman] = result.results;
    expect(badSlot).toMatchObject({ externalId: 'bad-slot', offerId: null, version: null, offer: null });
    expect(badSlot?.userErrors.map((e) => [e.field, e.code])).toEqual([
      [['input', 'offers', '1', 'slots', '0', 'endsAt'], 'END_BEFORE_START'],
      [['input', 'offers', '1', 'slots', '0', 'seatsAvailable'], 'SEATS_ABOVE_CAPACITY'],
    ]);
    expect(badRefs?.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual(
      expect.arrayContaining([
        ['input.offers.2.municipalityAgs', 'UNKNOWN_MUNICIPALITY'],
        ['input.offers.2.languages.0', 'UNKNOWN_LANGUAGE'],
      ]),
    );
    expect(noGerman?.userErrors.map((e) => [e.field.join('.'), e.code])).toEqual([['input.offers.3.translations', 'GERMAN_TITLE_REQUIRED']]);
    expect(result.results.every((r) => r.userErrors.every((e) => e.message.length > 0))).toBe(true);
    const [row] = await w.fx.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM offer WHERE external_id IN ('bad-slot', 'bad-refs', 'no-german')`);
    expect(row?.n).toBe(0);
  });

  it('refuses a batch over 1,000 offers with BATCH_TOO_LARGE and maxBatchSize, writing nothing', async () => {
    const before = await snapshot(w.fx.db);
    const offers = Array.from({ length: MAX_SYNC_BATCH + 1 }, (_, i) => offerInput(`big-${i}`));
    const result = await sync({ offers });
    expect(result.status).toBe(200);
    expect(result.data).toBeNull();
    expect(errorOf(result)).toMatchObject({
      path: ['syncOffers'],
      extensions: { code: 'BATCH_TOO_LARGE', maxBatchSize: 1000, batchSize: 1001, argument: 'input.offers' },
    });
    expect(await snapshot(w.fx.db)).toEqual(before);
  });

  it('dry runs write nothing and return no nodes', async () => {
    const before = await snapshot(w.fx.db);
    const dry = ok(await sync({ dryRun: true, idempotencyKey: 'dry', offers: [offerInput('a', { cost: '5 EUR' }), offerInput('dry-new')] })).syncOffers;
    expect(dry.dryRun).toBe(true);
    expect(dry.results.map((r) => [r.externalId, r.status, r.offerId === null, r.offer])).toEqual([
      ['a', 'UPDATED', false, null],
      ['dry-new', 'CREATED', true, null],
    ]);
    expect(await snapshot(w.fx.db)).toEqual(before);
  });

  it("returns the provider's own draft in the payload, which public reads do not show", async () => {
    const draft = ok(await sync({ offers: [offerInput('draft', { status: 'DRAFT' })] })).syncOffers.results[0];
    expect(draft?.offer?.id).toBe(draft?.offerId);
    const nested = ok(
      await w.gql<{
        syncOffers: { results: { offer: { title: { value: string }; courseDetails: { courseType: string }; nextSlots: { externalId: string }[] } }[] };
      }>(
        `mutation($input: SyncOffersInput!) { syncOffers(input: $input) { results { offer { title { value } courseDetails { courseType } nextSlots(first: 5) { externalId } } } } }`,
        { input: { providerSlug: 'vhs-stuttgart', offers: [offerInput('draft', { status: 'DRAFT', cost: '1 EUR' })] } },
        key,
      ),
    );
    expect(nested.syncOffers.results[0]?.offer).toMatchObject({ title: { value: 'Deutschkurs draft' }, courseDetails: { courseType: 'INTEGRATIONSKURS' } });
    const read = ok(await w.gql<{ offer: unknown; node: unknown }>(`query($id: ID!) { offer(id: $id) { id } node(id: $id) { id } }`, { id: draft?.offerId }));
    expect(read).toEqual({ offer: null, node: null });
  });

  it('counts synced items and invalidates the response cache after a write', async () => {
    w.invalidations.length = 0;
    ok(await sync({ offers: [offerInput('metrics-1')] }));
    expect(w.invalidations).toEqual([[{ typename: 'Offer' }]]);
    const counted = (await w.metrics.syncItems.get()).values.find((v) => v.labels.status === 'CREATED');
    expect(counted?.value).toBeGreaterThan(0);

    // A content update of a public offer: by id (the offer and its slots), not every list.
    w.invalidations.length = 0;
    const updated = ok(await sync({ offers: [offerInput('metrics-1', { cost: '3 EUR' })] })).syncOffers.results[0];
    expect(updated?.status).toBe('UPDATED');
    expect(w.invalidations).toHaveLength(1);
    expect(w.invalidations[0]).toContainEqual({ typename: 'Offer', id: updated?.offerId });
    expect(w.invalidations[0]?.filter((e) => e.typename === 'Slot')).toHaveLength(2);

    // Nothing written, nothing invalidated.
    w.invalidations.length = 0;
    ok(await sync({ offers: [offerInput('metrics-1', { cost: '3 EUR' })] }));
    ok(await sync({ dryRun: true, offers: [offerInput('metrics-2')] }));
    expect(w.invalidations).toEqual([]);
  });
});

describe('upsertOffer over GraphQL', () => {
  const UPSERT = /* GraphQL */ `
    mutation Upsert($input: UpsertOfferInput!) {
      upsertOffer(input: $input) {
        result { index externalId status offerId version userErrors { field code } }
        offer { id version externalId }
      }
    }
  `;

  it('creates and updates with expectedVersion, and refuses a stale version with CONFLICT and currentVersion', async () => {
    const created = ok(await w.gql<{ upsertOffer: any }>(UPSERT, { input: { offer: offerInput('single') } }, key)).upsertOffer;
    expect(created.result).toMatchObject({ index: 0, externalId: 'single', status: 'CREATED', version: 1, userErrors: [] });
    expect(created.offer).toEqual({ id: created.result.offerId, version: 1, externalId: 'single' });

    const updated = ok(
      await w.gql<{ upsertOffer: any }>(UPSERT, { input: { offer: offerInput('single', { cost: '20 EUR' }), expectedVersion: 1 } }, key),
    ).upsertOffer;
    expect(updated.result).toMatchObject({ status: 'UPDATED', version: 2 });

    const before = await snapshot(w.fx.db);
    const stale = await w.gql(UPSERT, { input: { offer: offerInput('single', { cost: '30 EUR' }), expectedVersion: 1 } }, key);
    expect(stale.status).toBe(200);
    expect(errorOf(stale).extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2, expectedVersion: 1, argument: 'input.expectedVersion' });
    expect(await snapshot(w.fx.db)).toEqual(before);

    const missing = await w.gql(UPSERT, { input: { offer: offerInput('never-created'), expectedVersion: 3 } }, key);
    expect(errorOf(missing).extensions).toMatchObject({ code: 'CONFLICT', currentVersion: null });
  });

  it('returns invalid input as FAILED with userErrors under input.offer', async () => {
    const failed = ok(
      await w.gql<{ upsertOffer: any }>(
        UPSERT,
        { input: { offer: offerInput('invalid', { slots: [{ externalId: 's', startsAt: '2026-05-04T09:00:00Z', endsAt: '2026-05-03T09:00:00Z' }] }) } },
        key,
      ),
    ).upsertOffer;
    expect(failed.result).toMatchObject({ status: 'FAILED', offerId: null });
    expect(failed.result.userErrors).toEqual([{ field: ['input', 'offer', 'slots', '0', 'endsAt'], code: 'END_BEFORE_START' }]);
    expect(failed.offer).toBeNull();
  });

  it('refuses input that is not even of the right type as a GraphQL error for the whole request', async () => {
    const result = await w.gql(UPSERT, { input: { offer: { ...offerInput('typed'), category: 'NOT_A_CATEGORY' } } }, key);
    expect(result.data ?? null).toBeNull();
    expect(errorOf(result).message).toMatch(/NOT_A_CATEGORY/);
  });
});
