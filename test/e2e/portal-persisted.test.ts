// The portal once more, on a server that runs only persisted operations for anonymous callers
// (PAKT_PERSISTED_ONLY_ANONYMOUS=true): everything the page asks goes by document id as a GET that
// a CDN may cache, nothing is refused, and what the page shows is what the SDK reads (also by id).
// The full walk-through of the page is test/e2e/portal.test.ts; this one checks the wire.
// Needs the built portal and SDK (`pnpm build`) and Chromium (`apt-get install chromium`, or
// CHROMIUM_PATH). Screenshots go to test-output/.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createClient, type OfferFilter } from '@pakt-bw/sdk';
import { loadConfig } from '../../api/src/config.js';
import { createApp, type App } from '../../api/src/yoga.js';
import { launchChromium, offlineContext, watchProblems, type Browser, type Page } from './support/browser.js';

const PORTAL_DIST = fileURLToPath(new URL('../../packages/portal/dist', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
const ESSLINGEN = '08116019';
const PAGE_SIZE = 10;
const CACHE_TTL_SECONDS = 60;

let db: TestDatabase;
let app: App;
let server: Server;
let origin: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(`${PORTAL_DIST}/index.html`)) {
    throw new Error(`The portal is not built (${PORTAL_DIST}/index.html is missing): run \`pnpm build\` first (the root \`pnpm test\` does).`);
  }
  db = await createTestDatabase();
  await migrate(db);
  const now = new Date();
  await seed(db, { referenceDate: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) });
  app = createApp({
    db,
    config: loadConfig({ LOG_LEVEL: 'warn', PAKT_PERSISTED_ONLY_ANONYMOUS: 'true', PAKT_CACHE_TTL_SECONDS: String(CACHE_TTL_SECONDS) }),
    webhookWorker: false,
  });
  // The app serves the portal at / itself (usePortal).
  server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  await mkdir(OUTPUT, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await app?.dispose();
  await db?.drop();
});

interface Exchange {
  method: string;
  url: URL;
  status: number;
  cacheControl: string | undefined;
  etag: string | undefined;
  body: string | null;
}

/** Every GraphQL request the page makes, with its answer. */
function recordGraphQL(page: Page): Exchange[] {
  const exchanges: Exchange[] = [];
  page.on('response', (response) => {
    const url = new URL(response.url());
    if (url.pathname !== '/graphql') return;
    const headers = response.headers();
    exchanges.push({
      method: response.request().method(),
      url,
      status: response.status(),
      cacheControl: headers['cache-control'],
      etag: headers['etag'],
      body: response.request().postData(),
    });
  });
  return exchanges;
}

async function resultsReady(page: Page) {
  await page.waitForFunction(() => {
    const results = document.getElementById('results');
    return results?.dataset.state === 'ready' && results.getAttribute('aria-busy') === 'false';
  });
}

const cardTitles = (page: Page) => page.locator('.offer-card .offer-title').allTextContents();

describe('the portal on a server with PAKT_PERSISTED_ONLY_ANONYMOUS=true', () => {
  it('refuses anonymous text queries there (the mode is really on)', async () => {
    const response = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ regions { code } }' }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]!.extensions.code).toBe('PERSISTED_QUERY_ONLY');
  });

  it('finds offers near a place, switches to Arabic and loads more, all by persisted GETs', async () => {
    const { context, blocked } = await offlineContext(browser, { locale: 'de-DE', viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    const exchanges = recordGraphQL(page);

    await page.goto(`${origin}/?lang=de`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    // The spoken-language list came from the Languages operation.
    await page.waitForFunction(() => ((document.getElementById('spoken') as HTMLSelectElement | null)?.options.length ?? 0) > 1);

    const place = page.locator('#place');
    await place.click();
    await place.pressSequentially('Esslingen', { delay: 40 });
    await page.locator('#place-options[data-query="Esslingen"]').waitFor();
    await page.locator('#place-options [role="option"]').filter({ hasText: 'Esslingen am Neckar' }).first().click();
    await resultsReady(page);
    await page.selectOption('#radius', '25');
    await page.selectOption('#category', 'LANGUAGE_COURSE');
    await resultsReady(page);

    const filter: OfferFilter = { near: { ags: ESSLINGEN, radiusKm: 25 }, categories: ['LANGUAGE_COURSE'] };
    const pakt = createClient({ endpoint: `${origin}/graphql` });
    const german = await pakt.offers.search(filter, { first: PAGE_SIZE, language: 'de' });
    expect(german.totalCount).toBeGreaterThan(PAGE_SIZE);
    expect(await cardTitles(page)).toEqual(german.edges.map((edge) => edge.node.title.value));

    await page.selectOption('#ui-language', 'ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await resultsReady(page);
    const arabic = await pakt.offers.search(filter, { first: PAGE_SIZE, language: 'ar' });
    expect(await cardTitles(page)).toEqual(arabic.edges.map((edge) => edge.node.title.value));

    await page.click('#load-more');
    await page.waitForFunction((count) => document.querySelectorAll('.offer-card').length > count, PAGE_SIZE);
    await resultsReady(page);
    const next = await pakt.offers.search(filter, { first: PAGE_SIZE, after: arabic.pageInfo.endCursor, language: 'ar' });
    expect((await cardTitles(page)).slice(PAGE_SIZE)).toEqual(next.edges.map((edge) => edge.node.title.value));
    await page.screenshot({ path: `${OUTPUT}portal-persisted-ar.png`, fullPage: false });

    // The wire: every operation by id over GET, none as text, none refused, each cacheable.
    const operations = new Set(exchanges.map((exchange) => exchange.url.searchParams.get('operationName')));
    // MunicipalityContacts: "who helps me here" for the chosen place (issue 14).
    expect(operations).toEqual(new Set(['Languages', 'Municipalities', 'SearchOffers', 'MunicipalityContacts']));
    for (const exchange of exchanges) {
      const what = `${exchange.method} ${exchange.url.search.slice(0, 120)}`;
      expect(exchange.method, what).toBe('GET');
      expect(exchange.url.searchParams.get('documentId'), what).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(exchange.url.searchParams.has('query'), what).toBe(false);
      expect(exchange.status, what).toBe(200);
      expect(exchange.cacheControl, what).toBe(`public, max-age=${CACHE_TTL_SECONDS}`);
      expect(exchange.etag, what).toMatch(/^W\/"/);
    }
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
