import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Not exported by @pakt/db's package.json yet; the test only checks that sync's inline
// expressions agree with it.
import { refreshSearchColumns } from '@pakt/db/search-columns';
import { syncOffers, MAX_KEEP_EXTERNAL_IDS, MAX_SYNC_BATCH } from '../src/writes/sync.js';
import { WriteError } from '../src/writes/errors.js';
import type { OfferInput } from '../src/writes/offer-input.js';
import { AGS, CENTRE, type Fixture, actorFor, createFixture, offerInput, snapshot } from './writes-fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(async () => {
  await fx?.db.drop();
});

/** A provider of its own per test, so that tests do not see each other's offers. */
async function freshProvider(slug: string): Promise<string> {
  const [row] = await fx.db.sql.query<{ id: string }>(
    `INSERT INTO provider (id, slug, name, kind, updated_at) VALUES (gen_random_uuid(), $1, $2, 'LANGUAGE_SCHOOL', now()) RETURNING id`,
    [slug, `Sprachschule ${slug}`],
  );
  if (!row) throw new Error('provider insert failed');
  return row.id;
}

describe('syncOffers', () => {
  it('creates offers with all their parts, then reports an identical replay UNCHANGED without writing', async () => {
    const providerId = await freshProvider('create-replay');
    const actor = actorFor(providerId);
    const offers = [offerInput('a'), offerInput('b', { locations: [], municipalityAgs: AGS.ulm, slots: [] })];

    const first = await syncOffers(fx.db, actor, { providerSlug: 'create-replay', offers });
    expect(first.results.map((r) => [r.externalId, r.status, r.version])).toEqual([
      ['a', 'CREATED', 1],
      ['b', 'CREATED', 1],
    ]);
    expect(first.summary).toEqual({ created: 2, updated: 0, unchanged: 0, deleted: 0, failed: 0 });
    const a = first.results[0]?.id;
    const [row] = await fx.db.sql.query<Record<string, unknown>>(
      `SELECT o.status, o.municipality_ags, o.latitude, o.longitude, o.search_text, o.geo IS NOT NULL AS has_geo, o.search_vector IS NOT NULL AS has_vector,
              o.content_hash, o.is_free, o.published_at IS NOT NULL AS published, o.programme_id,
              (SELECT count(*)::int FROM offer_translation WHERE offer_id = o.id) AS translations,
              (SELECT array_agg(language_code ORDER BY language_code) FROM offer_language WHERE offer_id = o.id) AS languages,
              (SELECT count(*)::int FROM offer_target_group WHERE offer_id = o.id) AS target_groups,
              (SELECT count(*)::int FROM offer_location WHERE offer_id = o.id) AS locations,
              (SELECT cefr_to::text FROM course_details WHERE offer_id = o.id) AS cefr_to,
              (SELECT count(*)::int FROM slot WHERE offer_id = o.id) AS slots
         FROM offer o WHERE o.id = $1`,
      [a],
    );
    expect(row).toMatchObject({
      status: 'PUBLISHED',
      municipality_ags: AGS.stuttgart,
      latitude: CENTRE[AGS.stuttgart][0],
      has_geo: true,
      has_vector: true,
      is_free: true,
      published: true,
      programme_id: fx.programmeId,
      translations: 2,
      languages: ['ar', 'de'],
      target_groups: 1,
      locations: 1,
      cefr_to: 'B1',
      slots: 2,
    });
    expect(row?.search_text).toBe('Deutschkurs a\nIntegrationskurs mit Kinderbetreuung\nSprachschule create-replay');
    // The offer without locations sits at its municipality's centre.
    const [b] = await fx.db.sql.query<{ latitude: number; longitude: number }>(`SELECT latitude, longitude FROM offer WHERE id = $1`, [first.results[1]?.id]);
    expect([b?.latitude, b?.longitude]).toEqual(CENTRE[AGS.ulm]);

    const before = await snapshot(fx.db);
    const replay = await syncOffers(fx.db, actor, { providerSlug: 'create-replay', offers });
    expect(replay.results.map((r) => [r.status, r.version, r.id])).toEqual([
      ['UNCHANGED', 1, a],
      ['UNCHANGED', 1, first.results[1]?.id],
    ]);
    const after = await snapshot(fx.db);
    // Only the audit entry of the request itself is new.
    expect({ ...after, counts: { ...after.counts, audit_log: before.counts.audit_log } }).toEqual(before);
  });

  it('writes geo and search_vector exactly as refreshSearchColumns would', async () => {
    const providerId = await freshProvider('search-columns');
    const actor = actorFor(providerId);
    await syncOffers(fx.db, actor, {
      providerSlug: 'search-columns',
      offers: [offerInput('g1'), offerInput('g2', { locations: [], municipalityAgs: AGS.freiburg })],
    });
    await syncOffers(fx.db, actor, {
      providerSlug: 'search-columns',
      offers: [offerInput('g1', { translations: [{ language: 'de', title: 'Sprachcafé für Frauen' }] })],
    });
    const read = () =>
      fx.db.sql.query<{ id: string; geo: string; vector: string }>(
        `SELECT id, geo::text AS geo, search_vector::text AS vector FROM offer WHERE provider_id = $1 ORDER BY id`,
        [providerId],
      );
    const before = await read();
    expect(before.every((r) => r.geo && r.vector)).toBe(true);
    expect(before.some((r) => r.vector.includes('sprachcaf'))).toBe(true);
    await refreshSearchColumns(
      fx.db.sql,
      before.map((r) => r.id),
    );
    expect(await read()).toEqual(before);
  });

  it('treats reordered lists and equivalent dates as the same content', async () => {
    const providerId = await freshProvider('canonical');
    const actor = actorFor(providerId);
    await syncOffers(fx.db, actor, { offers: [offerInput('x')], providerSlug: 'canonical' });
    const base = offerInput('x');
    const reordered: OfferInput = {
      ...base,
      languages: ['ar', 'de', 'ar'],
      translations: [...(base.translations ?? [])].reverse(),
      slots: [...(base.slots ?? [])].reverse().map((s) => ({ ...s, startsAt: new Date(s.startsAt as string) })),
    };
    const again = await syncOffers(fx.db, actor, { offers: [reordered], providerSlug: 'canonical' });
    expect(again.results[0]?.status).toBe('UNCHANGED');
  });

  it('bumps the version by one on an update, rewrites parts, and soft-deletes slots left out', async () => {
    const providerId = await freshProvider('update');
    const actor = actorFor(providerId);
    const created = await syncOffers(fx.db, actor, { providerSlug: 'update', offers: [offerInput('u')] });
    const id = created.results[0]?.id;
    const slotIds = Object.fromEntries(
      (await fx.db.sql.query<{ external_id: string; id: string }>(`SELECT external_id, id FROM slot WHERE offer_id = $1`, [id])).map((r) => [
        r.external_id,
        r.id,
      ]),
    );

    const changed = offerInput('u', {
      translations: [{ language: 'de', title: 'Neuer Titel' }],
      languages: ['uk'],
      slots: [
        {
          externalId: 's1',
          startsAt: '2026-03-02T09:00:00+01:00',
          endsAt: '2026-07-31T12:00:00+02:00',
          capacity: 20,
          seatsAvailable: 0,
          locationExternalId: 'loc-main',
        },
      ],
    });
    const updated = await syncOffers(fx.db, actor, { providerSlug: 'update', offers: [changed] });
    expect(updated.results[0]).toMatchObject({ status: 'UPDATED', version: 2, id });

    const slots = await fx.db.sql.query<{ external_id: string; id: string; version: number; deleted: boolean; status: string; seats_available: number }>(
      `SELECT external_id, id, version, deleted_at IS NOT NULL AS deleted, status::text, seats_available FROM slot WHERE offer_id = $1 ORDER BY external_id`,
      [id],
    );
    expect(slots).toEqual([
      { external_id: 's1', id: slotIds.s1, version: 2, deleted: false, status: 'FULL', seats_available: 0 },
      { external_id: 's2', id: slotIds.s2, version: 2, deleted: true, status: 'SCHEDULED', seats_available: 15 },
    ]);
    const [texts] = await fx.db.sql.query<{ titles: string[]; languages: string[]; search_text: string }>(
      `SELECT (SELECT array_agg(title) FROM offer_translation WHERE offer_id = o.id) AS titles,
              (SELECT array_agg(language_code) FROM offer_language WHERE offer_id = o.id) AS languages, o.search_text
         FROM offer o WHERE id = $1`,
      [id],
    );
    expect(texts).toEqual({ titles: ['Neuer Titel'], languages: ['uk'], search_text: 'Neuer Titel\nSprachschule update' });

    // Sending the removed slot again revives it (same id).
    const revived = await syncOffers(fx.db, actor, { providerSlug: 'update', offers: [offerInput('u')] });
    expect(revived.results[0]).toMatchObject({ status: 'UPDATED', version: 3 });
    const [s2] = await fx.db.sql.query<{ id: string; deleted: boolean; version: number }>(
      `SELECT id, deleted_at IS NOT NULL AS deleted, version FROM slot WHERE offer_id = $1 AND external_id = 's2'`,
      [id],
    );
    expect(s2).toEqual({ id: slotIds.s2, deleted: false, version: 3 });
  });

  it('FULL mode soft-deletes the offers (and slots) not sent, and revives a deleted offer as UPDATED', async () => {
    const providerId = await freshProvider('full');
    const actor = actorFor(providerId);
    const created = await syncOffers(fx.db, actor, { providerSlug: 'full', offers: [offerInput('f1'), offerInput('f2'), offerInput('f3')] });
    const ids = Object.fromEntries(created.results.map((r) => [r.externalId, r.id]));

    const full = await syncOffers(fx.db, actor, { providerSlug: 'full', mode: 'FULL', offers: [offerInput('f1')] });
    expect(full.results.map((r) => [r.index, r.externalId, r.status, r.version])).toEqual([
      [0, 'f1', 'UNCHANGED', 1],
      [null, 'f2', 'DELETED', 2],
      [null, 'f3', 'DELETED', 2],
    ]);
    expect(full.summary).toMatchObject({ unchanged: 1, deleted: 2 });
    const live = await fx.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM slot WHERE offer_id = ANY($1::uuid[]) AND deleted_at IS NULL`, [
      [ids.f2, ids.f3],
    ]);
    expect(live[0]?.n).toBe(0);

    const revived = await syncOffers(fx.db, actor, { providerSlug: 'full', offers: [offerInput('f2')] });
    expect(revived.results[0]).toMatchObject({ status: 'UPDATED', id: ids.f2, version: 3 });
    const [row] = await fx.db.sql.query<{ deleted: boolean; slots: number }>(
      `SELECT deleted_at IS NOT NULL AS deleted, (SELECT count(*)::int FROM slot WHERE offer_id = o.id AND deleted_at IS NULL) AS slots FROM offer o WHERE id = $1`,
      [ids.f2],
    );
    expect(row).toEqual({ deleted: false, slots: 2 });
  });

  it('FULL mode spares the offers in keepExternalIds (a FULL sync split into batches)', async () => {
    const providerId = await freshProvider('keep');
    const actor = actorFor(providerId);
    await syncOffers(fx.db, actor, { providerSlug: 'keep', offers: ['k1', 'k2', 'k3', 'k4'].map((id) => offerInput(id)) });

    // Batch 1 of 2 as UPSERT, batch 2 as FULL keeping batch 1's externalIds: only k4 goes.
    await syncOffers(fx.db, actor, { providerSlug: 'keep', offers: [offerInput('k1')] });
    const dry = await syncOffers(fx.db, actor, {
      providerSlug: 'keep',
      mode: 'FULL',
      dryRun: true,
      keepExternalIds: ['k1', 'gone-already'],
      offers: [offerInput('k2'), offerInput('k3')],
    });
    expect(dry.results.filter((r) => r.status === 'DELETED').map((r) => r.externalId)).toEqual(['k4']);
    const last = await syncOffers(fx.db, actor, {
      providerSlug: 'keep',
      mode: 'FULL',
      keepExternalIds: ['k1', 'gone-already'],
      offers: [offerInput('k2'), offerInput('k3')],
    });
    expect(last.results.map((r) => [r.externalId, r.status])).toEqual([
      ['k2', 'UNCHANGED'],
      ['k3', 'UNCHANGED'],
      ['k4', 'DELETED'],
    ]);
    const live = await fx.db.sql.query<{ external_id: string }>(
      `SELECT external_id FROM offer WHERE provider_id = $1 AND deleted_at IS NULL ORDER BY external_id`,
      [providerId],
    );
    expect(live.map((r) => r.external_id)).toEqual(['k1', 'k2', 'k3']);

    // UPSERT ignores the list; the list is part of an idempotent request.
    const upsert = await syncOffers(fx.db, actor, { providerSlug: 'keep', keepExternalIds: [], offers: [offerInput('k2')] });
    expect(upsert.summary.deleted).toBe(0);
    await syncOffers(fx.db, actor, {
      providerSlug: 'keep',
      mode: 'FULL',
      idempotencyKey: 'full-1',
      keepExternalIds: ['k1'],
      offers: [offerInput('k2'), offerInput('k3')],
    });
    const reused = syncOffers(fx.db, actor, {
      providerSlug: 'keep',
      mode: 'FULL',
      idempotencyKey: 'full-1',
      keepExternalIds: ['k3'],
      offers: [offerInput('k2'), offerInput('k3')],
    });
    await expect(reused).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });

    const tooMany = Array.from({ length: MAX_KEEP_EXTERNAL_IDS + 1 }, (_, i) => `x${i}`);
    const before = await snapshot(fx.db);
    await expect(syncOffers(fx.db, actor, { providerSlug: 'keep', mode: 'FULL', keepExternalIds: tooMany, offers: [] })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      field: 'keepExternalIds',
      data: { max: MAX_KEEP_EXTERNAL_IDS },
    });
    expect(await snapshot(fx.db)).toEqual(before);
  });

  it('dryRun reports what would happen and writes nothing', async () => {
    const providerId = await freshProvider('dry');
    const actor = actorFor(providerId);
    await syncOffers(fx.db, actor, { providerSlug: 'dry', offers: [offerInput('d1'), offerInput('d2')] });
    const before = await snapshot(fx.db);
    const dry = await syncOffers(fx.db, actor, {
      providerSlug: 'dry',
      mode: 'FULL',
      dryRun: true,
      idempotencyKey: 'dry-key',
      offers: [offerInput('d1', { status: 'DRAFT' }), offerInput('d3'), offerInput('bad', { municipalityAgs: '08999999' })],
    });
    expect(dry.dryRun).toBe(true);
    expect(dry.results.map((r) => [r.externalId, r.status, r.version])).toEqual([
      ['d1', 'UPDATED', 2],
      ['d3', 'CREATED', 1],
      ['bad', 'FAILED', null],
    ]);
    expect(dry.results[1]?.id).toBeNull();
    expect(dry.deletionsSkipped).toBe(true);
    expect(await snapshot(fx.db)).toEqual(before);

    const dryFull = await syncOffers(fx.db, actor, { providerSlug: 'dry', mode: 'FULL', dryRun: true, offers: [offerInput('d1')] });
    expect(dryFull.results.map((r) => [r.externalId, r.status, r.version])).toEqual([
      ['d1', 'UNCHANGED', 1],
      ['d2', 'DELETED', 2],
    ]);
    expect(await snapshot(fx.db)).toEqual(before);
  });

  it('replays an idempotency key with the stored result and refuses the key with other input', async () => {
    const providerId = await freshProvider('idem');
    const actor = actorFor(providerId);
    const first = await syncOffers(fx.db, actor, { providerSlug: 'idem', idempotencyKey: 'batch-1', offers: [offerInput('i1')] });
    expect(first.replayed).toBe(false);
    const before = await snapshot(fx.db);
    const replay = await syncOffers(fx.db, actor, { providerSlug: 'idem', idempotencyKey: 'batch-1', offers: [offerInput('i1')] });
    expect(replay).toEqual({ ...first, replayed: true });
    expect(replay.results[0]?.status).toBe('CREATED');
    expect(await snapshot(fx.db)).toEqual(before);

    const reuse = syncOffers(fx.db, actor, { providerSlug: 'idem', idempotencyKey: 'batch-1', offers: [offerInput('i2')] });
    await expect(reuse).rejects.toBeInstanceOf(WriteError);
    await expect(reuse).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await snapshot(fx.db)).toEqual(before);

    // Keys are per provider: another provider may use the same key.
    const otherId = await freshProvider('idem-2');
    const other = await syncOffers(fx.db, actorFor(otherId), { providerSlug: 'idem-2', idempotencyKey: 'batch-1', offers: [offerInput('i2')] });
    expect(other.replayed).toBe(false);
  });

  it('refuses more than 1,000 offers with BATCH_TOO_LARGE and maxBatchSize', async () => {
    const providerId = await freshProvider('large');
    const before = await snapshot(fx.db);
    const offers = Array.from({ length: MAX_SYNC_BATCH + 1 }, (_, i) => offerInput(`l${i}`));
    const error = await syncOffers(fx.db, actorFor(providerId), { providerSlug: 'large', offers }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteError);
    expect(error).toMatchObject({ code: 'BATCH_TOO_LARGE', data: { maxBatchSize: 1000 } });
    expect(await snapshot(fx.db)).toEqual(before);
  });

  it('applies valid items, reports invalid ones FAILED with codes and paths, and changes nothing of them', async () => {
    const providerId = await freshProvider('mixed');
    const actor = actorFor(providerId);
    await syncOffers(fx.db, actor, { providerSlug: 'mixed', offers: [offerInput('existing')] });
    const [existingBefore] = await fx.db.sql.query<{ id: string; version: number; title: string }>(
      `SELECT o.id, o.version, t.title FROM offer o JOIN offer_translation t ON t.offer_id = o.id AND t.language_code = 'de' WHERE o.external_id = 'existing'`,
    );
    const long = 'x'.repeat(201);
    const slot = { externalId: 's', startsAt: '2026-03-02T09:00:00+01:00' };
    const offers: OfferInput[] = [
      offerInput('ok-1'),
      offerInput('bad-ags', { municipalityAgs: '08999999' }),
      offerInput('bad-end', { slots: [{ ...slot, endsAt: '2026-03-01T09:00:00+01:00' }] }),
      offerInput('bad-seats', { slots: [{ ...slot, capacity: 5, seatsAvailable: 6 }] }),
      offerInput('no-german', { translations: [{ language: 'en', title: 'English only' }] }),
      offerInput('bad-language', { languages: ['de', 'xx'] }),
      offerInput('long', { translations: [{ language: 'de', title: long, description: 'y'.repeat(5001) }] }),
      offerInput('dup'),
      offerInput('dup'),
      // An existing offer whose new input is invalid keeps its state.
      offerInput('existing', { translations: [{ language: 'de', title: 'Geändert' }], targetGroups: ['NOBODY'] }),
      offerInput('bad-programme', { programmeSlug: 'nope' }),
      offerInput('bad-cefr', { courseDetails: { courseType: 'INTEGRATIONSKURS', cefrFrom: 'B2', cefrTo: 'A1' } }),
      offerInput('bad-location', { slots: [{ ...slot, locationExternalId: 'nowhere' }] }),
      offerInput('no-place', { locations: [], slots: [] }),
      { externalId: 'shape', category: 'NOT_A_CATEGORY', translations: [{ language: 'de', title: 'T' }], municipalityAgs: '081' } as unknown as OfferInput,
      offerInput('ok-2'),
    ];
    const result = await syncOffers(fx.db, actor, { providerSlug: 'mixed', offers });
    const byId = (externalId: string) => result.results.filter((r) => r.externalId === externalId);
    const codes = (externalId: string) => byId(externalId).flatMap((r) => r.userErrors.map((e) => [e.field, e.code]));

    expect(byId('ok-1')[0]?.status).toBe('CREATED');
    expect(byId('ok-2')[0]?.status).toBe('CREATED');
    expect(codes('bad-ags')).toEqual([['offers[1].municipalityAgs', 'UNKNOWN_MUNICIPALITY']]);
    expect(codes('bad-end')).toEqual([['offers[2].slots[0].endsAt', 'END_BEFORE_START']]);
    expect(codes('bad-seats')).toEqual([['offers[3].slots[0].seatsAvailable', 'SEATS_ABOVE_CAPACITY']]);
    expect(codes('no-german')).toEqual([['offers[4].translations', 'GERMAN_TITLE_REQUIRED']]);
    expect(codes('bad-language')).toEqual([['offers[5].languages[1]', 'UNKNOWN_LANGUAGE']]);
    expect(codes('long')).toEqual([
      ['offers[6].translations[0].title', 'TOO_LONG'],
      ['offers[6].translations[0].description', 'TOO_LONG'],
    ]);
    expect(codes('dup')).toEqual([
      ['offers[7].externalId', 'DUPLICATE_EXTERNAL_ID'],
      ['offers[8].externalId', 'DUPLICATE_EXTERNAL_ID'],
    ]);
    expect(codes('existing')).toEqual([['offers[9].targetGroups[0]', 'UNKNOWN_TARGET_GROUP']]);
    expect(byId('existing')[0]).toMatchObject({ status: 'FAILED', id: existingBefore?.id, version: 1 });
    expect(codes('bad-programme')).toEqual([['offers[10].programmeSlug', 'UNKNOWN_PROGRAMME']]);
    expect(codes('bad-cefr')).toEqual([['offers[11].courseDetails.cefrTo', 'CEFR_RANGE']]);
    expect(codes('bad-location')).toEqual([['offers[12].slots[0].locationExternalId', 'UNKNOWN_LOCATION']]);
    expect(codes('no-place')).toEqual([['offers[13].municipalityAgs', 'MUNICIPALITY_REQUIRED']]);
    expect(codes('shape')).toEqual([
      ['offers[14].category', 'INVALID_VALUE'],
      ['offers[14].municipalityAgs', 'INVALID_FORMAT'],
    ]);
    for (const r of result.results) if (r.status === 'FAILED') expect(r.userErrors.every((e) => e.message.length > 0)).toBe(true);
    expect(result.summary).toEqual({ created: 2, updated: 0, unchanged: 0, deleted: 0, failed: 14 });

    const stored = await fx.db.sql.query<{ external_id: string }>(`SELECT external_id FROM offer WHERE provider_id = $1 ORDER BY external_id`, [providerId]);
    expect(stored.map((r) => r.external_id)).toEqual(['existing', 'ok-1', 'ok-2']);
    const [existingAfter] = await fx.db.sql.query<{ id: string; version: number; title: string }>(
      `SELECT o.id, o.version, t.title FROM offer o JOIN offer_translation t ON t.offer_id = o.id AND t.language_code = 'de' WHERE o.external_id = 'existing'`,
    );
    expect(existingAfter).toEqual(existingBefore);
  });

  it('reports missing fields as REQUIRED and wrong types as INVALID_VALUE', async () => {
    const providerId = await freshProvider('required');
    const { category: _omit, ...noCategory } = offerInput('r1');
    const result = await syncOffers(fx.db, actorFor(providerId), {
      providerSlug: 'required',
      offers: [noCategory as OfferInput, offerInput('r2', { isFree: 'yes' as unknown as boolean, slots: [{ externalId: 's' } as never] })],
    });
    expect(result.results.map((r) => r.userErrors.map((e) => [e.field, e.code, e.message]))).toEqual([
      [['offers[0].category', 'REQUIRED', 'Required.']],
      [
        ['offers[1].isFree', 'INVALID_VALUE', expect.any(String)],
        ['offers[1].slots[0].startsAt', 'REQUIRED', 'Required.'],
      ],
    ]);
  });

  it('FULL mode with a failed item deletes nothing', async () => {
    const providerId = await freshProvider('full-failed');
    const actor = actorFor(providerId);
    await syncOffers(fx.db, actor, { providerSlug: 'full-failed', offers: [offerInput('keep-1'), offerInput('keep-2'), offerInput('keep-3')] });
    const result = await syncOffers(fx.db, actor, {
      providerSlug: 'full-failed',
      mode: 'FULL',
      offers: [offerInput('keep-1'), offerInput('keep-2', { translations: [{ language: 'de', title: '' }] })],
    });
    expect(result.deletionsSkipped).toBe(true);
    expect(result.results.map((r) => r.status)).toEqual(['UNCHANGED', 'FAILED']);
    const live = await fx.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM offer WHERE provider_id = $1 AND deleted_at IS NULL`, [providerId]);
    expect(live[0]?.n).toBe(3);
  });

  it('fails an item that describes a shared location differently from an earlier item', async () => {
    const providerId = await freshProvider('locations');
    const actor = actorFor(providerId);
    const moved = { externalId: 'loc-main', street: 'Andere Straße 2', municipalityAgs: AGS.stuttgart };
    const result = await syncOffers(fx.db, actor, { providerSlug: 'locations', offers: [offerInput('l1'), offerInput('l2', { locations: [moved] })] });
    expect(result.results.map((r) => r.status)).toEqual(['CREATED', 'FAILED']);
    expect(result.results[1]?.userErrors[0]).toMatchObject({ field: 'offers[1].locations[0].street', code: 'CONFLICTING_LOCATION' });
    // Says which offer describes the place otherwise, and how, in words a clerk follows.
    expect(result.results[1]?.userErrors[0]?.message).toBe(
      'Place "loc-main" is described differently by offer "l1" (index 0) of this batch: street is "Königstraße 1" there and "Andere Straße 2" here. A place is one record shared by all your offers: describe it the same way each time.',
    );
    const locations = await fx.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM location WHERE provider_id = $1`, [providerId]);
    expect(locations[0]?.n).toBe(1);
  });

  it('writes the whole batch in one transaction: a database failure leaves nothing of it', async () => {
    const providerId = await freshProvider('atomic');
    const actor = actorFor(providerId);
    await syncOffers(fx.db, actor, { providerSlug: 'atomic', offers: [offerInput('t1')] });
    const before = await snapshot(fx.db);
    // Sabotage one statement late in the batch (the course-details insert) with a trigger.
    await fx.db.sql.exec(`
      CREATE FUNCTION fail_course_details() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'boom'; END $$;
      CREATE TRIGGER fail_course_details BEFORE INSERT ON course_details FOR EACH ROW EXECUTE FUNCTION fail_course_details();
    `);
    try {
      await expect(syncOffers(fx.db, actor, { providerSlug: 'atomic', mode: 'FULL', offers: [offerInput('t2'), offerInput('t3')] })).rejects.toThrow('boom');
    } finally {
      await fx.db.sql.exec(`DROP TRIGGER fail_course_details ON course_details; DROP FUNCTION fail_course_details();`);
    }
    expect(await snapshot(fx.db)).toEqual(before);
  });
});
