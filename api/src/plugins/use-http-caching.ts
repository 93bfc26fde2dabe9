// HTTP caching of persisted reads, so a CDN or a browser can serve them: an anonymous GET that names
// a persisted operation (`documentId` or `extensions.persistedQuery`) and succeeds gets
// `Cache-Control: public, max-age=<the response cache TTL>`, a weak `ETag` over its `data`, and
// `Vary: Accept, Accept-Language`; `If-None-Match` with that ETag is answered `304 Not Modified`.
// The ETag covers `data` only: `extensions` (cost budget, cache metadata) differ between identical
// answers. Anything a caller with a key reads is `private, no-store`; failures are `no-store`.
// Mutations never arrive here: yoga refuses them over GET (405).
import { createHash } from 'node:crypto';
import { getOperationAST, Kind } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface HttpCachingOptions {
  /**
   * `max-age` of anonymous persisted reads, in seconds: the response cache's TTL, so a CDN keeps
   * an answer no longer than the server would. 0: `no-cache` (a CDN revalidates with the ETag).
   * Config: `PAKT_CACHE_TTL_SECONDS`.
   */
  maxAgeSeconds: number;
  /**
   * Root fields whose answers must be revalidated every time (`no-cache`): the change feed, whose
   * pages no write could invalidate.
   * @default []
   */
  noCacheRootFields?: readonly string[];
}

// ─── Private helpers ──────────────────────────────────────────────────────────────────────────────

const isPersistedRequest = (url: URL) => {
  if (url.searchParams.has('documentId')) return true;
  const extensions = url.searchParams.get('extensions');
  if (!extensions) return false;
  try {
    return typeof (JSON.parse(extensions) as { persistedQuery?: unknown }).persistedQuery === 'object';
  } catch {
    return false;
  }
};

/** Whether an `If-None-Match` value names `etag` (weak comparison, RFC 9110 13.1.2). */
function matches(ifNoneMatch: string | null, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  const bare = etag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === bare);
}

/** `Vary` with `names` added to what the response already varies on (CORS adds `Origin`). */
function mergeVary(existing: string | null, names: string[]): string {
  const all = (existing ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  for (const name of names) if (!all.some((other) => other.toLowerCase() === name.toLowerCase())) all.push(name);
  return all.join(', ');
}

function withHeaders(response: Response, body: string | null, status: number, set: Record<string, string>): Response {
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(set)) headers.set(name, value);
  if (body === null) {
    headers.delete('content-length');
    headers.delete('content-type');
  }
  return new Response(body, { status, statusText: status === 304 ? 'Not Modified' : response.statusText, headers });
}

export function useHttpCaching({ maxAgeSeconds, noCacheRootFields = [] }: HttpCachingOptions): Plugin {
  /** Root fields of the operation each GraphQL GET ran; also marks a request as GraphQL. */
  const rootFieldsOf = new WeakMap<Request, string[]>();
  return {
    onExecute({ args }) {
      const request = (args.contextValue as { request?: Request }).request;
      if (request?.method !== 'GET') return;
      const operation = getOperationAST(args.document, args.operationName);
      const fields = (operation?.selectionSet.selections ?? []).flatMap((selection) => (selection.kind === Kind.FIELD ? [selection.name.value] : []));
      rootFieldsOf.set(request, fields);
    },
    onResponse({ request, response, setResponse }) {
      const rootFields = rootFieldsOf.get(request);
      // Synchronous for POSTs: an async hook makes each GraphQL response wait a turn.
      if (request.method !== 'GET' || !rootFields) return;
      return cacheHeaders(request, response, setResponse, rootFields);
    },
  };

  async function cacheHeaders(request: Request, response: Response, setResponse: (response: Response) => void, rootFields: string[]) {
    if ((request.headers.get('authorization') ?? '').trim() !== '') {
      setResponse(withHeaders(response, await response.text(), response.status, { 'cache-control': 'private, no-store' }));
      return;
    }
    if (!isPersistedRequest(new URL(request.url))) return;
    const body = await response.text();
    let result: { data?: unknown; errors?: unknown[] } | undefined;
    try {
      result = JSON.parse(body) as typeof result;
    } catch {
      result = undefined;
    }
    if (response.status !== 200 || !result || (Array.isArray(result.errors) && result.errors.length > 0) || result.data == null) {
      setResponse(withHeaders(response, body, response.status, { 'cache-control': 'no-store' }));
      return;
    }
    const revalidate = maxAgeSeconds <= 0 || rootFields.some((field) => noCacheRootFields.includes(field));
    const etag = `W/"${createHash('sha256').update(JSON.stringify(result.data)).digest('base64url').slice(0, 32)}"`;
    const caching = {
      'cache-control': revalidate ? 'public, no-cache' : `public, max-age=${maxAgeSeconds}`,
      etag,
      vary: mergeVary(response.headers.get('vary'), ['Accept', 'Accept-Language']),
    };
    setResponse(matches(request.headers.get('if-none-match'), etag) ? withHeaders(response, null, 304, caching) : withHeaders(response, body, 200, caching));
  }
}
