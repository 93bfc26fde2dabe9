// JSON answers of the open-data routes (RPDE feeds, HSDS): bodies, caching and the typed 400 for a
// bad query parameter, shaped like the GraphQL errors (`extensions.code`) so one client handles both.
import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';

export interface OpenDataErrorBody {
  errors: { message: string; extensions: { code: string; parameter?: string } }[];
}

/** A JSON response; `cacheControl` defaults to a short public cache. */
export function jsonResponse(
  body: unknown,
  { status = 200, cacheControl = 'public, max-age=60', contentType = 'application/json; charset=utf-8' } = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'content-type': contentType,
      'cache-control': cacheControl,
      // Anyone may read open data, from any site.
      'access-control-allow-origin': '*',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** 400 naming the parameter: `{ errors: [{ message, extensions: { code: 'BAD_REQUEST', parameter } }] }`. */
export function badParameter(parameter: string, message: string): Response {
  const body: OpenDataErrorBody = { errors: [{ message, extensions: { code: 'BAD_REQUEST', parameter } }] };
  return jsonResponse(body, { status: 400, cacheControl: 'no-store' });
}

export function notFound(message: string): Response {
  const body: OpenDataErrorBody = { errors: [{ message, extensions: { code: 'NOT_FOUND' } }] };
  return jsonResponse(body, { status: 404, cacheControl: 'public, max-age=60' });
}

export function methodNotAllowed(): Response {
  const body: OpenDataErrorBody = { errors: [{ message: 'Open data is read-only: use GET or HEAD.', extensions: { code: 'METHOD_NOT_ALLOWED' } }] };
  const response = jsonResponse(body, { status: 405, cacheControl: 'no-store' });
  response.headers.set('allow', 'GET, HEAD');
  return response;
}

/** Thrown by parameter parsers; the route turns it into {@link badParameter}. */
export class BadParameterError extends Error {
  override name = 'BadParameterError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** Parameters the route does not know are refused, so a typo (`afterID`) does not silently restart a walk. */
export function checkKnownParameters(url: URL, known: readonly string[]): void {
  for (const name of url.searchParams.keys()) {
    if (!known.includes(name))
      throw new BadParameterError(
        name,
        `Unknown query parameter "${name}"; this endpoint takes ${known.length ? known.map((k) => `"${k}"`).join(', ') : 'none'}.`,
      );
  }
  for (const name of known) {
    if (url.searchParams.getAll(name).length > 1) throw new BadParameterError(name, `Query parameter "${name}" is given more than once.`);
  }
}

/** Anything else: logged with its stack and an id, answered as a masked 500 (never cached). */
export function unexpectedError(log: Logger, error: unknown, url: URL): Response {
  const requestId = randomUUID();
  log.error({ err: error, requestId, path: url.pathname }, 'open-data request failed');
  const body = { errors: [{ message: `Unexpected error (request id ${requestId}).`, extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] };
  return jsonResponse(body, { status: 500, cacheControl: 'no-store' });
}
