// The Open Referral HSDS 3.0 API, read-only, under /hsds (see hsds/routes.ts and
// docs/hsds-mapping.md). Public and anonymous: only published offers, like the GraphQL API.
import type { Database } from '@pakt/db';
import type { Plugin } from 'graphql-yoga';
import { route } from '../hsds/routes.js';
import { publicBaseUrl } from '../open-data/base-url.js';
import type { Logger } from '../observability/logger.js';
import { BadParameterError, badParameter, jsonResponse, methodNotAllowed, notFound, unexpectedError } from '../open-data/responses.js';

export interface HsdsOptions {
  /** Where the API reads (the read replica when there is one). */
  db: Database;
  /** The data's licence, named in the API's metadata (GET /hsds/). */
  license: string;
  /** Absolute base of links (PAKT_PUBLIC_URL). @default the request's origin */
  publicUrl?: string | undefined;
  log: Logger;
  /** Cache lifetime of answers, in seconds. @default 60 */
  maxAgeSeconds?: number;
}

export function useHsds({ db, license, publicUrl, log, maxAgeSeconds = 60 }: HsdsOptions): Plugin {
  return {
    // Synchronous for every other path: an async hook makes each GraphQL request wait a turn.
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== '/hsds' && !url.pathname.startsWith('/hsds/')) return;
      return serve(request, url, endResponse);
    },
  };

  async function serve(request: Request, url: URL, endResponse: (response: Response) => void) {
    let response: Response;
    if (request.method !== 'GET' && request.method !== 'HEAD') response = methodNotAllowed();
    else {
      try {
        const result = await route(db.sql, publicBaseUrl(request, publicUrl), url.pathname.slice('/hsds'.length), url, license);
        response = result.status === 200 ? jsonResponse(result.body, { cacheControl: `public, max-age=${maxAgeSeconds}` }) : notFound(result.message);
      } catch (error) {
        response = error instanceof BadParameterError ? badParameter(error.parameter, error.message) : unexpectedError(log, error, url);
      }
    }
    endResponse(request.method === 'HEAD' ? new Response(null, { status: response.status, headers: response.headers }) : response);
  }
}
