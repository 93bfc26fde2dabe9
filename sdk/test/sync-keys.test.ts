// Idempotency keys name a request, not a content: a fresh key per sync run and per retried
// mutation, reused by that call's retries only; 409 IDEMPOTENCY_KEY_IN_PROGRESS is waited for and
// retried; a replay by the server's Idempotency-Key layer is reported; the CLI makes, prints and
// resumes run keys.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { EXIT, runCli, type CliIo, type SyncRequest } from '../src/cli/run.js';
import { createClient, PaktError } from '../src/index.js';
import type { SyncReport } from '../src/sync.js';
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

const busyOnce = (data: unknown): Handler => (_, i) => (i === 0 ? { status: 503, body: 'busy' } : ok(data));
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
    expect(server!.requests.map((r) => (r.body.variables?.['input'] as { idempotencyKey: string }).idempotencyKey)).toEqual(keys);
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

describe('pakt sync run keys', () => {
  const EXAMPLE = new URL('../examples/offers.csv', import.meta.url);

  async function cli(args: string[], sync: (request: SyncRequest) => Promise<SyncReport>) {
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = {
      env: { PAKT_API_KEY: 'pakt_0123456789ab_secret' },
      stdout: { write: (t: string) => out.push(t) },
      stderr: { write: (t: string) => err.push(t) },
      readFile: async () => readFile(EXAMPLE, 'utf8'),
      sync,
    };
    const code = await runCli(['sync', 'offers.csv', '--provider', 'vhs', ...args], io);
    return { code, out: out.join(''), err: err.join('') };
  }
  const report = (request: SyncRequest): SyncReport => ({
    idempotencyKey: request.idempotencyKey!,
    mode: 'UPSERT',
    dryRun: false,
    total: 4,
    counts: { CREATED: 0, UPDATED: 0, UNCHANGED: 4, DELETED: 0, FAILED: 0 },
    results: [],
    failed: [],
    batches: [],
    deletionsSkipped: false,
    replayed: 0,
  });

  it('makes a new run key for every invocation, prints it first, and syncs under it', async () => {
    const seen: SyncRequest[] = [];
    const runs = [];
    for (let i = 0; i < 2; i++) runs.push(await cli([], async (request) => (seen.push(request), report(request))));
    const [first, second] = seen.map((r) => r.idempotencyKey!);
    expect(first).toMatch(UUID);
    expect(second).toMatch(UUID);
    expect(second).not.toBe(first);
    expect(runs[0]?.code).toBe(EXIT.OK);
    expect(runs[0]?.err.split('\n')[0]).toBe(`Run key ${first} (if this run is interrupted, resume it with --idempotency-key ${first})`);
  });

  it('resumes a run with --idempotency-key, and says how to resume a run that failed', async () => {
    let request: SyncRequest | undefined;
    const resumed = await cli(['--idempotency-key', 'run-7'], async (r) => ((request = r), report(r)));
    expect(request?.idempotencyKey).toBe('run-7');
    expect(resumed.err).toContain('Resuming run run-7');

    const failed = await cli([], async () => {
      throw new PaktError('mutation SyncOffers could not reach the server', { code: 'NETWORK_ERROR' });
    });
    expect(failed.code).toBe(EXIT.FAILED);
    const key = /^Run key (\S+) /.exec(failed.err)?.[1];
    expect(failed.err).toContain(`run the same command with --idempotency-key ${key}`);

    const reused = await cli(['--idempotency-key', 'run-7'], async () => {
      throw new PaktError('Key reused.', { code: 'IDEMPOTENCY_KEY_REUSED' });
    });
    expect(reused.err).toContain('run again without --idempotency-key');
  });

  it('refuses a key the server would not take, before reading the file', async () => {
    for (const bad of ['', 'x'.repeat(181), 'schlüssel']) {
      const run = await cli(['--idempotency-key', bad], async () => {
        throw new Error('must not sync');
      });
      expect(run.code, JSON.stringify(bad)).toBe(EXIT.USAGE);
      expect(run.err).toContain('--idempotency-key must have 1 to 180 printable ASCII characters');
    }
  });

  it('prints no run key for a dry run (it changes nothing to resume)', async () => {
    const run = await cli(['--dry-run'], async (r) => ({ ...report(r), dryRun: true }));
    expect(run.err).not.toContain('Run key');
  });
});
