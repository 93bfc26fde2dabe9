// Several stateless instances on one database and one Redis: a write through instance A is seen
// through instance B at once (the shared response cache is invalidated for both), cost budgets
// are shared, and instances starting together on an empty database migrate it once.
//
// With DATABASE_URL and REDIS_URL (CI) the instances are real `api/src/main.ts` processes. Without
// them (a laptop with neither), two apps in this process share one embedded database and the
// in-memory stores, which checks the same behaviour minus the network between them.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, readMigrations } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { createResponseCache } from '../../api/src/cache/response-cache.js';
import { loadConfig } from '../../api/src/config.js';
import { createMemoryRateLimitStore } from '../../api/src/limits/rate-limit-store.js';
import { createLogger } from '../../api/src/observability/logger.js';
import { createApp } from '../../api/src/yoga.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const BUDGET = 2_000;
const useProcesses = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

interface Instance {
  url: string;
  stop(): Promise<void>;
}

function startProcess(env: Record<string, string>): Promise<Instance & { child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: `${repoRoot}/api`,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`instance did not start in 90 s:\n${output}`)), 90_000);
    child.stderr?.on('data', (chunk) => (output += String(chunk)));
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      const match = /"url":"(http:\/\/[^"]+)\/graphql"/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1]!,
          async stop() {
            if (child.exitCode !== null) return;
            child.kill('SIGTERM');
            await once(child, 'exit');
          },
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`instance exited with ${code}:\n${output}`));
    });
  });
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Instance> {
  const server: Server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function graphql<T = Record<string, unknown>>(
  instance: Instance,
  query: string,
  variables: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: Record<string, unknown> } }> {
  const response = await fetch(`${instance.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

const PROVIDER_OFFERS = `query ProviderOffers($slug: String!) {
  provider(slug: $slug) { offers(first: 50) { edges { node { id title { value } } } } }
}`;
const SYNC = `mutation Sync($input: SyncOffersInput!) {
  syncOffers(input: $input) { results { externalId status userErrors { code message } } }
}`;

describe(`several instances (${useProcesses ? 'processes on PostgreSQL and Redis' : 'in-process, embedded database'})`, () => {
  let db: TestDatabase;
  let a: Instance;
  let b: Instance;
  let key: string;
  const providerSlug = 'multi-instance-test';

  beforeAll(async () => {
    db = await createTestDatabase();
    if (useProcesses) {
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${db.databaseName}`;
      const env = {
        DATABASE_URL: url.toString(),
        REDIS_URL: process.env.REDIS_URL!,
        PORT: '0',
        LOG_LEVEL: 'info',
        PAKT_RATE_LIMIT_POINTS: String(BUDGET),
        PAKT_CACHE_TTL_SECONDS: '300',
      };
      // Both start on an empty database at once: the migrator's advisory lock must serialise them.
      [a, b] = await Promise.all([startProcess(env), startProcess(env)]);
    } else {
      await migrate(db);
      await seed(db, { scale: 300 });
      const shared = {
        config: loadConfig({ PAKT_RATE_LIMIT_POINTS: String(BUDGET) }),
        log: createLogger({ level: 'silent' }),
        rateLimitStore: createMemoryRateLimitStore(),
        responseCache: createResponseCache(),
      };
      a = await listen(createApp({ db, ...shared }));
      b = await listen(createApp({ db, ...shared }));
    }
    const [{ id: umbrellaId } = { id: null }] = await db.sql.query<{ id: string }>(`SELECT id FROM provider WHERE slug = 'diakonie-wuerttemberg'`);
    await db.sql.query(
      `INSERT INTO provider (id, slug, name, kind, umbrella_id, updated_at) VALUES (gen_random_uuid(), $1, 'Testträger', 'OTHER', $2, now())`,
      [providerSlug, umbrellaId],
    );
    ({ key } = await createApiKey(db, { kind: 'operator' }, { providerSlug, scopes: ['OFFERS_WRITE'] }));
  }, 180_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await db?.drop();
  });

  const offer = (externalId: string, title: string) => ({
    externalId,
    category: 'LANGUAGE_COURSE',
    municipalityAgs: '08111000',
    translations: [{ language: 'de', title }],
    slots: [{ externalId: `${externalId}-1`, startsAt: '2027-03-01T09:00:00+01:00', capacity: 12, seatsAvailable: 5 }],
  });

  it('migrated once although the instances started together', async () => {
    const rows = await db.sql.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations"');
    expect(rows.map((r) => r.migration_name).sort()).toEqual(readMigrations().map((m) => m.name));
    const [{ n } = { n: 0 }] = await db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM municipality');
    expect(n).toBe(1101);
  });

  it('shows a write through A in B at once, although B had cached the answer', async () => {
    const auth = { authorization: `Bearer ${key}` };
    const first = await graphql(a, SYNC, { input: { providerSlug, offers: [offer('mi-1', 'Sprachkurs am Morgen')] } }, auth);
    expect(first.body.errors).toBeUndefined();

    const titles = async () => {
      const { body } = await graphql<{ provider: { offers: { edges: { node: { title: { value: string } } }[] } } }>(b, PROVIDER_OFFERS, {
        slug: providerSlug,
      });
      return { titles: body.data!.provider.offers.edges.map((e) => e.node.title.value).sort(), cache: body.extensions?.responseCache };
    };
    expect((await titles()).titles).toEqual(['Sprachkurs am Morgen']);
    const cached = await titles();
    expect(cached.cache).toMatchObject({ hit: true });

    // An update of a cached offer (invalidated by id) …
    await graphql(a, SYNC, { input: { providerSlug, offers: [offer('mi-1', 'Sprachkurs am Abend')] } }, auth);
    expect((await titles()).titles).toEqual(['Sprachkurs am Abend']);
    // … and a new offer (the list's membership changes).
    await graphql(a, SYNC, { input: { providerSlug, offers: [offer('mi-1', 'Sprachkurs am Abend'), offer('mi-2', 'Sprachcafé')] } }, auth);
    expect((await titles()).titles).toEqual(['Sprachcafé', 'Sprachkurs am Abend']);
  });

  it('shares one cost budget across the instances', async () => {
    // A partner's key: its requests always execute (cached anonymous answers cost nothing).
    const auth = { authorization: `Bearer ${key}` };
    const query = '{ regions { code name districts { ags } } }';
    const first = await graphql(a, query, {}, auth);
    const cost = (first.body.extensions?.cost as { requestedQueryCost: number } | undefined)?.requestedQueryCost ?? Number.NaN;
    const used = BUDGET - ((first.body.extensions?.cost as { remaining: number } | undefined)?.remaining ?? Number.NaN);
    const left = Math.floor((BUDGET - used) / cost);
    // Spend the rest of the window's budget through A, alternating with B …
    for (let i = 0; i < left; i++) {
      const response = await graphql(i % 2 === 0 ? b : a, query, {}, auth);
      expect(response.status).toBe(200);
    }
    // … so the next request is over budget on both.
    const overA = await graphql(a, query, {}, auth);
    const overB = await graphql(b, query, {}, auth);
    for (const over of [overA, overB]) {
      expect(over.status).toBe(429);
      expect(over.body.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    }
  });
});
