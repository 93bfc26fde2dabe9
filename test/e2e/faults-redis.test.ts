// Redis fails under a running app (REDIS_URL set): a private redis-server is killed, restarted,
// frozen (connections open, no answers) and thawed while reads and syncs run. Partners must see
// nothing but a cold cache: no errors, no waiting on the dead Redis; budgets fall back to this
// instance's memory; /readyz reports the degraded dependency; one warning per outage, one info
// line per recovery, metrics count it; and a write made while Redis was away is never hidden by
// a cache entry from before the outage.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createClient, PaktError, type OfferInput } from '@pakt-bw/sdk';
import { createRedisServices, type RedisServices } from '../../api/src/cache/redis-services.js';
import { createMetrics } from '../../api/src/observability/metrics.js';
import { capturedLogger, startFaultApp, waitFor, type FaultApp, type LogLine } from './support/fault-app.js';
import { offer, PROVIDER_OFFERS, providerWithKey, storedOffers, SYNC } from './support/fixtures.js';
import { startPrivateRedis, type PrivateRedis } from './support/private-redis.js';

const SLUG = 'faults-redis-test';
/** Tight timeouts so that the test is quick; the defaults are a little wider. */
const TIMEOUTS = { connectTimeoutMs: 300, commandTimeoutMs: 150, probeIntervalMs: 100, maxReconnectDelayMs: 300 };
/** A request over a dead Redis may pay one command timeout, never the old 3 s of retries. */
const BOUND_MS = 2_000;

let redis: PrivateRedis;
let db: TestDatabase;
let services: RedisServices;
let app: FaultApp;
let key: string;
const logger = capturedLogger();
const metrics = createMetrics();

const warnings = (lines: LogLine[]) => lines.filter((l) => l.level === 40 && /redis/i.test(l.msg ?? ''));
const recoveries = (lines: LogLine[]) => lines.filter((l) => l.level === 30 && /redis.*recovered/i.test(l.msg ?? ''));
const auth = () => ({ authorization: `Bearer ${key}` });

async function titles(): Promise<{ titles: string[]; hit: boolean | undefined; ms: number }> {
  const reply = await app.graphql(PROVIDER_OFFERS, { slug: SLUG });
  expect(reply.body.errors, reply.text).toBeUndefined();
  const edges = reply.body.data!.provider.offers.edges as { node: { title: { value: string } } }[];
  return { titles: edges.map((e) => e.node.title.value).sort(), hit: reply.body.extensions?.responseCache?.hit, ms: reply.ms };
}

async function sync(offers: ReturnType<typeof offer>[]) {
  const reply = await app.graphql(SYNC, { input: { providerSlug: SLUG, offers } }, auth());
  expect(reply.status, reply.text).toBe(200);
  expect(reply.body.errors, reply.text).toBeUndefined();
  return reply;
}

const redisUp = async () => (await app.ready()).body.checks?.['redis' as never] === 'ok';

beforeAll(async () => {
  redis = await startPrivateRedis();
  db = await createTestDatabase({ migrate: true });
  await seed(db, { scale: 0 });
  key = await providerWithKey(db, SLUG);
  services = await createRedisServices({ url: redis.url, log: logger.log, metrics, ...TIMEOUTS });
  app = await startFaultApp({
    db,
    logger,
    metrics,
    // Readers here loop as fast as the server answers: on a fast run (1,354 requests in 3 s) the
    // default budget refused them with RATE_LIMITED, which is not what this file tests. Budgets
    // under faults have their own app and test below.
    env: { PAKT_CACHE_TTL_SECONDS: '300', PAKT_RATE_LIMIT_POINTS: '100000000' },
    rateLimitStore: services.rateLimitStore,
    responseCache: services.responseCache,
    dependencies: services.dependencies,
  });
  await sync([offer('r-1', 'Sprachkurs am Morgen')]);
});

afterAll(async () => {
  await app?.close();
  await services?.close();
  await redis?.close();
  await db?.drop();
});

