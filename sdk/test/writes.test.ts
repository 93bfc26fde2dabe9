// The write methods over the small fake server: what they send, what they return, and which of
// them are retried (the ones that set a state) and which never are (adjusting seats, issuing keys).
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, PaktConflictError, PaktNetworkError, type ClientOptions, type OfferInput } from '../src/index.js';
import { ok, startFakeServer, type FakeServer, type Handler } from './fake-server.js';

const fast = { minDelayMs: 1, maxDelayMs: 5 };
const API_KEY = 'pakt_0123456789ab_abcdefghijklmnopqrstuvwxyz';

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler, options: Partial<ClientOptions> = {}) {
  server = await startFakeServer(handler);
  return { pakt: createClient({ endpoint: server.url, apiKey: API_KEY, retry: fast, ...options }), server };
}

/** Answers 503 to the first request, then `data`. */
const busyOnce =
  (data: unknown): Handler =>
  (_, i) =>
    i === 0 ? { status: 503, body: 'busy' } : ok(data);

const OFFER: OfferInput = {
  externalId: 'k1',
  category: 'LANGUAGE_COURSE',
  municipalityAgs: '08111000',
  translations: [{ language: 'de', title: 'Kurs' }],
};
const seats = { slotId: 'S1', offerId: 'O1', seatsAvailable: 3, capacity: 10, status: 'SCHEDULED', version: 4, slot: null };

