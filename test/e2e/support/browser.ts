// Headless Chromium for the browser tests, and a browser context that cannot reach the internet:
// every request to a host other than 127.0.0.1 is aborted and recorded, so a test proves a page
// works offline (nothing from a CDN) by asserting the record is empty.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// playwright-core is a dependency of the portal package, the browser tooling's home.
type Playwright = typeof import('playwright-core');
export type Browser = import('playwright-core').Browser;
export type BrowserContext = import('playwright-core').BrowserContext;
export type BrowserContextOptions = import('playwright-core').BrowserContextOptions;
export type Page = import('playwright-core').Page;
const requireFromPortal = createRequire(new URL('../../../packages/portal/package.json', import.meta.url));

/** Launches headless Chromium, or says how to get one. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install it with \`apt-get install chromium\` ` +
        '(Debian/Ubuntu; CI does), or point CHROMIUM_PATH at a Chromium or Chrome binary.',
    );
  }
  const { chromium } = requireFromPortal('playwright-core') as Playwright;
  return chromium.launch({
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
}

/** A context whose pages reach 127.0.0.1 only; `blocked` lists every other URL they asked for. */
export async function offlineContext(browser: Browser, options: BrowserContextOptions = {}): Promise<{ context: BrowserContext; blocked: string[] }> {
  const context = await browser.newContext(options);
  const blocked: string[] = [];
  await context.route('**/*', async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === '127.0.0.1') return route.continue();
    blocked.push(url.href);
    return route.abort('internetdisconnected');
  });
  // Requests the router never sees (service workers, prefetches) still show up here.
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (/^(https?|wss?):$/.test(url.protocol) && url.hostname !== '127.0.0.1' && !blocked.includes(url.href)) blocked.push(url.href);
  });
  return { context, blocked };
}

/** Collects page errors and console errors, for a test to assert there were none. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return problems;
}
