// The server is killed (SIGKILL, no shutdown) in the middle of a multi-batch SDK sync with an
// explicit idempotencyKey, started again, and the partner re-runs the same sync with the same key:
// every offer must be there exactly once, with the content sent, and a third run changes nothing.
// The real server process (api/src/main.ts) on a private PostgreSQL cluster and a private Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, migrate, type Database } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createClient, PaktNetworkError, PaktTimeoutError, type OfferInput } from '@pakt-bw/sdk';
import { startServer, type ServerProcess } from '../bench/lib/server-process.js';
import { offer, providerWithKey, storedOffers } from './support/fixtures.js';
import { startPrivatePostgres, type PrivatePostgres } from './support/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';

const SLUG = 'faults-crash-test';
const OFFERS = 240;
const BATCH = 40;

let cluster: PrivatePostgres;
let redis: PrivateRedis;
let db: Database;
let key: string;
let server: ServerProcess | undefined;

const start = () =>
  startServer({
    env: {
      DATABASE_URL: cluster.url('pakt'),
      REDIS_URL: redis.url,
      PORT: '0',
      HOST: '127.0.0.1',
      PAKT_SEED_ON_START: 'false',
      LOG_LEVEL: 'info',
      PAKT_IDEMPOTENCY_LEASE_SECONDS: '2',
    },
  });

beforeAll(async () => {
  [cluster, redis] = await Promise.all([startPrivatePostgres(), startPrivateRedis()]);
  await cluster.query('CREATE DATABASE pakt');
  db = await createDatabase({ url: cluster.url('pakt') });
  await migrate(db);
  await seed(db, { scale: 0 });
  key = await providerWithKey(db, SLUG);
});

afterAll(async () => {
  await server?.stop('SIGKILL');
  await db?.close();
  await cluster?.close();
  await redis?.close();
});

describe('kill -9 during a multi-batch sync', () => {
  it('a re-run with the same idempotencyKey after the restart loses nothing and duplicates nothing', async () => {
    const offers = Array.from({ length: OFFERS }, (_, i) => offer(`crash-${String(i).padStart(3, '0')}`, `Kurs ${i}`) as OfferInput);
    server = await start();
    const ready = (await (await fetch(server.url.replace('/graphql', '/readyz'))).json()) as Record<string, unknown>;
    expect(ready).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });

    // The kill lands while the third batch is on its way (or being written).
    let killed: Promise<unknown> | undefined;
    const first = createClient({ endpoint: server.url, apiKey: key, retry: { retries: 1, minDelayMs: 50, maxDelayMs: 100 } });
    const victim = server;
    const error = await first.offers
      .sync(offers, {
        providerSlug: SLUG,
        batchSize: BATCH,
        idempotencyKey: 'crash-run-1',
        onProgress: ({ batches }) => {
          if (batches === 2) killed ??= new Promise((resolve) => setTimeout(resolve, 15)).then(() => victim.stop('SIGKILL'));
        },
      })
      .catch((e: unknown) => e);
    await killed;
    expect(error, String(error)).toSatisfy((e: unknown) => e instanceof PaktNetworkError || e instanceof PaktTimeoutError);
    const before = await storedOffers(db, SLUG);
    expect(before.titles.size).toBeGreaterThanOrEqual(2 * BATCH);
    expect(before.titles.size).toBeLessThan(OFFERS);

    server = await start();
    const partner = createClient({ endpoint: server.url, apiKey: key });
    const rerun = await partner.offers.sync(offers, { providerSlug: SLUG, batchSize: BATCH, idempotencyKey: 'crash-run-1' });
    expect(rerun.counts.FAILED).toBe(0);
    expect(rerun.results).toHaveLength(OFFERS);
    const replayedBatches = rerun.batches.filter((b) => b.replayed).length;

    const after = await storedOffers(db, SLUG);
    const lost = offers.filter((o) => after.titles.get(o.externalId) !== o.translations[0]!.title).length;
    console.log(
      `[faults-crash] offers ${OFFERS} in ${OFFERS / BATCH} batches, faults injected 1 (SIGKILL), stored before the re-run ${before.titles.size}, ` +
        `batches replayed ${replayedBatches}, writes acknowledged ${rerun.results.length}, lost ${lost}, duplicated ${after.duplicates.length}`,
    );
    expect(lost).toBe(0);
    expect(after.duplicates).toEqual([]);
    expect(after.titles.size).toBe(OFFERS);
    expect(replayedBatches).toBeGreaterThanOrEqual(2);

    // And once more: the whole run is a replay now.
    const third = await partner.offers.sync(offers, { providerSlug: SLUG, batchSize: BATCH, idempotencyKey: 'crash-run-1' });
    expect(third.batches.every((b) => b.replayed)).toBe(true);
    expect((await storedOffers(db, SLUG)).duplicates).toEqual([]);
  });
});
