// The portal (packages/portal) in a real browser against a live server on the seeded database:
// pick a place by typing, filter, compare what the page shows with what the API returns for the
// same filter (through @pakt/sdk), switch to Arabic (right to left, Arabic texts), load more.
// Screenshots go to test-output/ at the repository root (a CI artifact, git-ignored).
//
// Needs the built portal (`pnpm --filter @pakt/sdk build && pnpm --filter @pakt/portal build`;
// the root test script builds it) and Chromium (`apt-get install chromium`, or CHROMIUM_PATH).
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createClient, type OfferFilter } from '@pakt/sdk';
import { loadConfig } from '../../api/src/config.js';
import { createPortalHandler } from '../../api/src/plugins/use-portal.js';
import { createApp, type App } from '../../api/src/yoga.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PORTAL_DIST = fileURLToPath(new URL('../../packages/portal/dist', import.meta.url));
const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));
const ESSLINGEN = '08116019';
const PAGE_SIZE = 10;

// playwright-core is a dependency of the portal package, the browser tooling's home.
type Playwright = typeof import('playwright-core');
type Browser = import('playwright-core').Browser;
type Page = import('playwright-core').Page;
const requireFromPortal = createRequire(new URL('../../packages/portal/package.json', import.meta.url));

let db: TestDatabase;
let app: App;
let server: Server;
let origin: string;
let browser: Browser;

