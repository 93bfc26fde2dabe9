// No stampede when a response-cache entry is cold or expires: identical anonymous queries that
// arrive together run the resolvers and the database once, and share the result.
import type { SqlExecutor } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiKey } from '../src/auth/key-admin.js';
import { createResponseCache, type ResponseCache } from '../src/cache/response-cache.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/observability/logger.js';
import { createMetrics, type Metrics } from '../src/observability/metrics.js';
import { createApp, type App } from '../src/yoga.js';

const TTL_SECONDS = 1;
let db: TestDatabase;
let app: App;
let metrics: Metrics;
let cache: ResponseCache;
const statements = { n: 0 };

beforeAll(async () => {
  db = await createTestDatabase({
    migrate: true,
    onQuery: () => {
      statements.n += 1;
    },
  });
  await seed(db, { scale: 0 });
  const counted = (sql: SqlExecutor): SqlExecutor => ({
    query: (text, params) => {
      statements.n += 1;
      return sql.query(text, params);
    },
    exec: (text) => {
      statements.n += 1;
      return sql.exec(text);
    },
  });
  // Each Prisma statement takes a little longer than the in-process PGlite needs, as on a real
  // server: the requests fired together then arrive while the first one is still executing.
  const slowed = db.prisma.$extends({
    query: {
      async $allOperations({ args, query }) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return query(args);
      },
    },
  }) as unknown as typeof db.prisma;
  metrics = createMetrics();
  cache = createResponseCache();
  app = createApp({
    db: { ...db, prisma: slowed, sql: counted(db.sql) },
    config: loadConfig({ ...process.env, PAKT_CACHE_TTL_SECONDS: String(TTL_SECONDS), LOG_LEVEL: 'silent' }),
    log: createLogger({ level: 'silent' }),
    metrics,
    responseCache: cache,
    graphiql: false,
    webhookWorker: false,
  });
  // The language catalogue is loaded once per app, not per request.
  await post(`{ languages { code } }`);
});
afterAll(async () => {
  await app?.dispose();
  await db?.drop();
});

const QUERY = `query Regions($code: String) { regions { code name districts { ags name population } } districts(regionCode: $code) { ags name municipalities(first: 3) { totalCount edges { node { name } } } } }`;

async function post(query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[]; extensions?: any };
}

async function coalescedSoFar(): Promise<number> {
  return (await metrics.coalescedRequests.get()).values[0]?.value ?? 0;
}

/** Statements one execution of QUERY costs (a key nothing else uses, so it misses the cache). */
async function statementsOfOne(code: string): Promise<number> {
  statements.n = 0;
  const body = await post(QUERY, { code });
  expect(body.errors).toBeUndefined();
  expect(body.extensions?.responseCache?.hit).toBe(false);
  return statements.n;
}

const together = (n: number, code: string, headers: Record<string, string> = {}) =>
  Promise.all(Array.from({ length: n }, () => post(QUERY, { code }, headers)));

describe('response cache without a stampede', () => {
  it('a cold entry: 25 identical requests at once run the database once', async () => {
    const one = await statementsOfOne('081');
    expect(one).toBeGreaterThan(1);
    const before = await coalescedSoFar();
    const warn = vi.spyOn(console, 'warn');
    statements.n = 0;
    const bodies = await together(25, '082');
    // Each request went through the cache's own executor (it warns when another plugin bypasses it).
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
    expect(statements.n).toBe(one);
    for (const body of bodies) {
      expect(body.errors).toBeUndefined();
      expect(body.data).toEqual(bodies[0]!.data);
    }
    expect(bodies[0]!.data.districts.length).toBeGreaterThan(1);
    // All but the first either shared its execution or (arriving after it was stored) hit the cache.
    const shared = (await coalescedSoFar()) - before;
    const hits = bodies.filter((b) => b.extensions?.responseCache?.hit === true).length;
    expect(shared + hits).toBe(24);
    expect(shared).toBeGreaterThan(0);
    // The entry stored from the shared execution still knows its entities: invalidating them drops it.
    expect((await post(QUERY, { code: '082' })).extensions?.responseCache?.hit).toBe(true);
    await cache.invalidate([{ typename: 'District' }]);
    expect((await post(QUERY, { code: '082' })).extensions?.responseCache?.hit).toBe(false);
  });

  it('an expired entry: the requests after the TTL refill it with one execution', async () => {
    const one = await statementsOfOne('083');
    // Stored: the next request is a hit and costs nothing.
    statements.n = 0;
    expect((await post(QUERY, { code: '083' })).extensions?.responseCache?.hit).toBe(true);
    expect(statements.n).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 200));
    statements.n = 0;
    const bodies = await together(25, '083');
    expect(statements.n).toBe(one);
    expect(bodies.every((b) => b.errors === undefined && b.data.districts.length > 0)).toBe(true);
  });

  it('keeps what the result depends on apart: another language, other variables', async () => {
    const one = await statementsOfOne('084');
    await new Promise((resolve) => setTimeout(resolve, TTL_SECONDS * 1000 + 200));
    statements.n = 0;
    const [de, ar, other] = await Promise.all([
      post(QUERY, { code: '084' }, { 'accept-language': 'de' }),
      post(QUERY, { code: '084' }, { 'accept-language': 'ar' }),
      post(QUERY, { code: '081' }, { 'accept-language': 'de' }),
    ]);
    expect([de, ar, other].every((b) => b.errors === undefined)).toBe(true);
    // Three keys, three executions (each costs what one costs).
    expect(statements.n).toBe(3 * one);
    expect(other.data.districts).not.toEqual(de.data.districts);
  });

  it("never shares a partner's read: requests with an API key are executed each", async () => {
    const [provider] = await db.sql.query<{ slug: string }>(`SELECT slug FROM provider ORDER BY slug LIMIT 1`);
    const { key } = await createApiKey(db, { kind: 'operator' }, { providerSlug: provider!.slug, name: 'coalescing test', scopes: ['OFFERS_WRITE'] });
    const headers = { authorization: `Bearer ${key}` };
    // The first keyed request also records the key's last use; measure the second.
    expect((await post(QUERY, { code: '081' }, headers)).errors).toBeUndefined();
    statements.n = 0;
    expect((await post(QUERY, { code: '081' }, headers)).errors).toBeUndefined();
    const one = statements.n;
    const before = await coalescedSoFar();
    statements.n = 0;
    const bodies = await together(5, '081', headers);
    expect(bodies.every((b) => b.errors === undefined && b.extensions?.responseCache === undefined)).toBe(true);
    expect(statements.n).toBe(5 * one);
    expect(await coalescedSoFar()).toBe(before);
  });
});
