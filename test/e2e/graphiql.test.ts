// GraphiQL at /graphql in a real browser that cannot reach the internet: the page, its editors
// and the docs explorer come from pakt itself, the example tabs are there, the first example runs
// and shows offers, and the header editor carries an API key to the sync dry run. Also: every
// example validates against the schema, and the page is served once, gzipped and revalidated.
// Needs Chromium (`apt-get install chromium`, or CHROMIUM_PATH). Screenshots go to test-output/.
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parse, validate } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate } from '@pakt/db';
import { seed } from '@pakt/db/seed';
import { createTestDatabase, type TestDatabase } from '@pakt/db/testing';
import { createApiKey } from '../../api/src/auth/key-admin.js';
import { loadConfig } from '../../api/src/config.js';
import { graphiqlExamples } from '../../api/src/plugins/graphiql-examples.js';
import { schema } from '../../api/src/schema/index.js';
import { createApp, type App } from '../../api/src/yoga.js';
import { launchChromium, offlineContext, watchProblems, type Browser, type Page } from './support/browser.js';

const OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));

let db: TestDatabase;
let app: App;
let server: Server;
let origin: string;
let browser: Browser;
let apiKey: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await migrate(db);
  // The full sample data, as `pnpm start` seeds it: the examples are written for it.
  const now = new Date();
  await seed(db, { referenceDate: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)) });
  ({ key: apiKey } = await createApiKey(db, { kind: 'operator' }, { providerSlug: 'liga-bw', scopes: ['OFFERS_WRITE'] }));
  app = createApp({ db, config: loadConfig({ LOG_LEVEL: 'warn' }), webhookWorker: false });
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

/** The text of a GraphiQL (Monaco) editor, read from its model rather than the rendered lines. */
async function editorText(page: Page, selector: string): Promise<string> {
  return page
    .locator(selector)
    .first()
    .evaluate((element) => {
      const textarea = element.querySelector('textarea');
      const lines = [...element.querySelectorAll('.view-line')].map((line) => line.textContent ?? '');
      return (lines.length > 0 ? lines.join('\n') : (textarea?.value ?? element.textContent ?? '')).replace(/\u00a0/g, ' ');
    });
}