describe('write methods', () => {
  it('offers.upsert sends the input, retries after a 503 (a repeat is UNCHANGED) and flattens the payload', async () => {
    const result = { index: 0, externalId: 'k1', status: 'CREATED', offerId: 'O1', version: 1, userErrors: [] };
    const { pakt, server } = await setup(busyOnce({ upsertOffer: { result, offer: { id: 'O1' } } }));
    const upserted = await pakt.offers.upsert(OFFER, { providerSlug: 'vhs', expectedVersion: 3 });
    expect(upserted).toEqual({ ...result, offer: { id: 'O1' } });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]?.body.operationName).toBe('UpsertOffer');
    expect(server.requests[1]?.body.variables).toEqual({ input: { offer: OFFER, providerSlug: 'vhs', expectedVersion: 3 } });
  });

  it('offers.delete / publish / unpublish send the id and expectedVersion and are retried', async () => {
    const state = { offerId: 'O1', externalId: 'k1', version: 2, status: 'DRAFT', deleted: false, changed: true, offer: null };
    const { pakt, server } = await setup((request, i) => {
      if (i === 0) return { status: 502, body: 'bad gateway' };
      const field = { DeleteOffer: 'deleteOffer', PublishOffer: 'publishOffer', UnpublishOffer: 'unpublishOffer' }[request.body.operationName!]!;
      return ok({ [field]: state });
    });
    expect(await pakt.offers.unpublish('O1', { expectedVersion: 1 })).toEqual(state);
    expect(await pakt.offers.publish('O1')).toEqual(state);
    expect(await pakt.offers.delete('O1')).toEqual(state);
    expect(server.requests.map((r) => [r.body.operationName, r.body.variables])).toEqual([
      ['UnpublishOffer', { input: { id: 'O1', expectedVersion: 1 } }],
      ['UnpublishOffer', { input: { id: 'O1', expectedVersion: 1 } }],
      ['PublishOffer', { input: { id: 'O1' } }],
      ['DeleteOffer', { input: { id: 'O1' } }],
    ]);
  });

  it('a lost version race throws PaktConflictError with currentVersion', async () => {
    const { pakt } = await setup(() => ({
      body: { data: null, errors: [{ message: 'Version conflict.', extensions: { code: 'CONFLICT', currentVersion: 7 } }] },
    }));
    const error = await pakt.offers.delete('O1', { expectedVersion: 6 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktConflictError);
    expect((error as PaktConflictError).currentVersion).toBe(7);
  });

  it('slots.updateSeats is retried (it sets a value)', async () => {
    const { pakt, server } = await setup(busyOnce({ updateSlotSeats: seats }));
    expect(await pakt.slots.updateSeats('S1', 3, { expectedVersion: 3 })).toEqual(seats);
    expect(server.requests.map((r) => r.body.variables)).toEqual([
      { input: { slotId: 'S1', seatsAvailable: 3, expectedVersion: 3 } },
      { input: { slotId: 'S1', seatsAvailable: 3, expectedVersion: 3 } },
    ]);
  });

  it('slots.adjustSeats is never retried, not even with an idempotency key or a retry policy', async () => {
    const { pakt, server } = await setup(() => ({ status: 503, body: 'busy' }), { retry: { ...fast, retries: 5 } });
    const error = await pakt.slots.adjustSeats('S1', -1, { idempotencyKey: 'k', retry: { retries: 3 } } as never).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers['idempotency-key']).toBeUndefined();
    expect(server.requests[0]?.body.variables).toEqual({ input: { slotId: 'S1', delta: -1 } });
  });

  it('slots.adjustSeats after a network error throws at once', async () => {
    const pakt = createClient({ endpoint: 'http://127.0.0.1:9/graphql', retry: fast });
    const error = await pakt.slots.adjustSeats('S1', 1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktNetworkError);
    expect((error as PaktNetworkError).attempts).toBe(1);
  });

  it('apiKeys.create is never retried; revoke is; list and viewer read the viewer', async () => {
    const apiKey = {
      id: 'K1',
      prefix: '0123456789ab',
      name: 'n',
      scopes: ['OFFERS_WRITE'],
      createdAt: 't',
      lastUsedAt: null,
      revokedAt: null,
      provider: { slug: 'vhs', name: 'VHS' },
    };
    const { pakt, server } = await setup((request, i) => {
      if (i === 0 || i === 1) return { status: 503, body: 'busy' };
      if (request.body.operationName === 'RevokeApiKey') return ok({ revokeApiKey: { changed: true, apiKey } });
      if (request.body.operationName === 'ApiKeys') return ok({ viewer: { apiKeys: [apiKey] } });
      return ok({ viewer: { scopes: ['OFFERS_WRITE'], provider: { slug: 'vhs' }, actingFor: [], apiKey } });
    });
    await expect(pakt.apiKeys.create({ scopes: ['OFFERS_WRITE'] })).rejects.toMatchObject({ status: 503, attempts: 1 });
    expect(await pakt.apiKeys.revoke({ prefix: '0123456789ab' })).toEqual({ changed: true, apiKey });
    expect(await pakt.apiKeys.list({ providerSlug: 'vhs' })).toEqual([apiKey]);
    expect((await pakt.viewer())?.scopes).toEqual(['OFFERS_WRITE']);
    expect(server.requests.map((r) => [r.body.operationName, r.body.variables])).toEqual([
      ['CreateApiKey', { input: { scopes: ['OFFERS_WRITE'] } }],
      ['RevokeApiKey', { input: { prefix: '0123456789ab' } }],
      ['RevokeApiKey', { input: { prefix: '0123456789ab' } }],
      ['ApiKeys', { providerSlug: 'vhs' }],
      ['Viewer', undefined],
    ]);
  });

  it('offers.sync: a replay at the first attempt counts as UNCHANGED, a replay on a retry keeps the outcome', async () => {
    const answer = (replayed: boolean) => ({
      syncOffers: {
        mode: 'UPSERT',
        dryRun: false,
        replayed,
        deletionsSkipped: false,
        summary: { created: 1, updated: 0, unchanged: 0, deleted: 0, failed: 0 },
        results: [{ index: 0, externalId: 'k1', status: 'CREATED', offerId: 'O1', version: 1, offer: null, userErrors: [] }],
      },
    });
    // Run 1: the first attempt is lost (503), the retry is answered from the record of that attempt.
    const { pakt, server } = await setup((_, i) => (i === 0 ? { status: 503, body: 'busy' } : ok(answer(i >= 1))));
    const first = await pakt.offers.sync([OFFER], { idempotencyKey: 'run' });
    expect(first).toMatchObject({ replayed: 0, counts: { CREATED: 1, UNCHANGED: 0 } });
    // Run 2 with the same key: answered at once from the record of run 1.
    const second = await pakt.offers.sync([OFFER], { idempotencyKey: 'run' });
    expect(second).toMatchObject({ replayed: 1, counts: { CREATED: 0, UNCHANGED: 1 } });
    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['run:0', 'run:0', 'run:0']);
  });
});
