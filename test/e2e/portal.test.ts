// The portal (packages/portal) in a real browser against a live server on the seeded database:
// pick a place by typing, filter, compare what the page shows with what the API returns for the
// same filter (through @pakt-bw/sdk), switch to Arabic (right to left, Arabic texts), load more.
// Issue 14: the offer page (JSON-LD, tap-to-call, OpenStreetMap link, opening hours, slots,
// eligibility and cost in plain words), "who helps me here", the shortlist and its bilingual
// one-page handout (Chromium's PDF, its text read back), results first on a phone, 320 px and
// 200 % text, a place search or shared link while the API is down, Farsi digits, Turkish and
// Russian marked as the project's translation, and axe-core at 0 violations throughout, on a phone
// and a desktop viewport, in de, ar and uk.
// Screenshots go to test-output/ at the repository root (a CI artifact, git-ignored).
//
// Needs the built portal (`pnpm --filter @pakt-bw/sdk build && pnpm --filter @pakt/portal build`;
// the root test script builds it) and Chromium (`apt-get install chromium`, or CHROMIUM_PATH).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createClient, PortalOfferDocument, type OfferFilter } from '@pakt-bw/sdk';
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
        '`pnpm --filter @pakt-bw/sdk build && pnpm --filter @pakt/portal build` first (the root `pnpm test` does).',
    );
  }

  db = await createTestDatabase();
  await migrate(db);
  const now = new Date();
  await seed(db, { referenceDate: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) });
  app = createApp({ db, config: loadConfig({ LOG_LEVEL: 'warn' }), webhookWorker: false });

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
    expect(new URL(page.url()).searchParams.toString()).toBe(`lang=de&ags=${ESSLINGEN}&radius=25&category=LANGUAGE_COURSE&cefr=A2&seats=1`);

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
        lang: card.querySelector('.offer-title a')?.getAttribute('lang'),
        dir: card.querySelector('.offer-title a')?.getAttribute('dir'),
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
    expect(await page.evaluate(() => document.activeElement?.closest('.offer-card')?.getAttribute('data-offer-id'))).toBe(next.edges[0]!.node.id);
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

// ───────────────────────────── Issue 14 ─────────────────────────────

// @axe-core/playwright and unpdf are the portal package's (the browser tooling's home), like playwright-core.
interface AxeResults {
  violations: { id: string; impact?: string | null; nodes: { target: unknown[] }[] }[];
}
type AxeBuilderClass = new (options: { page: Page }) => { analyze(): Promise<AxeResults> };
interface Unpdf {
  getDocumentProxy(data: Uint8Array): Promise<unknown>;
  extractText(document: unknown, options: { mergePages: true }): Promise<{ totalPages: number; text: string }>;
}
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 1000 };
const HELP_ROLES = ['INTEGRATION_MANAGEMENT', 'MIGRATION_COUNSELLING_ADULTS', 'YOUTH_MIGRATION_SERVICE', 'REFUGEE_COUNSELLING'] as const;