describe('GraphiQL', () => {
  it('has examples that validate against the schema', () => {
    expect(graphiqlExamples).toHaveLength(3);
    for (const example of graphiqlExamples) {
      expect(validate(schema, parse(example.query)), example.query.slice(0, 80)).toEqual([]);
      expect(() => JSON.parse(example.variables)).not.toThrow();
      expect(() => JSON.parse(example.headers)).not.toThrow();
    }
  });

  it('serves the page gzipped, with an ETag, and 304 when unchanged; the endpoint still answers operations', async () => {
    const page = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await page.text(); // fetch decodes the gzip
    expect(html).toContain('<title>pakt API</title>');
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(html).not.toMatch(/<link[^>]+href=["']https?:/);
    const etag = page.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    const again = await fetch(`${origin}/graphql`, { headers: { accept: 'text/html', 'if-none-match': etag } });
    expect(again.status).toBe(304);
    // Raw: the body on the wire is gzip, much smaller than the page.
    const raw = await new Promise<Buffer>((resolve, reject) => {
      import('node:http').then(({ get }) =>
        get(`${origin}/graphql`, { headers: { accept: 'text/html', 'accept-encoding': 'gzip' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve(Buffer.concat(chunks)));
        }).on('error', reject),
      );
    });
    expect(gunzipSync(raw).toString('utf8')).toBe(html);
    expect(raw.length).toBeLessThan(html.length / 2);
    const query = await fetch(`${origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ regions { code } }' }),
    });
    expect(((await query.json()) as { data: { regions: unknown[] } }).data.regions).toHaveLength(4);
  });

  it('works with the internet blocked: example tabs, docs explorer, running the portal search and a keyed sync dry run', async () => {
    const { context, blocked } = await offlineContext(browser, { viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(`${origin}/graphql`);

    // The three examples as tabs, the first one open.
    const tabs = page.locator('.graphiql-tab');
    await tabs.first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => document.querySelectorAll('.view-line').length > 0);
    expect(await tabs.count()).toBe(3);
    expect(await tabs.allTextContents()).toEqual([
      expect.stringContaining('OffersNearMe'),
      expect.stringContaining('MunicipalityWithContacts'),
      expect.stringContaining('SyncOffersDryRun'),
    ]);
    expect(await editorText(page, '.graphiql-query-editor')).toContain('query OffersNearMe');

    // Run the portal search: the answer shows offers near Esslingen.
    const answered = page.waitForResponse((response) => response.url().endsWith('/graphql') && (response.request().postData() ?? '').includes('OffersNearMe'));
    await page.locator('.graphiql-execute-button').click();
    const response = await answered;
    const body = (await response.json()) as { data?: { offers: { totalCount: number; edges: unknown[] } }; errors?: unknown };
    expect(body.errors, `${response.request().postData()} ${JSON.stringify(body.errors)}`).toBeUndefined();
    expect(body.data!.offers.totalCount).toBeGreaterThan(0);
    await page.waitForFunction(() => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('totalCount'));
    expect(await editorText(page, '.graphiql-response')).toContain('distanceKm');
    await page.screenshot({ path: `${OUTPUT}graphiql-search.png` });

    // The docs explorer shows the schema's descriptions.
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.waitFor();
    // The root type Query, with each field's description from the schema.
    await docs
      .locator('a', { hasText: /^Query$/ })
      .first()
      .click();
    // Descriptions are Markdown; the explorer renders `code` without its backticks.
    const described = (field: string) => schema.getQueryType()!.getFields()[field]!.description!.replace(/[`*]/g, '').split('\n')[0]!.slice(0, 40);
    await page.waitForFunction((text) => (document.querySelector('.graphiql-doc-explorer')?.textContent ?? '').includes(text), described('municipality'));
    expect(await docs.textContent()).toContain(described('offers'));
    await page.screenshot({ path: `${OUTPUT}graphiql-docs.png` });

    // The sync dry run: the header editor holds the Authorization placeholder; put a key in, run.
    await tabs.nth(2).click();
    await page.waitForFunction(() => (document.querySelector('.graphiql-query-editor')?.textContent ?? '').includes('SyncOffersDryRun'));
    await page.getByRole('button', { name: 'Headers' }).click();
    const headersEditor = page.locator('.graphiql-editor-tool .graphiql-editor >> visible=true');
    // The editor renders its lines a frame or more after the tab opens (one CI run read only "{"): wait for them.
    await expect
      .poll(() => editorText(page, '.graphiql-editor-tool .graphiql-editor >> visible=true'), { timeout: 5_000 })
      .toContain('"Authorization": "Bearer pakt_…"');
    await headersEditor.locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${apiKey}` }));
    await expect
      .poll(() => editorText(page, '.graphiql-editor-tool .graphiql-editor >> visible=true'), { timeout: 5_000 })
      .toBe(JSON.stringify({ Authorization: `Bearer ${apiKey}` }));
    const synced = page.waitForResponse((r) => r.url().endsWith('/graphql') && (r.request().postData() ?? '').includes('SyncOffersDryRun'));
    await page.locator('.graphiql-execute-button').click();
    const syncResponse = await synced;
    expect(syncResponse.request().headers()['authorization']).toBe(`Bearer ${apiKey}`);
    const sync = (await syncResponse.json()) as { data?: { syncOffers: { dryRun: boolean; results: { status: string }[] } }; errors?: unknown };
    expect(sync.errors, JSON.stringify(sync.errors)).toBeUndefined();
    expect(sync.data!.syncOffers.dryRun).toBe(true);
    expect(sync.data!.syncOffers.results).toEqual([expect.objectContaining({ status: 'CREATED' })]);
    await page.screenshot({ path: `${OUTPUT}graphiql-sync.png` });

    // Nothing outside 127.0.0.1 was asked for; the dry run wrote nothing.
    expect(blocked).toEqual([]);
    expect(problems).toEqual([]);
    const [row] = await db.sql.query<{ count: number }>("SELECT count(*)::int AS count FROM offer WHERE external_id = 'example-deutschkurs-a1'");
    expect(row?.count).toBe(0);
    await context.close();
  }, 120_000);
});
