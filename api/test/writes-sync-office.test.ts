// What an office sync needs of syncOffers: a diff of every update (dry and real runs, also over
// GraphQL), titles to name offers by, FULL deletion limits refused atomically before anything is
// written, and one place shared by several offers of a batch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncOffers } from '../src/writes/sync.js';
import { WriteError } from '../src/writes/errors.js';
import type { OfferInput } from '../src/writes/offer-input.js';
import { AGS, type Fixture, actorFor, createFixture, offerInput, snapshot } from './writes-fixture.js';
import { type WritesApp, createWritesApp, errorOf, ok } from './graphql-writes-fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(async () => {
  await fx?.db.drop();
});

async function freshProvider(slug: string): Promise<string> {
  const [row] = await fx.db.sql.query<{ id: string }>(
    `INSERT INTO provider (id, slug, name, kind, updated_at) VALUES (gen_random_uuid(), $1, $2, 'LANGUAGE_SCHOOL', now()) RETURNING id`,
    [slug, `Sprachschule ${slug}`],
  );
  return row!.id;
}

/** The fixture's offer with its German title, seats and places changed, a slot added and one removed, Arabic added. */
function edited(externalId: string): OfferInput {
  const base = offerInput(externalId);
  return {
    ...base,
    translations: [
      { language: 'de', title: `Deutschkurs ${externalId} (neu)`, description: 'Integrationskurs mit Kinderbetreuung' },
      { language: 'en', title: `German course ${externalId}` },
      { language: 'ar', title: 'دورة' },
    ],
    locations: [{ ...base.locations![0]!, street: 'Königstraße 3' }],
    slots: [
      { ...base.slots![0]!, seatsAvailable: 4 },
      { externalId: 's3', startsAt: '2026-10-05T09:00:00+02:00', capacity: 10 },
    ],
  };
}

/** An offer of its own place-less kind, so that editing d1's place does not touch it. */
const plain = (externalId: string) => offerInput(externalId, { locations: [], slots: [], municipalityAgs: AGS.ulm });

const EXPECTED_CHANGES = [
  { field: 'translations[ar].title', before: null, after: 'دورة' },
  { field: 'translations[de].title', before: 'Deutschkurs d1', after: 'Deutschkurs d1 (neu)' },
  { field: 'locations[loc-main].street', before: 'Königstraße 1', after: 'Königstraße 3' },
  { field: 'slots[s1].seatsAvailable', before: '5', after: '4' },
  { field: 'slots[s3]', before: null, after: '2026-10-05T07:00:00.000Z' },
  { field: 'slots[s2]', before: '2026-09-07T07:00:00.000Z', after: null },
];

describe('syncOffers: the diff of an update', () => {
  it('lists every changed field in a dry run, writes nothing, and lists the same in the real run', async () => {
    const providerId = await freshProvider('diff');
    const actor = actorFor(providerId);
    const created = await syncOffers(fx.db, actor, { providerSlug: 'diff', offers: [offerInput('d1'), plain('d2')] });
    expect(created.results.map((r) => [r.status, r.title, r.changes])).toEqual([
      ['CREATED', 'Deutschkurs d1', []],
      ['CREATED', 'Deutschkurs d2', []],
    ]);

    const before = await snapshot(fx.db);
    const dry = await syncOffers(fx.db, actor, { providerSlug: 'diff', dryRun: true, offers: [edited('d1'), plain('d2')] });
    expect(dry.results.map((r) => r.status)).toEqual(['UPDATED', 'UNCHANGED']);
    expect(dry.results[0]?.changes).toEqual(EXPECTED_CHANGES);
    expect(dry.results[1]?.changes).toEqual([]);
    expect(await snapshot(fx.db)).toEqual(before);

    const real = await syncOffers(fx.db, actor, { providerSlug: 'diff', offers: [edited('d1'), plain('d2')] });
    expect(real.results[0]?.changes).toEqual(EXPECTED_CHANGES);
    // Once written, the same input changes nothing.
    const again = await syncOffers(fx.db, actor, { providerSlug: 'diff', offers: [edited('d1')] });
    expect(again.results.map((r) => [r.status, r.changes])).toEqual([['UNCHANGED', []]]);
  });

  it('shows seats changed elsewhere (updateSlotSeats) and a revived offer', async () => {
    const providerId = await freshProvider('diff-seats');
    const actor = actorFor(providerId);
    await syncOffers(fx.db, actor, { providerSlug: 'diff-seats', offers: [offerInput('r1'), offerInput('r2')] });
    await fx.db.sql.query(
      `UPDATE slot SET seats_available = 2 WHERE external_id = 's1' AND offer_id = (SELECT id FROM offer WHERE provider_id = $1 AND external_id = 'r1')`,
      [providerId],
    );
    await syncOffers(fx.db, actor, { providerSlug: 'diff-seats', mode: 'FULL', offers: [offerInput('r1')] });
    const result = await syncOffers(fx.db, actor, { providerSlug: 'diff-seats', offers: [offerInput('r1'), offerInput('r2')] });
    expect(result.results.map((r) => [r.externalId, r.status])).toEqual([
      ['r1', 'UNCHANGED'],
      ['r2', 'UPDATED'],
    ]);
    expect(result.results[1]?.changes).toEqual([
      { field: 'deleted', before: 'true', after: 'false' },
      { field: 'slots[s1]', before: null, after: '2026-03-02T08:00:00.000Z' },
      { field: 'slots[s2]', before: null, after: '2026-09-07T07:00:00.000Z' },
    ]);
  });
});