async function axe(page: Page, label: string): Promise<void> {
  const { AxeBuilder } = (await import(requireFromPortal.resolve('@axe-core/playwright'))) as { AxeBuilder: AxeBuilderClass };
  const { violations } = await new AxeBuilder({ page }).analyze();
  const found = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(' | ')}`,
  );
  expect(found, `axe-core on ${label}`).toEqual([]);
}

/** The page's text does not overflow sideways (no horizontal scroll bar, no cut words). */
async function fitsWidth(page: Page): Promise<{ scroll: number; client: number }> {
  return page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
}

async function newPage(viewport: { width: number; height: number }, locale = 'de-DE') {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return { context, page, problems };
}

const ready = (page: Page) => page.waitForFunction(() => document.body.dataset.ready === 'true');

/**
 * Whether a PDF's text holds every word of `needle`. Right-to-left text comes out of a PDF in
 * visual order, as presentation forms, its letters shuffled where glyphs join: so each word is
 * compared by its letters (NFKC-folded, sorted), which still tells Arabic from Farsi words.
 */
function containsText(haystack: string, needle: string): boolean {
  const letters = (word: string) => [...word.normalize('NFKC').replace(/[\u200c\u200d]/g, '')].sort().join('');
  const tokens = new Set(
    haystack
      .normalize('NFKC')
      .split(/[\s.,:;·()]+/)
      .filter(Boolean)
      .map(letters),
  );
  return needle.split(/\s+/).every((word) => tokens.has(letters(word)));
}

async function pdfText(pdf: Buffer): Promise<{ pages: number; text: string }> {
  const { extractText, getDocumentProxy } = (await import(requireFromPortal.resolve('unpdf'))) as Unpdf;
  const document = await getDocumentProxy(new Uint8Array(pdf));
  const { totalPages, text } = await extractText(document, { mergePages: true });
  return { pages: totalPages, text };
}

describe('issue 14: a portal people can act on', () => {
  it('on a phone: Enter takes the typed place, results come first, filters fold, "who helps me here" shows contacts with opening hours', async () => {
    const { context, page, problems } = await newPage(PHONE);
    await page.goto(`${origin}/?lang=de`);
    await ready(page);
    expect(await page.locator('#more-filters').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    // Typed in full and Enter at once, before any suggestion came: the best match is taken.
    await page.locator('#place').fill('Esslingen am Neckar');
    await page.locator('#place').press('Enter');
    await resultsReady(page);
    expect(await page.locator('#place').inputValue()).toMatch(/^Esslingen am Neckar/);
    expect(new URL(page.url()).searchParams.get('ags')).toBe(ESSLINGEN);
    // The first result is on the screen without scrolling.
    const first = await page.locator('.offer-card').first().boundingBox();
    expect(first!.y).toBeLessThan(PHONE.height - 80);

    // Who helps here: the responsible contacts from the API, integration management first.
    await page.waitForFunction(() => document.getElementById('helpers')?.dataset.state === 'ready');
    const pakt = createClient({ endpoint: `${origin}/graphql` });
    const contacts = (await pakt.contacts.forMunicipality(ESSLINGEN, { roles: [...HELP_ROLES] }))!;
    expect(contacts.length).toBeGreaterThan(1);
    expect(await page.locator('#helpers .contact-office').allTextContents()).toEqual(contacts.map((c) => c.officeName));
    expect(await page.locator('#helpers .contact').first().getAttribute('data-role')).toBe('INTEGRATION_MANAGEMENT');
    const firstContact = page.locator('#helpers .contact').first();
    expect(await firstContact.locator('a.tel').getAttribute('href')).toBe(`tel:${contacts[0]!.phone!.replace(/[^\d+]/g, '')}`);
    expect(await firstContact.locator('.open-status').getAttribute('data-open')).toBe(contacts[0]!.openingHours!.openNow ? 'true' : 'false');
    await axe(page, 'the search on a phone (de)');
    await page.screenshot({ path: `${OUTPUT}portal-phone-de.png`, fullPage: true });

    // Arabic on the phone: right to left, contacts still there, no violations.
    await page.selectOption('#ui-language', 'ar');
    await page.waitForFunction(() => document.documentElement.dir === 'rtl');
    await resultsReady(page);
    await page.waitForFunction(() => document.getElementById('helpers')?.dataset.state === 'ready');
    expect(await page.locator('#helpers-heading').textContent()).toBe('من يساعدني هنا؟');
    await axe(page, 'the search on a phone (ar)');
    await page.screenshot({ path: `${OUTPUT}portal-phone-ar.png`, fullPage: true });
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);

  it('holds at 320 px and at 200 % text size: nothing scrolls sideways', async () => {
    const { context, page } = await newPage({ width: 320, height: 640 });
    await page.goto(`${origin}/?lang=de&ags=${ESSLINGEN}&radius=25`);
    await ready(page);
    await resultsReady(page);
    let size = await fitsWidth(page);
    expect(size.scroll, '320 px').toBeLessThanOrEqual(size.client);
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%';
    });
    size = await fitsWidth(page);
    expect(size.scroll, '320 px at 200 % text').toBeLessThanOrEqual(size.client);
    await page.screenshot({ path: `${OUTPUT}portal-320-200pct.png`, fullPage: true });
    const href = await page.locator('.offer-card .offer-title a').first().getAttribute('href');
    await page.goto(`${origin}${href}?lang=uk`);
    await page.waitForFunction(() => document.getElementById('offer')?.dataset.state === 'ready');
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%';
    });
    size = await fitsWidth(page);
    expect(size.scroll, 'the offer page at 320 px and 200 % text').toBeLessThanOrEqual(size.client);
    await page.screenshot({ path: `${OUTPUT}offer-320-200pct-uk.png`, fullPage: true });
    await context.close();
  }, 120_000);

  it('an offer page has its own URL, JSON-LD, tap-to-call, an OpenStreetMap link, hours, every slot, eligibility and cost in plain words', async () => {
    const pakt = createClient({ endpoint: `${origin}/graphql` });
    const found = await pakt.offers.search({ near: { ags: ESSLINGEN, radiusKm: 25 }, courseTypes: ['INTEGRATIONSKURS'] }, { first: 10 });
    const edge = found.edges.find((e) => e.node.nextSlots.length > 0)!;
    const uuid = atob(edge.node.id).split(':')[1]!;
    const { offer } = await pakt.request(PortalOfferDocument, { id: uuid, language: 'de' });
    expect(offer).not.toBeNull();

    for (const [language, viewport] of [
      ['de', DESKTOP],
      ['ar', PHONE],
      ['uk', DESKTOP],
    ] as const) {
      const { context, page, problems } = await newPage(viewport);
      await page.goto(`${origin}/offers/${uuid}?lang=${language}`);
      await page.waitForFunction(() => document.getElementById('offer')?.dataset.state === 'ready');
      expect(await page.evaluate(() => document.documentElement.dir)).toBe(language === 'ar' ? 'rtl' : 'ltr');
      const { offer: shown } = await pakt.request(PortalOfferDocument, { id: uuid, language });
      expect(await page.locator('h1#offer-title').textContent()).toBe(shown!.title.value);

      // schema.org for search engines: a Course with its instances.
      const jsonLd = JSON.parse((await page.locator('script[type="application/ld+json"]').textContent())!) as Record<string, any>;
      expect(jsonLd).toMatchObject({ '@context': 'https://schema.org', '@type': 'Course', name: shown!.title.value, url: `${origin}/offers/${uuid}` });
      expect(jsonLd.hasCourseInstance).toHaveLength(shown!.upcoming.length);
      expect(jsonLd.hasCourseInstance[0]).toMatchObject({ '@type': 'CourseInstance', startDate: shown!.upcoming[0]!.startsAt });

      // Tap to call, a map link (a link only), opening hours with "open now", every upcoming slot.
      const phone = shown!.contactPhone ?? shown!.provider.phone;
      expect(await page.locator('.offer-head a.tel').getAttribute('href')).toBe(`tel:${phone!.replace(/[^\d+]/g, '')}`);
      const place = shown!.locations[0]!;
      expect(await page.locator('.osm-link').first().getAttribute('href')).toBe(
        `https://www.openstreetmap.org/?mlat=${place.latitude.toFixed(5)}&mlon=${place.longitude.toFixed(5)}#map=18/${place.latitude.toFixed(5)}/${place.longitude.toFixed(5)}`,
      );
      expect(await page.locator('#where .open-status').first().getAttribute('data-open')).toBe(String(place.openingHours!.openNow));
      expect(await page.locator('#dates .slot').count()).toBe(shown!.upcoming.length);
      // Eligibility and cost in plain words, the provider's German text beside them.
      const eligibility = await page.locator('#eligibility .plain-list li').allTextContents();
      expect(eligibility.length).toBeGreaterThanOrEqual(3);
      expect(await page.locator('#costs .plain-list li').count()).toBeGreaterThanOrEqual(2);
      expect(await page.locator('#eligibility .provider-text [lang="de"]').textContent()).toBe(shown!.eligibility);
      // "Checked on", registration, and who helps in the municipality.
      expect(await page.locator('.checked').getAttribute('data-verified')).toBe(shown!.verifiedAt ?? '');
      expect(await page.locator('#contacts .contact-office').allTextContents()).toEqual(shown!.municipality.contacts.map((c) => c.officeName));
      if (language === 'de') {
        expect(eligibility).toContain('Sie brauchen eine Berechtigung oder Verpflichtung (z. B. Berechtigungsschein vom BAMF).');
        expect(await page.locator('#costs .plain-list li').first().textContent()).toMatch(/2,29\s€ pro Unterrichtseinheit/);
      }
      await axe(page, `the offer page (${language})`);
      await page.screenshot({ path: `${OUTPUT}offer-${language}-${viewport === PHONE ? 'phone' : 'desktop'}.png`, fullPage: true });
      expect(problems).toEqual([]);
      await context.close();
    }
  }, 180_000);

  it('a shortlist kept in the browser prints as a one-page bilingual handout with QR codes, in ar, uk and fa beside German', async () => {
    const { context, page, problems } = await newPage(DESKTOP);
    const graphqlBodies: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname === '/graphql') graphqlBodies.push(`${request.url()} ${request.postData() ?? ''}`);
    });
    await page.goto(`${origin}/?lang=de&ags=${ESSLINGEN}&radius=25&category=LANGUAGE_COURSE`);
    await ready(page);
    await resultsReady(page);
    const marked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const card = page.locator('.offer-card').nth(i);
      await card.locator('.shortlist-toggle').click();
      expect(await card.locator('.shortlist-toggle').getAttribute('aria-pressed')).toBe('true');
      marked.push((await card.getAttribute('data-offer-id'))!);
    }
    expect(await page.locator('#shortlist-link').textContent()).toBe('Merkliste (3)');
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('pakt.shortlist') ?? '[]'))).toEqual(marked);
    // Nothing of the list went to the server while it was made.
    const uuids = marked.map((id) => atob(id).split(':')[1]!);
    expect(graphqlBodies.filter((body) => uuids.some((uuid) => body.includes(uuid)) || marked.some((id) => body.includes(encodeURIComponent(id))))).toEqual([]);

    const headings = { ar: 'عروض لك', uk: 'Пропозиції для вас', fa: 'پیشنهادهایی برای شما' } as const;
    for (const client of ['ar', 'uk', 'fa'] as const) {
      await page.goto(`${origin}/shortlist?lang=de&client=${client}`);
      await page.waitForFunction(() => document.getElementById('handout')?.dataset.state === 'ready');
      expect(await page.locator('.handout-offer').count()).toBe(3);
      expect(await page.locator('.handout-offer').evaluateAll((blocks) => blocks.map((b) => b.getAttribute('data-offer-id')))).toEqual(marked);
      for (const block of await page.locator('.handout-offer').all()) {
        expect(await block.locator('.handout-column').evaluateAll((cols) => cols.map((c) => [c.getAttribute('lang'), c.getAttribute('dir')]))).toEqual([
          [client, client === 'uk' ? 'ltr' : 'rtl'],
          ['de', 'ltr'],
        ]);
        expect(await block.locator('svg.qr path').getAttribute('d')).toMatch(/^(M\d+ \d+h1v1h-1z){50,}$/);
      }
      const urls = await page.locator('.handout-url').allTextContents();
      expect(urls).toEqual(uuids.map((uuid) => `${new URL(origin).host}/offers/${uuid}`));
      if (client === 'fa') {
        // Farsi: times in the same (Persian) digits as the dates.
        const schedule = (await page.locator('.handout-column[data-lang="fa"] .slot-schedule').allTextContents()).join(' ');
        const dates = (await page.locator('.handout-column[data-lang="fa"] .slot-date').allTextContents()).join(' ');
        expect(schedule).toMatch(/[۰-۹]{2}:[۰-۹]{2}|[۰-۹]{2}٫[۰-۹]{2}/);
        expect(schedule).not.toMatch(/[0-9]/);
        expect(dates).toMatch(/[۰-۹]/);
        expect(dates).not.toMatch(/[0-9]/);
      }
      await axe(page, `the shortlist (${client} beside de)`);
      await page.screenshot({ path: `${OUTPUT}shortlist-${client}.png`, fullPage: true });

      await page.emulateMedia({ media: 'print' });
      const pdf = await page.pdf({ format: 'A4', printBackground: true });
      await page.emulateMedia({ media: 'screen' });
      await writeFile(`${OUTPUT}handout-${client}.pdf`, pdf);
      const { pages, text } = await pdfText(pdf);
      expect(pages, `the ${client} handout fits one page`).toBe(1);
      // Both languages on the page: the headings, and the German titles of the offers.
      expect(containsText(text, headings[client]), `${client} heading in the PDF`).toBe(true);
      for (const other of ['ar', 'uk', 'fa'] as const)
        if (other !== client) expect(containsText(text, headings[other]), `no ${other} in the ${client} PDF`).toBe(false);
      expect(containsText(text, 'Angebote für Sie')).toBe(true);
      expect(text).toContain('Sprachkurs');
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 180_000);

  it('says so when the API is down: a shared link, the place search; both recover on retry', async () => {
    const { context, page } = await newPage(PHONE);
    let down = true;
    await page.route('**/graphql**', async (route) => {
      if (!down) return route.continue();
      return route.fulfill({
        status: 503,
        headers: { 'content-type': 'application/json', 'retry-after': '1' },
        body: JSON.stringify({ errors: [{ message: 'down', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }),
      });
    });
    await page.goto(`${origin}/?lang=de&ags=${ESSLINGEN}&radius=10`);
    await ready(page);
    await page.waitForFunction(() => document.getElementById('results')?.dataset.state === 'error');
    const summaryText = await page.locator('#results-summary').textContent();
    expect(summaryText).toContain('Der Dienst ist gerade nicht erreichbar');
    expect(summaryText).not.toContain('Wählen Sie einen Ort');
    await axe(page, 'a shared link while the API is down');
    await page.screenshot({ path: `${OUTPUT}portal-api-down.png`, fullPage: true });

    // The place search fails with a retry, too.
    await page.locator('#place').fill('');
    await page.locator('#place').pressSequentially('Tübingen', { delay: 20 });
    await page.locator('.place-retry').waitFor();
    expect(await page.locator('#place-status').textContent()).toContain('Die Ortssuche hat nicht geantwortet.');

    down = false;
    await page.locator('.place-retry').click();
    await page.locator('#place-options[data-query="Tübingen"]').waitFor();
    await page.locator('#results-summary button').click();
    await resultsReady(page);
    expect(Number(await page.locator('#results').getAttribute('data-total'))).toBeGreaterThan(0);
    await context.close();
  }, 120_000);

  it('offers Turkish and Russian, marked as translated by the project', async () => {
    const { context, page } = await newPage(DESKTOP);
    await page.goto(`${origin}/?lang=tr&ags=${ESSLINGEN}`);
    await ready(page);
    await resultsReady(page);
    expect(await page.locator('h1').textContent()).toBe('Yakınınızdaki teklifler');
    expect(await page.locator('#translation-note').isVisible()).toBe(true);
    expect(await page.locator('#translation-note').textContent()).toContain('pakt');
    await axe(page, 'the search in Turkish');
    await page.selectOption('#ui-language', 'ru');
    await page.waitForFunction(() => document.documentElement.lang === 'ru');
    expect(await page.locator('#translation-note').textContent()).toBe('Переведено проектом pakt, ещё не проверено');
    await page.selectOption('#ui-language', 'uk');
    await page.waitForFunction(() => document.documentElement.lang === 'uk');
    expect(await page.locator('#translation-note').isVisible()).toBe(false);
    await resultsReady(page);
    await axe(page, 'the search in Ukrainian');
    await page.screenshot({ path: `${OUTPUT}portal-uk.png`, fullPage: false });
    await context.close();
  }, 120_000);
});