/** Node request → fetch Request (only what the static handler looks at). */
function toRequest(req: IncomingMessage, base: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  return new Request(new URL(req.url ?? '/', base), { method: req.method, headers });
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with \`apt-get install chromium\` ` +
        '(Debian/Ubuntu; CI does), or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  if (!existsSync(`${PORTAL_DIST}/index.html`)) {
    throw new Error(
      `The portal is not built (${PORTAL_DIST}/index.html is missing): run ` +
        '`pnpm --filter @pakt/sdk build && pnpm --filter @pakt/portal build` first (the root `pnpm test` does).',
    );
  }

  db = await createTestDatabase();
  await migrate(db);
  const now = new Date();
  await seed(db, { referenceDate: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) });
  app = createApp({ db, config: loadConfig({ LOG_LEVEL: 'warn' }) });

  // The portal's static files in front of the app, as usePortal does inside it, independent of
  // whether yoga.ts wires the plugin.
  const portal = createPortalHandler({ root: PORTAL_DIST });
  server = createServer((req, res) => {
    void (async () => {
      const response = await portal(toRequest(req, origin));
      if (!response) return app(req, res);
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    })().catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const { chromium } = requireFromPortal('playwright-core') as Playwright;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(OUTPUT, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await app?.dispose();
  await db?.drop();
});

/** Waits until the last search has been answered and rendered. */
async function resultsReady(page: Page) {
  await page.waitForFunction(() => {
    const results = document.getElementById('results');
    return results?.dataset.state === 'ready' && results.getAttribute('aria-busy') === 'false';
  });
}

async function cardTitles(page: Page): Promise<string[]> {
  return page.locator('.offer-card .offer-title').allTextContents();
}

describe('the portal', () => {
  it('serves the page and its assets with content types and caching, and refuses path traversal', async () => {
    const index = await fetch(`${origin}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /<script type="module" crossorigin src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, 'index.html refers to its script under /assets/').toBeDefined();

    const asset = await fetch(`${origin}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = asset.headers.get('etag');
    expect((await fetch(`${origin}${script}`, { headers: { 'if-none-match': etag! } })).status).toBe(304);

    for (const path of ['/assets/..%2Findex.html', '/assets/%2e%2e%2F%2e%2e%2Fpackage.json', '/assets/.hidden', '/assets/missing.js']) {
      expect((await fetch(`${origin}${path}`)).status, path).toBe(404);
    }
    // /graphql is untouched.
    const graphql = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ regions { code } }' }),
    });
    expect(((await graphql.json()) as { data: { regions: unknown[] } }).data.regions).toHaveLength(4);

    // Not built: the handler stands aside.
    const absent = createPortalHandler({ root: `${PORTAL_DIST}-does-not-exist` });
    expect(await absent(new Request(`${origin}/`))).toBeUndefined();
    expect(await absent(new Request(`${origin}/assets/x.js`))).toBeUndefined();
  });

  it('finds offers near a place chosen by typing, in German and in Arabic, and loads more', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });

    await page.goto(`${origin}/`);
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual(['de', 'ltr']);

    // Accessible basics: the skip link comes first, every control has a <label for>.
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select')]
        .filter((control) => !document.querySelector(`label[for="${control.id}"]`))
        .map((control) => control.id || control.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    expect(await page.locator('#results').getAttribute('aria-live')).toBe('polite');

    // Search as you type, then pick "Esslingen am Neckar" with the keyboard.
    const place = page.locator('#place');
    await place.click();
    await place.pressSequentially('Esslingen', { delay: 40 });
    // The suggestions for the whole word (not for a prefix typed earlier), debounced.
    await page.locator('#place-options[data-query="Esslingen"]').waitFor();
    const options = page.locator('#place-options [role="option"]');
    await options.filter({ hasText: 'Esslingen am Neckar' }).first().waitFor();
    expect(await place.getAttribute('aria-expanded')).toBe('true');
    const names = await options.locator('.option-name').allTextContents();
    const index = names.findIndex((name) => name.startsWith('Esslingen am Neckar'));
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = 0; i <= index; i++) await place.press('ArrowDown');
    expect(await place.getAttribute('aria-activedescendant')).toBe(`place-option-${index}`);
    await place.press('Enter');
    expect(await place.inputValue()).toMatch(/^Esslingen am Neckar/);
    expect(await place.getAttribute('aria-expanded')).toBe('false');
    await resultsReady(page);

    // Filters: 25 km, language courses, CEFR A2, only with seats.
    await page.selectOption('#radius', '25');
    await page.selectOption('#category', 'LANGUAGE_COURSE');
    await page.selectOption('#cefr', 'A2');
    await page.check('#seats');
    await resultsReady(page);
    expect(new URL(page.url()).searchParams.toString()).toBe(
      `lang=de&ags=${ESSLINGEN}&radius=25&category=LANGUAGE_COURSE&cefr=A2&seats=1`,
    );

    // The same search through the SDK: the page shows the same offers in the same order.
    const filter: OfferFilter = {
      near: { ags: ESSLINGEN, radiusKm: 25 },
      categories: ['LANGUAGE_COURSE'],
      cefrLevel: 'A2',
      hasSeats: true,
    };
    const pakt = createClient({ endpoint: `${origin}/graphql` });
    const german = await pakt.offers.search(filter, { first: PAGE_SIZE, language: 'de' });
    expect(german.totalCount).toBeGreaterThan(PAGE_SIZE); // enough for "load more"
    expect(await cardTitles(page)).toEqual(german.edges.map((edge) => edge.node.title.value));
    expect(await page.locator('#results').getAttribute('data-total')).toBe(String(german.totalCount));
    const firstCard = page.locator('.offer-card').first();
    expect(await firstCard.locator('.provider').textContent()).toBe(german.edges[0]!.node.provider.name);
    expect(await firstCard.locator('.badge-category').textContent()).toBe('Sprachkurs');
    expect(await firstCard.locator('.distance').textContent()).toMatch(/km entfernt$/);
    expect(await page.locator('.offer-card .seats-ok').count()).toBeGreaterThan(0);
    await page.screenshot({ path: `${OUTPUT}portal-de.png`, fullPage: true });

    // Arabic: right to left, Arabic interface, offer texts requested in Arabic.
    await page.selectOption('#ui-language', 'ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await resultsReady(page);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar');
    expect(await page.locator('h1').textContent()).toBe('العروض القريبة منك');
    expect(await page.locator('label[for="radius"]').textContent()).toBe('المسافة');
    expect(await page.locator('#load-more').textContent()).toBe('تحميل المزيد');
    expect(await firstCard.locator('.badge-category').textContent()).toBe('دورة لغة');

    const arabic = await pakt.offers.search(filter, { first: PAGE_SIZE, language: 'ar' });
    expect(await cardTitles(page)).toEqual(arabic.edges.map((edge) => edge.node.title.value));
    // Each title carries the language it came in; German fallbacks and machine translations say so.
    const titles = await page.locator('.offer-card').evaluateAll((cards) =>
      cards.map((card) => ({
        lang: card.querySelector('.offer-title')?.getAttribute('lang'),
        dir: card.querySelector('.offer-title')?.getAttribute('dir'),
        fallback: card.querySelector('[data-note="fallback"]') !== null,
        machine: card.querySelector('[data-note="machine_translated"]') !== null,
      })),
    );
    expect(titles).toEqual(
      arabic.edges.map(({ node: { title } }) => ({
        lang: title.language,
        dir: title.rtl ? 'rtl' : 'ltr',
        fallback: title.language !== 'ar',
        machine: title.status === 'MACHINE_TRANSLATED',
      })),
    );

    // Load more: the next page is appended and focus moves to its first card.
    await page.click('#load-more');
    await page.waitForFunction((count) => document.querySelectorAll('.offer-card').length > count, PAGE_SIZE);
    await resultsReady(page);
    const next = await pakt.offers.search(filter, { first: PAGE_SIZE, after: arabic.pageInfo.endCursor, language: 'ar' });
    expect(await page.locator('.offer-card').count()).toBe(PAGE_SIZE + next.edges.length);
    expect((await cardTitles(page)).slice(PAGE_SIZE)).toEqual(next.edges.map((edge) => edge.node.title.value));
    expect(await page.evaluate(() => document.activeElement?.closest('.offer-card')?.getAttribute('data-offer-id'))).toBe(
      next.edges[0]!.node.id,
    );
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${OUTPUT}portal-ar.png`, fullPage: false });

    // Reloading the URL restores the search (state lives in the URL).
    await page.reload();
    await page.waitForFunction(() => document.body.dataset.ready === 'true');
    await resultsReady(page);
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.locator('#place').inputValue()).toMatch(/^Esslingen am Neckar/);
    expect(await page.locator('#cefr').inputValue()).toBe('A2');
    expect(await cardTitles(page)).toEqual(arabic.edges.map((edge) => edge.node.title.value));

    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