describe('syncOffers: FULL deletion limits', () => {
  async function catalogue(slug: string, n: number) {
    const providerId = await freshProvider(slug);
    const actor = actorFor(providerId);
    const offers = Array.from({ length: n }, (_, i) => offerInput(`c${i}`, { locations: [], slots: [], municipalityAgs: AGS.ulm }));
    await syncOffers(fx.db, actor, { providerSlug: slug, offers });
    return { actor, offers };
  }

  it('refuses a batch that would delete more than maxDeleteRatio of the live offers, writing nothing, also in a dry run', async () => {
    const { actor, offers } = await catalogue('limit-ratio', 10);
    const kept = offers.slice(0, 7).map((o) => ({ ...o, cost: 'neu' }));
    const before = await snapshot(fx.db);
    for (const dryRun of [true, false]) {
      const error = await syncOffers(fx.db, actor, { providerSlug: 'limit-ratio', mode: 'FULL', dryRun, offers: kept, maxDeleteRatio: 0.2 }).catch(
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WriteError);
      expect(error).toMatchObject({
        code: 'TOO_MANY_DELETIONS',
        field: 'maxDeleteRatio',
        data: { deletions: 3, offers: 10, maxDeleteRatio: 0.2, maxDeletions: null, externalIds: ['c7', 'c8', 'c9'] },
      });
      expect((error as Error).message).toBe(
        "This FULL sync would delete 3 of the provider's 10 offers (30 %), but maxDeleteRatio is 0.2 (2 offers); nothing was written. Check that the list is complete, or raise the limit.",
      );
    }
    expect(await snapshot(fx.db)).toEqual(before);

    // Within the limits the batch goes through and names what it deleted.
    const done = await syncOffers(fx.db, actor, { providerSlug: 'limit-ratio', mode: 'FULL', offers: kept, maxDeleteRatio: 0.3, maxDeletions: 3 });
    expect(done.liveOfferCount).toBe(10);
    expect(done.results.filter((r) => r.status === 'DELETED').map((r) => [r.externalId, r.title])).toEqual([
      ['c7', 'Deutschkurs c7'],
      ['c8', 'Deutschkurs c8'],
      ['c9', 'Deutschkurs c9'],
    ]);
  });

  it('refuses more than maxDeletions, keeps keepExternalIds out of the count, and checks the limits', async () => {
    const { actor, offers } = await catalogue('limit-count', 5);
    const error = await syncOffers(fx.db, actor, { providerSlug: 'limit-count', mode: 'FULL', offers: offers.slice(0, 2), maxDeletions: 2 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'TOO_MANY_DELETIONS', field: 'maxDeletions', data: { deletions: 3, offers: 5, maxDeletions: 2 } });
    // The preview of a sync in batches: nothing sent, everything kept but c4.
    const preview = await syncOffers(fx.db, actor, {
      providerSlug: 'limit-count',
      mode: 'FULL',
      dryRun: true,
      offers: [],
      keepExternalIds: ['c0', 'c1', 'c2', 'c3'],
      maxDeletions: 1,
    });
    expect(preview.results.map((r) => [r.externalId, r.status, r.title])).toEqual([['c4', 'DELETED', 'Deutschkurs c4']]);
    expect(preview.liveOfferCount).toBe(5);
    for (const bad of [{ maxDeletions: -1 }, { maxDeleteRatio: 1.5 }]) {
      await expect(syncOffers(fx.db, actor, { providerSlug: 'limit-count', mode: 'FULL', offers: [], ...bad })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    }
  });
});

describe('syncOffers: one place, several offers', () => {
  const place = {
    externalId: 'haus',
    name: 'Haus der Vereine',
    street: 'Marktplatz 1',
    postalCode: '70173',
    city: 'Stuttgart',
    municipalityAgs: AGS.stuttgart,
  };
  const slot = (externalId: string) => ({ externalId, startsAt: '2026-03-02T09:00:00+01:00', locationExternalId: 'haus' });

  it('accepts a place described by one offer and named by the slots of another in the same batch', async () => {
    const providerId = await freshProvider('shared-place');
    const actor = actorFor(providerId);
    const result = await syncOffers(fx.db, actor, {
      providerSlug: 'shared-place',
      offers: [
        offerInput('p1', { locations: [place], slots: [slot('a')] }),
        offerInput('p2', { locations: [], municipalityAgs: AGS.stuttgart, slots: [slot('b')] }),
        offerInput('p3', { locations: [place], slots: [slot('c')] }),
      ],
    });
    expect(result.results.map((r) => [r.externalId, r.status, r.userErrors])).toEqual([
      ['p1', 'CREATED', []],
      ['p2', 'CREATED', []],
      ['p3', 'CREATED', []],
    ]);
    const rows = await fx.db.sql.query<{ external_id: string; place: string | null }>(
      `SELECT s.external_id, l.external_id AS place FROM slot s JOIN offer o ON o.id = s.offer_id LEFT JOIN location l ON l.id = s.location_id
        WHERE o.provider_id = $1 ORDER BY 1`,
      [providerId],
    );
    expect(rows).toEqual([
      { external_id: 'a', place: 'haus' },
      { external_id: 'b', place: 'haus' },
      { external_id: 'c', place: 'haus' },
    ]);
    const [count] = await fx.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM location WHERE provider_id = $1`, [providerId]);
    expect(count?.n).toBe(1);
  });

  it("gives a slot the provider's stored place it names, and fails a slot whose place only a failed offer describes", async () => {
    const providerId = await freshProvider('stored-place');
    const actor = actorFor(providerId);
    await syncOffers(fx.db, actor, { providerSlug: 'stored-place', offers: [offerInput('q1', { locations: [place], slots: [slot('a')] })] });
    const later = await syncOffers(fx.db, actor, {
      providerSlug: 'stored-place',
      offers: [
        offerInput('q2', { locations: [], municipalityAgs: AGS.stuttgart, slots: [slot('b')] }),
        offerInput('q3', {
          locations: [{ ...place, externalId: 'neu', category: undefined } as never],
          slots: [{ ...slot('c'), locationExternalId: 'neu' }],
          cost: 1 as never,
        }),
        offerInput('q4', { locations: [], municipalityAgs: AGS.stuttgart, slots: [{ ...slot('d'), locationExternalId: 'neu' }] }),
      ],
    });
    expect(later.results.map((r) => [r.externalId, r.status, r.userErrors.map((e) => [e.field, e.code])])).toEqual([
      ['q2', 'CREATED', []],
      ['q3', 'FAILED', [['offers[1].cost', 'INVALID_VALUE']]],
      ['q4', 'FAILED', [['offers[2].slots[0].locationExternalId', 'UNKNOWN_LOCATION']]],
    ]);
    const [row] = await fx.db.sql.query<{ place: string | null }>(
      `SELECT l.external_id AS place FROM slot s JOIN offer o ON o.id = s.offer_id LEFT JOIN location l ON l.id = s.location_id WHERE o.provider_id = $1 AND s.external_id = 'b'`,
      [providerId],
    );
    expect(row?.place).toBe('haus');
  });
});

describe('syncOffers over GraphQL: changes, titles, limits', () => {
  let w: WritesApp;
  let key: string;
  beforeAll(async () => {
    w = await createWritesApp();
    key = await w.key('vhs-stuttgart');
  });
  afterAll(async () => {
    await w?.close();
  });
  const QUERY = /* GraphQL */ `
    mutation Sync($input: SyncOffersInput!) {
      syncOffers(input: $input) {
        dryRun
        liveOfferCount
        results { externalId status title changes { field before after } }
      }
    }
  `;
  const sync = (input: Record<string, unknown>) =>
    w.gql<{
      syncOffers: { dryRun: boolean; liveOfferCount: number | null; results: { externalId: string; status: string; title: string; changes: unknown[] }[] };
    }>(QUERY, { input: { providerSlug: 'vhs-stuttgart', ...input } }, key);

  it('carries the diff in dry and real runs, and refuses too many deletions with the counts', async () => {
    ok(await sync({ offers: [offerInput('d1'), plain('g2')] }));
    for (const dryRun of [true, false]) {
      const payload = ok(await sync({ dryRun, offers: [edited('d1'), plain('g2')] })).syncOffers;
      expect(payload.dryRun).toBe(dryRun);
      expect(payload.results[0]).toEqual({ externalId: 'd1', status: 'UPDATED', title: 'Deutschkurs d1 (neu)', changes: EXPECTED_CHANGES });
      expect(payload.liveOfferCount).toBeNull();
    }
    const refused = errorOf(await sync({ mode: 'FULL', offers: [edited('d1')], maxDeleteRatio: 0.2 }));
    expect(refused.extensions).toMatchObject({
      code: 'TOO_MANY_DELETIONS',
      deletions: 1,
      offers: 2,
      maxDeleteRatio: 0.2,
      externalIds: ['g2'],
      argument: 'input.maxDeleteRatio',
    });
    const full = ok(await sync({ mode: 'FULL', dryRun: true, offers: [edited('d1')], maxDeleteRatio: 0.5 })).syncOffers;
    expect(full.liveOfferCount).toBe(2);
    expect(full.results.at(-1)).toEqual({ externalId: 'g2', status: 'DELETED', title: 'Deutschkurs g2', changes: [] });
  });
});
