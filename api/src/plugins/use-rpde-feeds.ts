// The open-data feeds over plain HTTP (no GraphQL): GET /feeds (an index), /feeds/offers and
// /feeds/course-instances (RPDE pages, see feeds/rpde.ts) and pakt's concept schemes under
// /feeds/concepts/. Public, anonymous and read-only: only what was ever published is in them.
import type { Database } from '@pakt/db';
import type { Plugin } from 'graphql-yoga';
import { SCHEME_PATHS, conceptScheme, schemeId, type SchemeName } from '../feeds/concepts.js';
import { FEED_PAGE_SIZE, parseCursor, pageCacheControl, readFeedPage, type FeedName } from '../feeds/rpde.js';
import { publicBaseUrl } from '../open-data/base-url.js';
import { BadParameterError, badParameter, checkKnownParameters, jsonResponse, methodNotAllowed, notFound, unexpectedError } from '../open-data/responses.js';
import type { Logger } from '../observability/logger.js';

export interface RpdeFeedsOptions {
  /** Where the feeds are read (the read replica when there is one). */
  db: Database;
  /** The data's licence, the `license` of every page. */
  license: string;
  /** Absolute base of `next` links and ids (PAKT_PUBLIC_URL). @default the request's origin */
  publicUrl?: string | undefined;
  /** Where unexpected errors are logged (their answer is a masked 500). */
  log: Logger;
}

const FEEDS: readonly FeedName[] = ['offers', 'course-instances'];
const SCHEMES = Object.entries(SCHEME_PATHS) as [SchemeName, string][];

/** Without a body for HEAD. */
function answer(request: Request, response: Response): Response {
  return request.method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response;
}

export function useRpdeFeeds({ db, license, publicUrl, log }: RpdeFeedsOptions): Plugin {
  async function handle(request: Request, url: URL): Promise<Response> {
    if (request.method !== 'GET' && request.method !== 'HEAD') return methodNotAllowed();
    const base = publicBaseUrl(request, publicUrl);
    const path = url.pathname.replace(/\/+$/, '') || '/';
    try {
      const feed = FEEDS.find((name) => path === `/feeds/${name}`);
      if (feed) {
        const cursor = parseCursor(url);
        const page = await readFeedPage(db.sql, feed, cursor, { base, pageUrl: `${base}${url.pathname}${url.search}`, license });
        return jsonResponse(page, { cacheControl: pageCacheControl(page) });
      }
      checkKnownParameters(url, []);
      const scheme = SCHEMES.find(([, schemePath]) => path === schemePath);
      if (scheme)
        return jsonResponse(conceptScheme(base, scheme[0], license), {
          cacheControl: 'public, max-age=86400',
          contentType: 'application/ld+json; charset=utf-8',
        });
      if (path === '/feeds') {
        return jsonResponse({
          license,
          pageSize: FEED_PAGE_SIZE,
          ordering: 'modified timestamp and id (modified is the change-log sequence)',
          feeds: FEEDS.map((name) => ({ name, url: `${base}/feeds/${name}` })),
          conceptSchemes: SCHEMES.map(([name]) => ({ name, url: schemeId(base, name) })),
        });
      }
      return notFound(`No open-data resource at ${url.pathname}; see ${base}/feeds.`);
    } catch (error) {
      if (error instanceof BadParameterError) return badParameter(error.parameter, error.message);
      return unexpectedError(log, error, url);
    }
  }

  return {
    // Synchronous for every other path: an async hook makes each GraphQL request wait a turn.
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/feeds' && !url.pathname.startsWith('/feeds/')) return;
      return handle(request, url).then((response) => endResponse(answer(request, response)));
    },
  };
}
