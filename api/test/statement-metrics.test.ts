// pakt_db_statements_total counts every statement the app sends, Prisma's and the raw executor's
// (the searches), as main.ts wires it: operators read SQL per request from it.
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMetrics, type Metrics } from '../src/observability/metrics.js';
import { createApp, type App } from '../src/yoga.js';
import { AGS, createFixtures } from './support/fixtures.js';

let db: TestDatabase;
let metrics: Metrics;
let app: App;
const seen = { prisma: 0, raw: 0 };
beforeAll(async () => {
  metrics = createMetrics();
  db = await createTestDatabase({
    migrate: true,
    onQuery: (event) => {
      seen.prisma += 1;
      metrics.recordDbStatement(event, 'prisma');
    },
    onRawQuery: (event) => {
      seen.raw += 1;
      metrics.recordDbStatement(event, 'raw');
    },
  });
  await seed(db, { scale: 0 });
  await createFixtures(db);
  app = createApp({ db, metrics, webhookWorker: false });
});
afterAll(async () => {
  await app?.dispose();
  await db?.drop();
});

async function counted(): Promise<{ prisma: number; raw: number }> {
  const text = await (await app.fetch('http://localhost/metrics')).text();
  const value = (source: string) => Number(new RegExp(`^pakt_db_statements_total\\{source="${source}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  return { prisma: value('prisma'), raw: value('raw') };
}

async function gql(query: string) {
  const response = await app.fetch('http://localhost/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  expect(body.errors).toBeUndefined();
}

it('counts the raw search and Prisma statements alike', async () => {
  await gql('{ languages { code } }'); // the language catalogue loads once per app
  const before = await counted();
  const seenBefore = { ...seen };
  await gql(`{ offers(filter: { near: { ags: "${AGS.stuttgart}", radiusKm: 25 } }, first: 5) { edges { node { id title { value } provider { name } } } } }`);
  await gql('{ providers(first: 3) { edges { node { name } } } }');
  const after = await counted();
  const raw = seen.raw - seenBefore.raw;
  const prisma = seen.prisma - seenBefore.prisma;
  expect(raw).toBeGreaterThan(0);
  expect(prisma).toBeGreaterThan(0);
  expect(after.raw - before.raw).toBe(raw);
  expect(after.prisma - before.prisma).toBe(prisma);
});