describe('Redis under a running app', () => {
  it('while Redis is up: anonymous reads are cached in it, and /readyz says so', async () => {
    expect((await titles()).titles).toEqual(['Sprachkurs am Morgen']);
    expect((await titles()).hit).toBe(true);
    expect(await app.ready()).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', redis: 'ok' } } });
    expect(await app.metric('pakt_dependency_up{dependency="redis"}')).toBe(1);
    expect(warnings(app.lines)).toHaveLength(0);
  });

  it('Redis killed: reads and writes are answered at once, uncached; /readyz 200 but degraded; one warning', async () => {
    await redis.stop();
    for (let i = 0; i < 5; i++) {
      const read = await titles();
      expect(read.titles).toEqual(['Sprachkurs am Morgen']);
      expect(read.hit).not.toBe(true);
      expect(read.ms).toBeLessThan(BOUND_MS);
      const keyed = await app.graphql('{ viewer { provider { slug } } }', {}, auth());
      expect(keyed.body.errors, keyed.text).toBeUndefined();
      expect(keyed.ms).toBeLessThan(BOUND_MS);
    }
    const write = await sync([offer('r-1', 'Sprachkurs am Mittag')]);
    expect(write.ms).toBeLessThan(BOUND_MS);
    expect((await titles()).titles).toEqual(['Sprachkurs am Mittag']);

    expect(await app.ready()).toEqual({ status: 200, body: { status: 'degraded', checks: { database: 'ok', redis: 'down' } } });
    expect(warnings(app.lines)).toHaveLength(1);
    expect(await app.metric('pakt_dependency_up{dependency="redis"}')).toBe(0);
    expect(await app.metric('pakt_dependency_outages_total{dependency="redis"}')).toBe(1);
    expect(await app.metric('pakt_redis_fallbacks_total{operation="cache"}')).toBeGreaterThan(0);
    expect(await app.metric('pakt_redis_fallbacks_total{operation="rate_limit"}')).toBeGreaterThan(0);
  });

  it('Redis down: cost budgets still hold, per instance, in memory', async () => {
    // A second app with a small budget over the same (degraded) services.
    const small = await startFaultApp({
      db,
      logger,
      metrics: createMetrics(),
      env: { PAKT_RATE_LIMIT_POINTS: '1000' },
      rateLimitStore: services.rateLimitStore,
      dependencies: services.dependencies,
    });
    try {
      const query = '{ regions { code name districts { ags } } }';
      const first = await small.graphql(query, {}, auth());
      expect(first.status, first.text).toBe(200);
      const cost = first.body.extensions!.cost.requestedQueryCost as number;
      // The key spent some of its budget in this window already (same memory fallback).
      const second = await small.graphql(query, {}, auth());
      expect(second.body.extensions!.cost.remaining).toBe(Math.max(0, first.body.extensions!.cost.remaining - cost));
      let over = second;
      for (let i = 0; i < Math.ceil(1000 / cost) + 1 && over.status === 200; i++) over = await small.graphql(query, {}, auth());
      expect(over.status).toBe(429);
      expect(over.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    } finally {
      await small.close();
    }
  });

  it('Redis restarted: pakt recovers by itself, says so once, and caches again', async () => {
    await redis.start();
    const waited = await waitFor('redis ok in /readyz', redisUp);
    console.log(`[faults-redis] /readyz reported redis ok ${Math.round(waited)} ms after redis-server was up again`);
    expect(await app.ready()).toEqual({ status: 200, body: { status: 'ready', checks: { database: 'ok', redis: 'ok' } } });
    expect(recoveries(app.lines)).toHaveLength(1);
    expect(await app.metric('pakt_dependency_up{dependency="redis"}')).toBe(1);
    expect((await titles()).titles).toEqual(['Sprachkurs am Mittag']);
    expect((await titles()).hit).toBe(true);
  });

  it('Redis frozen (open connections, no answers): requests pay at most the command timeout, and a write made meanwhile is not hidden by the cache afterwards', async () => {
    await sync([offer('r-1', 'Sprachkurs am Abend')]);
    expect((await titles()).titles).toEqual(['Sprachkurs am Abend']);
    expect((await titles()).hit).toBe(true);

    redis.freeze();
    try {
      // The write's cache invalidation cannot reach Redis; the cached list still holds "am Abend".
      const write = await sync([offer('r-1', 'Sprachkurs in der Nacht')]);
      expect(write.ms).toBeLessThan(BOUND_MS);
      for (let i = 0; i < 3; i++) {
        const read = await titles();
        expect(read.titles).toEqual(['Sprachkurs in der Nacht']);
        expect(read.ms).toBeLessThan(BOUND_MS);
      }
      expect(await app.ready()).toMatchObject({ status: 200, body: { status: 'degraded', checks: { redis: 'down' } } });
    } finally {
      redis.thaw();
    }
    await waitFor('redis ok in /readyz', redisUp);
    // The entry cached before the outage must be gone: the write made during it is visible.
    expect((await titles()).titles).toEqual(['Sprachkurs in der Nacht']);
    expect((await titles()).hit).toBe(true);
    expect(warnings(app.lines)).toHaveLength(2);
    expect(recoveries(app.lines)).toHaveLength(2);
    expect(await app.metric('pakt_dependency_outages_total{dependency="redis"}')).toBe(2);
  });

  it('SDK reads and syncs while Redis is killed, frozen and restarted: no error reaches the partner', async () => {
    const partner = createClient({ endpoint: app.endpoint, apiKey: key, retry: false });
    const anonymous = createClient({ endpoint: app.endpoint, retry: false });
    const counts = { requests: 0, faults: 0, acknowledged: 0, lost: 0, duplicated: 0, errors: 0, untyped: 0 };
    const acknowledged = new Map<string, string>();
    let stop = false;
    const errors: unknown[] = [];
    const note = (error: unknown) => {
      counts.errors += 1;
      if (!(error instanceof PaktError)) counts.untyped += 1;
      errors.push(error);
    };
    const readers = Array.from({ length: 2 }, async () => {
      while (!stop) {
        counts.requests += 1;
        await anonymous.offers.search({ providers: [SLUG] }, { first: 20 }).catch(note);
      }
    });
    const writer = (async () => {
      for (let run = 0; !stop; run++) {
        const batch: OfferInput[] = Array.from({ length: 3 }, (_, i) => offer(`w-${run}-${i}`, `Kurs ${run}.${i}`) as OfferInput);
        counts.requests += 1;
        try {
          const report = await partner.offers.sync(batch, { providerSlug: SLUG, idempotencyKey: `faults-redis-${run}` });
          if (report.counts.FAILED === 0) for (const o of batch) acknowledged.set(o.externalId, o.translations[0]!.title);
        } catch (error) {
          note(error);
        }
      }
    })();
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await pause(300);
    await redis.stop();
    counts.faults += 1;
    await pause(600);
    await redis.start();
    await pause(600);
    redis.freeze();
    counts.faults += 1;
    await pause(600);
    redis.thaw();
    await waitFor('redis ok in /readyz', redisUp);
    await pause(300);
    stop = true;
    await Promise.all([...readers, writer]);

    const stored = await storedOffers(db, SLUG);
    for (const [externalId, title] of acknowledged) if (stored.titles.get(externalId) !== title) counts.lost += 1;
    counts.duplicated = stored.duplicates.length;
    console.log(
      `[faults-redis] requests ${counts.requests}, faults injected ${counts.faults}, writes acknowledged ${acknowledged.size}, ` +
        `lost ${counts.lost}, duplicated ${counts.duplicated}, errors ${counts.errors}, untyped errors ${counts.untyped}`,
    );
    expect(errors).toEqual([]);
    expect(counts).toMatchObject({ lost: 0, duplicated: 0, untyped: 0 });
    expect(acknowledged.size).toBeGreaterThan(0);
  });
});

describe('Redis down when pakt starts', () => {
  it('starts degraded, serves, and picks Redis up when it comes', async () => {
    const late = await startPrivateRedis();
    await late.stop();
    const lateLog = capturedLogger();
    const lateServices = await createRedisServices({ url: late.url, log: lateLog.log, metrics: createMetrics(), ...TIMEOUTS });
    const lateApp = await startFaultApp({
      db,
      logger: lateLog,
      rateLimitStore: lateServices.rateLimitStore,
      responseCache: lateServices.responseCache,
      dependencies: lateServices.dependencies,
    });
    try {
      expect(await lateApp.ready()).toEqual({ status: 200, body: { status: 'degraded', checks: { database: 'ok', redis: 'down' } } });
      const reply = await lateApp.graphql('{ regions { code } }');
      expect(reply.body.errors, reply.text).toBeUndefined();
      expect(reply.ms).toBeLessThan(BOUND_MS);
      await late.start();
      await waitFor('redis ok in /readyz', async () => (await lateApp.ready()).body.checks?.['redis' as never] === 'ok');
      expect(warnings(lateLog.lines)).toHaveLength(1);
    } finally {
      await lateApp.close();
      await lateServices.close();
      await late.close();
    }
  });
});
