// @pakt-bw/sdk (the built package, sdk/dist) against a real API server: a fresh seeded database, the
// app on an ephemeral port, real API keys. Syncs in batches (replays, FULL over several batches),
// pagination, the change feed, conflicts, auth errors, seats, and the `pakt` CLI as a child process.
// Retries are covered by the SDK's unit tests against a small fake server (sdk/test).
//
// Needs the SDK built (`pnpm --filter @pakt-bw/sdk build`; the root test script builds it).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createClient, PaktAuthError, PaktConflictError, PaktGraphQLError, type OfferInput, PaktDeletionLimitError, type PaktClient } from '@pakt-bw/sdk';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { loadConfig } from '../../api/src/config.js';
import { createApp, type App } from '../../api/src/yoga.js';

const SDK = fileURLToPath(new URL('../../sdk/', import.meta.url));
const CLI = fileURLToPath(new URL('../../packages/cli/dist/pakt.js', import.meta.url));
const EXAMPLE_CSV = fileURLToPath(new URL('../../packages/cli/examples/offers.csv', import.meta.url));
/** The sample Volkshochschule the example CSV belongs to (seeded with the sample providers). */
const VHS = 'volkshochschule-esslingen-am-neckar';
/** The provider the SDK's own syncs write for (FULL syncs delete its sample offers). */
const SCHOOL = 'sprachschule-bruecke-esslingen-am-neckar';
const ESSLINGEN = '08116019';

let db: TestDatabase;
let app: App;
let server: Server;
let endpoint: string;
let schoolKey: string;
let vhsKey: string;
/** The GraphQL requests a client sent, parsed, to look at how the SDK split a sync. */
let sent: { operationName?: string; variables?: Record<string, any>; headers: Record<string, string> }[] = [];
let school: PaktClient;
let anonymous: PaktClient;

/** A small valid offer of the language school, in Esslingen, with one slot. */
function offer(externalId: string, extra: Partial<OfferInput> = {}): OfferInput {
  return {
    externalId,
    category: 'LANGUAGE_COURSE',
    municipalityAgs: ESSLINGEN,
    languages: ['de'],
    translations: [{ language: 'de', title: `Deutschkurs ${externalId}` }],
    slots: [{ externalId: `${externalId}-1`, startsAt: '2027-03-01T09:00:00+01:00', capacity: 12, seatsAvailable: 5 }],
    ...extra,
  };
}

