// Durable webhook delivery through a crash: the real server (api/src/main.ts, a child process) is
// killed with SIGKILL while deliveries are in flight (the receiver holds them open) and others
// wait in the outbox; after a restart every one of them arrives, signed (checked with the
// standardwebhooks library and the SDK's verifyWebhook). Runs on the engine of the suite: a fresh
// PostgreSQL database with DATABASE_URL, else an embedded PGlite folder of its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrate, type Database } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createClient, verifyWebhook, type OfferInput } from '@pakt-bw/sdk';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { startReceiver, verifyWithLibrary, type Receiver } from '../../api/test/support/webhook-receiver.js';
import { startServer, type ServerProcess } from '../bench/lib/server-process.js';
import { offer } from './support/fixtures.js';

const SLUG = 'webhooks-restart-test';
const OFFERS = 8;

let receiver: Receiver;
let server: ServerProcess | undefined;
let testDb: TestDatabase | undefined;
let dataDir: string | undefined;
let env: Record<string, string>;
let key: string;

async function prepare(db: Database): Promise<string> {
  await migrate(db);
  await seed(db, { scale: 0 });
  await db.sql.query(`INSERT INTO provider (id, slug, name, kind, updated_at) VALUES (gen_random_uuid(), $1, 'Webhook-Testträger', 'OTHER', now())`, [SLUG]);
  return (await createApiKey(db, { kind: 'operator' }, { providerSlug: SLUG, scopes: ['OFFERS_WRITE', 'SLOTS_WRITE', 'WEBHOOKS_ADMIN'] })).key;
}

beforeAll(async () => {
  receiver = await startReceiver();
  const common = {
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    PAKT_SEED_ON_START: 'false',
    PAKT_WEBHOOKS_ALLOW_LOCAL: 'true',
    // A lease of 2 × 1 s + 1 s: what a killed instance held is taken again 3 s later.
    PAKT_WEBHOOK_TIMEOUT_MS: '1000',
    PAKT_WEBHOOK_POLL_MS: '50',
    PAKT_WEBHOOK_RETRY_BASE_MS: '200',
    PAKT_WEBHOOK_MAX_IN_FLIGHT: '3',
  };
  if (process.env.DATABASE_URL) {
    testDb = await createTestDatabase();
    key = await prepare(testDb);
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${testDb.databaseName}`;
    env = { ...common, DATABASE_URL: url.toString() };
  } else {
    dataDir = join(mkdtempSync(join(tmpdir(), 'pakt-webhooks-')), 'pglite');
    const db = await createDatabase({ url: '', dataDir });
    key = await prepare(db);
    // The server takes the folder over: one process per embedded database.
    await db.close();
    env = { ...common, DATABASE_URL: '', PAKT_DATA_DIR: dataDir };
  }
});

afterAll(async () => {
  await server?.stop('SIGKILL');
  await receiver?.close();
  await testDb?.drop();
  if (dataDir) rmSync(join(dataDir, '..'), { recursive: true, force: true });
});

describe('SIGKILL while webhook deliveries are pending', () => {
  it('delivers every one of them after the restart, signed', async () => {
    server = await startServer({ env });
    let pakt = createClient({ endpoint: server.url, apiKey: key });
    const { secret, endpoint } = await pakt.webhooks.create({ url: receiver.url });

    // The receiver holds every request open: 3 are in flight (the per-endpoint bound), the rest wait.
    receiver.answer = () => 'hang';
    const offers = Array.from({ length: OFFERS }, (_, i) => ({ ...offer(`restart-${i}`, `Kurs ${i}`), status: 'PUBLISHED' }) as OfferInput);
    const report = await pakt.offers.sync(offers, { providerSlug: SLUG });
    expect(report.counts.CREATED).toBe(OFFERS);
    await receiver.waitFor((r) => r.length >= 3, 15_000, 'the first attempts');
    const heldAtKill = new Set(receiver.received.map((r) => r.id));
    const killed = await server.stop('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(heldAtKill.size).toBe(3);

    receiver.answer = () => ({ status: 200 });
    const before = receiver.received.length;
    server = await startServer({ env });
    const restartedAt = performance.now();
    pakt = createClient({ endpoint: server.url, apiKey: key });
    await receiver.waitFor((r) => new Set(r.slice(before).map((x) => x.id)).size >= OFFERS, 30_000, 'every delivery after the restart');

    const after = receiver.received.slice(before);
    const ids = new Set(after.map((r) => r.id));
    expect(ids.size).toBe(OFFERS);
    // The ones the killed instance held came again, with the same webhook-id.
    for (const id of heldAtKill) expect(ids.has(id)).toBe(true);
    for (const request of after) {
      expect(request.type).toBe('offer.created');
      expect(verifyWithLibrary(request, secret)).toEqual(request.json);
      expect(await verifyWebhook(request.body, request.headers, secret)).toEqual(request.json);
    }
    const page = await pakt.webhooks.deliveries(endpoint.id, { first: 50 });
    expect(page.totalCount).toBe(OFFERS);
    // Each delivery was recorded as done (a held one after its lease ran out, 3 s after its attempt).
    await expect
      .poll(async () => (await pakt.webhooks.deliveries(endpoint.id, { first: 50 })).edges.every((e) => e.node.state === 'SUCCEEDED'), { timeout: 10_000 })
      .toBe(true);

    // SIGTERM with an attempt in flight: the worker gives it half its timeout, then the process ends cleanly.
    receiver.answer = () => 'hang';
    const waiting = receiver.received.length;
    await pakt.offers.sync([{ ...offers[0]!, translations: [{ language: 'de', title: 'Kurs 0, neu' }] }], { providerSlug: SLUG });
    await receiver.waitFor((r) => r.length > waiting, 15_000, 'the update');
    const stopping = performance.now();
    const stopped = await server.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(server.errorLines).toEqual([]);
    const stopMs = performance.now() - stopping;
    expect(stopMs).toBeLessThan(5_000);
    server = undefined;

    console.log(
      `[webhooks-restart] SIGTERM with a delivery in flight: exit 0 after ${stopMs.toFixed(0)} ms; ${OFFERS} deliveries, ${heldAtKill.size} in flight at SIGKILL; after the restart all ${ids.size} arrived in ${((performance.now() - restartedAt) / 1000).toFixed(1)} s, ${after.length} requests`,
    );
  }, 120_000);
});
