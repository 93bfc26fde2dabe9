// Idempotency keys name a request, not a content: a fresh key per sync run and per retried
// mutation, reused by that call's retries only; 409 IDEMPOTENCY_KEY_IN_PROGRESS is waited for and
// retried; a replay by the server's Idempotency-Key layer is reported. (The CLI's run keys:
// packages/cli/test/run-keys.test.ts.)
import { afterEach, describe, expect, it } from 'vitest';
import { createClient, PaktError } from '../src/index.js';
import { ok, startFakeServer, type FakeServer, type Handler } from './fake-server.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const fast = { minDelayMs: 1, maxDelayMs: 2 };
const MUTATION = 'mutation Book($id: ID!) { adjustSlotSeats(input: { slotId: $id, delta: -1 }) { seatsAvailable } }';
const OFFER = { externalId: 'k1', category: 'LANGUAGE_COURSE' as const, translations: [{ language: 'de', title: 'Kurs' }] };

let server: FakeServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: Handler) {
  server = await startFakeServer(handler);
  return { pakt: createClient({ endpoint: server.url, apiKey: 'pakt_0123456789ab_secret', retry: fast }), server };
}

const busyOnce =
  (data: unknown): Handler =>
  (_, i) =>
    i === 0 ? { status: 503, body: 'busy' } : ok(data);
const keysSent = () => server!.requests.map((r) => r.headers['idempotency-key']);

const syncAnswer = (externalId = 'k1') => ({
  syncOffers: {
    mode: 'UPSERT',
    dryRun: false,
    replayed: false,
    deletionsSkipped: false,
    summary: { created: 1, updated: 0, unchanged: 0, deleted: 0, failed: 0 },
    results: [{ index: 0, externalId, status: 'CREATED', offerId: 'O1', version: 1, offer: null, userErrors: [] }],
  },
});

describe('offers.sync run keys', () => {
  it('makes a fresh run key per call: three calls with the same offers share no key', async () => {
    const { pakt } = await setup(() => ok(syncAnswer()));
    const reports = [await pakt.offers.sync([OFFER]), await pakt.offers.sync([OFFER]), await pakt.offers.sync([OFFER])];
    const keys = keysSent();
    expect(new Set(keys).size).toBe(3);
    expect(keys).toEqual(reports.map((r) => `${r.idempotencyKey}:0`));
    for (const report of reports) expect(report.idempotencyKey).toMatch(UUID);
    // The body-level key is the same as the header's.
    expect(server!.requests.map((r) => (r.body.variables?.['input'] as { idempotencyKey: string } | undefined)?.idempotencyKey)).toEqual(keys);
  });

  it('reuses the batch key on retries within the call', async () => {
    const { pakt } = await setup(busyOnce(syncAnswer()));
    const report = await pakt.offers.sync([OFFER]);
    expect(keysSent()).toEqual([`${report.idempotencyKey}:0`, `${report.idempotencyKey}:0`]);
    expect(report.counts.CREATED).toBe(1);
  });

  it('reads a replay by the Idempotency-Key layer: an earlier run at the first attempt, this run on a retry', async () => {
    // The stored response comes back as it was sent (replayed: false in the body), marked by the header.
    const replayed: Handler = () => ({ ...ok(syncAnswer()), headers: { 'Idempotent-Replayed': 'true' } });
    const resumed = await setup(replayed);
    const earlier = await resumed.pakt.offers.sync([OFFER], { idempotencyKey: 'crashed-run' });
    expect(earlier).toMatchObject({ replayed: 1, counts: { CREATED: 0, UNCHANGED: 1 }, batches: [{ replayed: true, idempotencyKey: 'crashed-run:0' }] });
    await server!.close();

    const retried = await setup((request, i) => (i === 0 ? { status: 503, body: 'busy' } : replayed(request, i)));
    const own = await retried.pakt.offers.sync([OFFER]);
    expect(own).toMatchObject({ replayed: 0, counts: { CREATED: 1 } });
    await server!.close();

    // The body extension says the same where the header cannot be read (a browser without CORS exposure).
    const viaBody = await setup(() => ({ body: { data: syncAnswer(), extensions: { idempotency: { replayed: true } } } }));
    expect(await viaBody.pakt.offers.sync([OFFER], { idempotencyKey: 'r' })).toMatchObject({ replayed: 1 });
  });
});

describe('retried mutations always carry a key', () => {
  it('gives a mutation the SDK may repeat a fresh key per call, reused by its retries', async () => {
    const upserted = { upsertOffer: { result: { status: 'CREATED', offerId: 'O1', version: 1, externalId: 'k1' }, offer: null } };
    const { pakt } = await setup((_, i) => (i === 0 || i === 2 ? { status: 503, body: 'busy' } : ok(upserted)));
    await pakt.offers.upsert(OFFER);
    await pakt.offers.upsert(OFFER);
    const [a1, a2, b1, b2] = keysSent();
    expect(a1).toMatch(UUID);
    expect([a2, b2]).toEqual([a1, b1]);
    expect(b1).not.toBe(a1);
    // The caller's own key wins.
    await pakt.offers.upsert(OFFER, { idempotencyKey: 'mine' });
    expect(keysSent().at(-1)).toBe('mine');
  });

  it('sends no key with, and never retries, a mutation it may not repeat', async () => {
    const { pakt } = await setup(() => ({ status: 503, body: 'busy' }));
    await expect(pakt.request(MUTATION, { id: 'S1' })).rejects.toMatchObject({ status: 503, attempts: 1 });
    expect(keysSent()).toEqual([undefined]);
  });

  it('waits Retry-After and retries a keyed mutation answered 409 IDEMPOTENCY_KEY_IN_PROGRESS', async () => {
    const inProgress = {
      status: 409,
      headers: { 'Retry-After': '0' },
      body: { errors: [{ message: 'Still in progress.', extensions: { code: 'IDEMPOTENCY_KEY_IN_PROGRESS', retryAfterSeconds: 0 } }] },
    };
    const { pakt } = await setup((_, i) => (i < 2 ? inProgress : ok({ adjustSlotSeats: { seatsAvailable: 4 } })));
    expect(await pakt.request(MUTATION, { id: 'S1' }, { idempotencyKey: 'booking-1' })).toEqual({ adjustSlotSeats: { seatsAvailable: 4 } });
    expect(keysSent()).toEqual(['booking-1', 'booking-1', 'booking-1']);
  });

  it('does not retry the refusals a repeat cannot change: IDEMPOTENCY_KEY_REUSED (422), IDEMPOTENCY_RESPONSE_LOST (409)', async () => {
    for (const [status, code] of [
      [422, 'IDEMPOTENCY_KEY_REUSED'],
      [409, 'IDEMPOTENCY_RESPONSE_LOST'],
    ] as const) {
      const { pakt } = await setup(() => ({ status, body: { errors: [{ message: code, extensions: { code } }] } }));
      const error = await pakt.request(MUTATION, { id: 'S1' }, { idempotencyKey: 'k' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PaktError);
      expect(error).toMatchObject({ code, status, attempts: 1 });
      await server!.close();
    }
  });
});