const ids = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${String(i).padStart(2, '0')}`);

/** externalIds of the public offers of a provider, through the SDK's iterator. */
async function publicExternalIds(provider: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of anonymous.offers.iterate({ providers: [provider] }, { pageSize: 100 })) out.push(o.externalId);
  return out.sort();
}

/** externalIds of a provider's offers that are not deleted (drafts included), from the database. */
async function storedExternalIds(provider: string): Promise<string[]> {
  const rows = await db.sql.query<{ external_id: string }>(
    'SELECT o.external_id FROM offer o JOIN provider p ON p.id = o.provider_id WHERE p.slug = $1 AND o.deleted_at IS NULL ORDER BY 1',
    [provider],
  );
  return rows.map((r) => r.external_id).sort();
}

/** Runs the built CLI as a child process (never blocking this process, which serves the API). */
function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  if (!existsSync(CLI) || !existsSync(join(SDK, 'dist/index.js'))) {
    throw new Error('The SDK or the CLI is not built (sdk/dist or packages/cli/dist is missing): run `pnpm build` first (the root `pnpm test` does).');
  }
  db = await createTestDatabase();
  await migrate(db);
  // A few hundred sample offers: every sample provider exists at any scale.
  await seed(db, { scale: 300 });
  app = createApp({ db, config: loadConfig({ LOG_LEVEL: 'error' }), graphiql: false });
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;

  const operator = { kind: 'operator' } as const;
  schoolKey = (await createApiKey(db, operator, { providerSlug: SCHOOL, scopes: ['OFFERS_WRITE', 'SLOTS_WRITE'], name: 'sdk-live' })).key;
  vhsKey = (await createApiKey(db, operator, { providerSlug: VHS, scopes: ['OFFERS_WRITE'], name: 'sdk-live cli' })).key;

  const recording: typeof fetch = (input, init) => {
    if (typeof init?.body === 'string') sent.push({ ...JSON.parse(init.body), headers: { ...(init.headers as Record<string, string>) } });
    return fetch(input, init);
  };
  school = createClient({ endpoint, apiKey: schoolKey, fetch: recording, retry: { minDelayMs: 10, maxDelayMs: 50 } });
  anonymous = createClient({ endpoint });
});

afterAll(async () => {
  if (server) {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  await app?.dispose();
  await db?.drop();
});

describe('@pakt-bw/sdk against a live server', () => {
  it("viewer(): the key's provider and scopes; null without a key", async () => {
    const viewer = await school.viewer();
    expect(viewer?.provider.slug).toBe(SCHOOL);
    expect([...(viewer?.scopes ?? [])].sort()).toEqual(['OFFERS_WRITE', 'SLOTS_WRITE']);
    expect(viewer?.apiKey.prefix).toBe(/^pakt_([0-9a-f]+)_/.exec(schoolKey)?.[1]);
    expect(await anonymous.viewer()).toBeNull();
  });

  it('throws PaktAuthError for a bogus key (401) and for a provider the key may not write for (403)', async () => {
    const bogus = createClient({ endpoint, apiKey: 'pakt_000000000000_notarealkeynotarealkeynotarealkey' });
    const unauthenticated = await bogus.offers.sync([offer('x')], { providerSlug: SCHOOL }).catch((e: unknown) => e);
    expect(unauthenticated).toBeInstanceOf(PaktAuthError);
    expect(unauthenticated).toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(String((unauthenticated as Error).message)).not.toContain('notarealkey');
    await expect(bogus.viewer()).rejects.toBeInstanceOf(PaktAuthError);

    const forbidden = await school.offers.sync([offer('x')], { providerSlug: VHS }).catch((e: unknown) => e);
    expect(forbidden).toBeInstanceOf(PaktAuthError);
    expect(forbidden).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    // Nothing was written by either.
    expect(await publicExternalIds(SCHOOL)).not.toContain('x');
  });

  it('syncs in batches: CREATED, then a replay (same key) and re-sends (new run keys) all come back UNCHANGED', async () => {
    const offers = ids('k', 12).map((id) => offer(id));
    const progress: number[] = [];
    sent = [];
    const created = await school.offers.sync(offers, {
      providerSlug: SCHOOL,
      batchSize: 5,
      idempotencyKey: 'round-trip-1',
      onProgress: (p) => progress.push(p.processed),
    });
    expect(created.counts).toEqual({ CREATED: 12, UPDATED: 0, UNCHANGED: 0, DELETED: 0, FAILED: 0 });
    expect(created.batches.map((b) => [b.label, b.size, b.idempotencyKey, b.mode])).toEqual([
      ['0', 5, 'round-trip-1:0', 'UPSERT'],
      ['1', 5, 'round-trip-1:1', 'UPSERT'],
      ['2', 2, 'round-trip-1:2', 'UPSERT'],
    ]);
    expect(progress).toEqual([5, 10, 12]);
    expect(created.results.every((r) => r.offerId && r.version === 1 && r.offer?.id === r.offerId)).toBe(true);
    expect(sent.map((s) => [s.operationName, s.headers['idempotency-key'], s.variables?.['input'].idempotencyKey])).toEqual([
      ['SyncOffers', 'round-trip-1:0', 'round-trip-1:0'],
      ['SyncOffers', 'round-trip-1:1', 'round-trip-1:1'],
      ['SyncOffers', 'round-trip-1:2', 'round-trip-1:2'],
    ]);

    // The same key again: the server answers every batch from its record and writes nothing.
    const replayed = await school.offers.sync(offers, { providerSlug: SCHOOL, batchSize: 5, idempotencyKey: 'round-trip-1' });
    expect(replayed).toMatchObject({ replayed: 3, counts: { CREATED: 0, UNCHANGED: 12 } });

    // Without a key: a new run key per call, so the server compares and finds nothing to do…
    const resent = await school.offers.sync(offers, { providerSlug: SCHOOL, batchSize: 5 });
    expect(resent).toMatchObject({ replayed: 0, counts: { CREATED: 0, UPDATED: 0, UNCHANGED: 12 } });
    // …and once more: again new keys, again compared (a state sent before is never taken for a replay).
    const again = await school.offers.sync(offers, { providerSlug: SCHOOL, batchSize: 5 });
    expect(again).toMatchObject({ replayed: 0, counts: { UNCHANGED: 12 } });
    expect(again.batches.map((b) => b.idempotencyKey)).toEqual(['0', '1', '2'].map((label) => `${again.idempotencyKey}:${label}`));
    expect(again.idempotencyKey).not.toBe(resent.idempotencyKey);

    // A changed offer is UPDATED (version 2), the others stay.
    const changed = offers.map((o) => (o.externalId === 'k03' ? { ...o, cost: '20 EUR' } : o));
    const updated = await school.offers.sync(changed, { providerSlug: SCHOOL, batchSize: 5 });
    expect(updated.counts).toMatchObject({ UPDATED: 1, UNCHANGED: 11 });
    expect(updated.results.find((r) => r.externalId === 'k03')).toMatchObject({ status: 'UPDATED', version: 2 });

    // Invalid offers are reported, not thrown.
    const invalid = await school.offers.sync([offer('bad', { municipalityAgs: '99999999' })], { providerSlug: SCHOOL });
    expect(invalid.counts.FAILED).toBe(1);
    expect(invalid.failed[0]?.userErrors[0]).toMatchObject({ code: 'UNKNOWN_MUNICIPALITY' });
  });

  it('FULL across 3 batches deletes what no batch sent and keeps what the earlier batches sent', async () => {
    // The school's offers now: its sample offers (published or not) and k00…k11 from the test above.
    const stored = await storedExternalIds(SCHOOL);
    expect(stored).toEqual(expect.arrayContaining(ids('k', 12)));
    const samples = stored.filter((id) => !/^k\d\d$/.test(id));

    const offers = [...ids('f', 10), ...ids('k', 5)].map((id) => offer(id));
    // More than 20 % of the catalogue goes: refused before anything is written (the preview only).
    sent = [];
    const refused = await school.offers.sync(offers, { providerSlug: SCHOOL, mode: 'FULL', batchSize: 5, idempotencyKey: 'full-0' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(PaktDeletionLimitError);
    expect(refused).toMatchObject({ code: 'TOO_MANY_DELETIONS', deletions: samples.length + 7, offers: stored.length, maxDeleteRatio: 0.2, partial: false });
    expect(sent.map((s) => [s.variables?.['input'].mode, s.variables?.['input'].dryRun])).toEqual([['FULL', true]]);
    expect(await storedExternalIds(SCHOOL)).toEqual(stored);

    // On purpose: maxDeleteRatio 1 allows it.
    sent = [];
    const report = await school.offers.sync(offers, { providerSlug: SCHOOL, mode: 'FULL', batchSize: 5, idempotencyKey: 'full-1', maxDeleteRatio: 1 });

    const inputs = sent.map((s) => s.variables?.['input']);
    expect(inputs.map((i) => [i.mode, i.offers.length, i.keepExternalIds])).toEqual([
      ['FULL', 0, offers.map((o) => o.externalId)],
      ['UPSERT', 5, undefined],
      ['UPSERT', 5, undefined],
      ['FULL', 5, ids('f', 10)],
    ]);
    const deleted = report.results
      .filter((r) => r.status === 'DELETED')
      .map((r) => r.externalId)
      .sort();
    expect(deleted).toEqual([...samples, ...ids('k', 12).slice(5)].sort());
    expect(report).toMatchObject({
      mode: 'FULL',
      deletionsSkipped: false,
      total: 15,
      // k03 had been changed above and is sent as it was before: UPDATED.
      counts: { CREATED: 10, UPDATED: 1, UNCHANGED: 4, DELETED: samples.length + 7, FAILED: 0 },
    });
    expect(await publicExternalIds(SCHOOL)).toEqual(offers.map((o) => o.externalId).sort());
    expect(await storedExternalIds(SCHOOL)).toEqual(offers.map((o) => o.externalId).sort());

    // A FULL run with a FAILED offer in an earlier batch deletes nothing: the last batch goes as UPSERT.
    sent = [];
    const partial = [
      offer('f00', { municipalityAgs: '99999999' }),
      ...ids('f', 4)
        .slice(1)
        .map((id) => offer(id)),
    ];
    const skipped = await school.offers.sync(partial, { providerSlug: SCHOOL, mode: 'FULL', batchSize: 2, maxDeleteRatio: 1 });
    expect(sent.filter((s) => !s.variables?.['input'].dryRun).map((s) => s.variables?.['input'].mode)).toEqual(['UPSERT', 'UPSERT']);
    expect(skipped).toMatchObject({ deletionsSkipped: true, counts: { FAILED: 1, DELETED: 0 } });
    expect(await publicExternalIds(SCHOOL)).toEqual(offers.map((o) => o.externalId).sort());

    // A dry FULL run reports what it would delete, and deletes nothing.
    const dry = await school.offers.sync(offers.slice(0, 12), { providerSlug: SCHOOL, mode: 'FULL', batchSize: 5, dryRun: true });
    expect(dry).toMatchObject({ dryRun: true, counts: { UNCHANGED: 12, DELETED: 3 } });
    expect(await publicExternalIds(SCHOOL)).toHaveLength(15);
  });

  it('iterates across pages: offers.iterate yields totalCount offers, each once', async () => {
    const cases = [
      { filter: {}, pageSize: 37 },
      { filter: { near: { ags: ESSLINGEN, radiusKm: 25 } }, pageSize: 4 },
    ];
    for (const { filter, pageSize } of cases) {
      const { totalCount } = await anonymous.offers.search(filter, { first: 1 });
      const seen: string[] = [];
      for await (const o of anonymous.offers.iterate(filter, { pageSize })) seen.push(o.id);
      expect(seen.length).toBe(totalCount);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.length).toBeGreaterThan(pageSize * 2);
    }
  });

  it('upsert with a stale expectedVersion throws PaktConflictError with currentVersion', async () => {
    const current = await school.offers.upsert(offer('f01'), { providerSlug: SCHOOL });
    expect(current).toMatchObject({ status: 'UNCHANGED', version: 1 });
    const error = await school.offers.upsert(offer('f01', { cost: '5 EUR' }), { providerSlug: SCHOOL, expectedVersion: 7 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaktConflictError);
    expect((error as PaktConflictError).currentVersion).toBe(1);
    const ok = await school.offers.upsert(offer('f01', { cost: '5 EUR' }), { providerSlug: SCHOOL, expectedVersion: 1 });
    expect(ok).toMatchObject({ status: 'UPDATED', version: 2 });
    await expect(school.offers.delete(ok.offerId!, { expectedVersion: 1 })).rejects.toMatchObject({
      name: 'PaktConflictError',
      currentVersion: 2,
    });
  });

  it('unpublish, publish and delete an offer', async () => {
    const { offerId } = await school.offers.upsert(offer('f02'), { providerSlug: SCHOOL });
    const id = offerId!;
    expect(await school.offers.unpublish(id)).toMatchObject({ status: 'DRAFT', changed: true });
    expect(await anonymous.offers.get(id)).toBeNull();
    expect(await school.offers.unpublish(id)).toMatchObject({ changed: false });
    expect(await school.offers.publish(id)).toMatchObject({ status: 'PUBLISHED', changed: true });
    expect((await anonymous.offers.get(id))?.externalId).toBe('f02');
    expect(await school.offers.delete(id)).toMatchObject({ deleted: true, changed: true, offer: null });
    expect(await anonymous.offers.get(id)).toBeNull();
    // A sync that sends it again revives it (same id).
    const revived = await school.offers.sync([offer('f02')], { providerSlug: SCHOOL });
    expect(revived.results[0]).toMatchObject({ status: 'UPDATED', offerId: id });
  });

  it('adjusts and sets the seats of a slot', async () => {
    const upserted = await school.offers.upsert(
      offer('seats', { slots: [{ externalId: 'seats-1', startsAt: '2027-04-01T09:00:00+02:00', capacity: 3, seatsAvailable: 2 }] }),
      { providerSlug: SCHOOL },
    );
    const slot = upserted.offer!.slots.edges[0]!.node;
    expect(slot).toMatchObject({ externalId: 'seats-1', capacity: 3, seatsAvailable: 2 });

    sent = [];
    const booked = await school.slots.adjustSeats(slot.id, -1);
    expect(booked).toMatchObject({ seatsAvailable: 1, status: 'SCHEDULED' });
    const full = await school.slots.adjustSeats(slot.id, -1);
    expect(full).toMatchObject({ seatsAvailable: 0, status: 'FULL' });
    const below = await school.slots.adjustSeats(slot.id, -1).catch((e: unknown) => e);
    expect(below).toBeInstanceOf(PaktGraphQLError);
    expect(below).toMatchObject({ code: 'SEATS_BELOW_ZERO', attempts: 1 });
    // adjustSeats never carries an idempotency key (it is never retried).
    expect(sent.map((s) => [s.operationName, s.headers['idempotency-key']])).toEqual(Array(3).fill(['AdjustSlotSeats', undefined]));

    const set = await school.slots.updateSeats(slot.id, 3, { expectedVersion: full.version });
    expect(set).toMatchObject({ seatsAvailable: 3, status: 'SCHEDULED', version: full.version + 1 });
    await expect(school.slots.updateSeats(slot.id, 2, { expectedVersion: full.version })).rejects.toBeInstanceOf(PaktConflictError);
  });

  it('follows the change feed from the start and rebuilds exactly the public offers', async () => {
    const mirror = new Set<string>();
    let cursor: string | undefined;
    let count = 0;
    // 400 a page: the server's default cost limit (50,000) allows about 440 entries with every field.
    for await (const { change, cursor: next } of anonymous.changes.follow({ pageSize: 400 })) {
      if (change.offerIsPublic) mirror.add(change.offerId);
      else mirror.delete(change.offerId);
      cursor = next;
      count++;
    }
    expect(count).toBeGreaterThan(300);
    const direct = new Set<string>();
    for await (const o of anonymous.offers.iterate({}, { pageSize: 100 })) direct.add(o.id);
    expect([...mirror].sort()).toEqual([...direct].sort());

    // Resuming after the stored cursor: nothing new, then exactly the new write.
    const none: unknown[] = [];
    for await (const c of anonymous.changes.follow({ after: cursor })) none.push(c);
    expect(none).toEqual([]);
    const { offerId } = await school.offers.upsert(offer('late'), { providerSlug: SCHOOL });
    const fresh: { entity: string; action: string; offerId: string }[] = [];
    for await (const { change } of anonymous.changes.follow({ after: cursor })) fresh.push(change);
    expect(fresh.length).toBeGreaterThan(0);
    expect(fresh.every((c) => c.offerId === offerId)).toBe(true);
    expect(fresh.find((c) => c.entity === 'OFFER')).toMatchObject({ action: 'CREATED' });

    // watch: keeps polling until aborted.
    const controller = new AbortController();
    const watched: string[] = [];
    const following = (async () => {
      for await (const { change } of anonymous.changes.follow({ after: cursor, watch: true, pollIntervalMs: 50, signal: controller.signal })) {
        watched.push(change.offerId);
        if (watched.length >= fresh.length) controller.abort();
      }
    })();
    await following;
    expect(watched).toEqual(fresh.map((c) => c.offerId));
  });
});

describe('the pakt CLI against a live server', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pakt-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('syncs the example CSV: created, then all unchanged on a second run', async () => {
    const env = { PAKT_API_KEY: vhsKey };
    const args = ['sync', EXAMPLE_CSV, '--provider', VHS, '--endpoint', endpoint];
    const first = await runCli(args, env);
    expect(first.stderr).not.toContain('failed:');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`4 offers of ${EXAMPLE_CSV} for ${VHS}, mode UPSERT`);
    expect(first.stdout).toMatch(/created\s+4\n/);
    expect(first.stdout).toMatch(/failed\s+0\n/);
    expect(first.stderr).toContain('100%  Syncing 4/4 offers, 1 batch');

    const second = await runCli(args, env);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/created\s+0\n/);
    expect(second.stdout).toMatch(/unchanged\s+4\n/);

    // A dry FULL run: what a nightly `--mode full` would do, changing nothing.
    const dry = await runCli([...args, '--mode', 'full', '--dry-run'], env);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`Dry run (nothing changed): 4 offers of ${EXAMPLE_CSV} for ${VHS}, mode FULL`);
    expect(dry.stdout).toMatch(/unchanged\s+4\n/);

    const synced = await publicExternalIds(VHS);
    expect(synced).toEqual(expect.arrayContaining(['alpha-2026', 'bsk-b2-abend', 'ik-2026-a1b1', 'sprachcafe']));
  });

  it('--dry-run shows a change field by field and writes nothing; the real run shows and writes it', async () => {
    const text = await readFile(EXAMPLE_CSV, 'utf8');
    const file = join(dir, 'seats.csv');
    // The first date of the integration course had 4 seats left; now 3.
    await writeFile(file, text.replace(',20,4,yes,2026-02-20,', ',20,3,yes,2026-02-20,'));
    const args = ['sync', file, '--provider', VHS, '--endpoint', endpoint];
    const line = '  ~ ik-2026-a1b1  Integrationskurs A1–B1 (Vormittag)\n      seats_available (slot ik-2026-03): 4 → 3\n';
    for (let i = 0; i < 2; i++) {
      const dry = await runCli([...args, '--dry-run'], { PAKT_API_KEY: vhsKey });
      expect(dry.code).toBe(0);
      expect(dry.stdout).toContain(`Would be updated:\n${line}`);
    }
    const real = await runCli(args, { PAKT_API_KEY: vhsKey });
    expect(real.code).toBe(0);
    expect(real.stdout).toContain(`Updated:\n${line}`);
    const after = await runCli([...args, '--dry-run'], { PAKT_API_KEY: vhsKey, LANG: 'de_DE.UTF-8' });
    expect(after.stdout).toMatch(/unverändert\s+4\n/);
    expect(after.stdout).not.toContain('Würde geändert');
  });

  it('FULL without a terminal deletes nothing unless --yes, and never more than --max-delete', async () => {
    const text = await readFile(EXAMPLE_CSV, 'utf8');
    const file = join(dir, 'three.csv');
    // Without the Sprachcafé (its row is the last one): FULL would delete it and the provider's sample offers.
    await writeFile(
      file,
      text
        .split('\n')
        .filter((l) => !l.startsWith('sprachcafe,'))
        .join('\n'),
    );
    const before = await storedExternalIds(VHS);
    expect(before).toContain('sprachcafe');
    const args = ['sync', file, '--provider', VHS, '--endpoint', endpoint, '--mode', 'full'];
    const asked = await runCli(args, { PAKT_API_KEY: vhsKey });
    expect(asked.code).toBe(4);
    expect(asked.stderr).toContain('Nothing was written');
    expect(asked.stderr).toMatch(/would delete \d+ offers? of \d+|deletes \d+ offers? of/);
    const yes = await runCli([...args, '--yes', '--max-delete', '1'], { PAKT_API_KEY: vhsKey });
    expect(yes.code).toBe(4);
    expect(yes.stderr).toMatch(/more than the 1 % allowed/);
    expect(await storedExternalIds(VHS)).toEqual(before);

    const mass = await runCli([...args, '--yes', '--allow-mass-delete'], { PAKT_API_KEY: vhsKey });
    expect(mass.code).toBe(0);
    expect(mass.stdout).toContain('Deleted:\n');
    expect(mass.stdout).toContain('  - sprachcafe  Sprachcafé');
    expect(await storedExternalIds(VHS)).toEqual(['alpha-2026', 'bsk-b2-abend', 'ik-2026-a1b1']);
  });

  it('refuses a broken CSV with its line numbers, exits non-zero and sends nothing', async () => {
    const text = await readFile(EXAMPLE_CSV, 'utf8');
    const lines = text.split('\n');
    const header = lines[0]!;
    const columns = header.split(',');
    const row = (values: Record<string, string>) => columns.map((c) => values[c] ?? '').join(',');
    const broken = [
      header,
      row({ external_id: 'broken-1', category: 'LANGUAGE_COURSE', title_de: 'Kurs', municipality_ags: ESSLINGEN }),
      row({ external_id: 'broken-2', category: 'COOKING', title_de: 'Kochkurs', municipality_ags: ESSLINGEN }),
      row({ external_id: 'broken-3', category: 'OTHER', title_de: '', municipality_ags: '811', slot_id: 's', starts_at: 'morgen' }),
    ].join('\n');
    const file = join(dir, 'broken.csv');
    await writeFile(file, `${broken}\n`);
    const before = await publicExternalIds(VHS);

    const result = await runCli(['sync', file, '--provider', VHS, '--endpoint', endpoint], { PAKT_API_KEY: vhsKey });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:3: category:`);
    expect(result.stderr).toContain(`${file}:4: title_de:`);
    expect(result.stderr).toContain(`${file}:4: starts_at:`);
    expect(result.stderr).toContain('nothing was sent');
    expect(result.stdout).toBe('');
    expect(await publicExternalIds(VHS)).toEqual(before);
  });

  it('exits 3 with a hint for a bogus key', async () => {
    const result = await runCli(['sync', EXAMPLE_CSV, '--provider', VHS, '--endpoint', endpoint], {
      PAKT_API_KEY: 'pakt_000000000000_bogusbogusbogusbogusbogus',
    });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('check PAKT_API_KEY');
    expect(result.stderr).not.toContain('bogusbogus');
  });
});
