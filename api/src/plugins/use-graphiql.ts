// GraphiQL at the GraphQL endpoint (GET in a browser), served entirely by pakt: the page comes from
// @graphql-yoga/render-graphiql, which inlines GraphiQL's script, styles and editor workers (yoga's
// default page loads them from a public CDN and stays on "Loading…" without internet). The page opens
// with example tabs, a header editor for the API key and the docs explorer with the schema's
// descriptions. It is rendered once (about 9 MB), gzipped once, and revalidated by ETag, so a
// browser downloads it again only after a server update. The renderer is imported at the first
// page request: its module is about 30 MB of strings once loaded, a tenth of the resident memory
// of a process that never serves the page (issue 16).
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { shouldRenderGraphiQL, type GraphiQLOptions, type Plugin } from 'graphql-yoga';
import type { GraphiQLExample } from './graphiql-examples.js';

export interface UseGraphiQLOptions {
  /** Path of the GraphQL endpoint the page is served at and sends operations to. @default "/graphql" */
  endpoint?: string;
  /** The page title. @default "pakt API" */
  title?: string;
  /** The tabs GraphiQL opens with when the browser has none stored. @default [] */
  examples?: readonly GraphiQLExample[];
}

interface RenderedPage {
  html: Uint8Array<ArrayBuffer>;
  gzip: Uint8Array<ArrayBuffer>;
  etag: string;
}

/** The GraphiQL options pakt renders with (exported for the test). */
export function graphiqlOptions({ endpoint = '/graphql', title = 'pakt API', examples = [] }: UseGraphiQLOptions): GraphiQLOptions {
  const [first] = examples;
  return {
    title,
    endpoint,
    defaultTabs: examples.map((example) => ({ ...example })),
    // GraphiQL leaves the first default tab's variables and headers empty unless they are also
    // given as the initial ones (graphql/graphiql#3392).
    ...(first ? { variables: first.variables, headers: first.headers } : {}),
    // The header editor is where the API key goes; it is not stored in the browser unless asked.
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
    defaultEditorToolsVisibility: true,
    // The docs explorer shows the schema's own description and deprecated input values.
    schemaDescription: true,
    inputValueDeprecation: true,
  };
}

export function useGraphiQL(options: UseGraphiQLOptions = {}): Plugin {
  const endpoint = options.endpoint ?? '/graphql';
  let page: Promise<RenderedPage> | undefined;
  // Rendered at the first request, not at start: most processes never serve the page. A failed
  // import or render is tried again by the next request.
  const render = (): Promise<RenderedPage> =>
    (page ??= import('@graphql-yoga/render-graphiql')
      .then(({ renderGraphiQL }) => {
        const html = new TextEncoder().encode(renderGraphiQL(graphiqlOptions(options)));
        return { html, gzip: new Uint8Array(gzipSync(html)), etag: `"${createHash('sha256').update(html).digest('base64url').slice(0, 32)}"` };
      })
      .catch((error: unknown) => {
        page = undefined;
        throw error;
      }));
  return {
    // Synchronous for every request but a browser's GET of the page (GraphQL requests wait for nothing).
    onRequest({ request, url, endResponse }) {
      if (url.pathname !== endpoint || !shouldRenderGraphiQL(request)) return;
      return render().then(({ html, gzip, etag }) => {
        const headers: Record<string, string> = {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-cache',
          etag,
          vary: 'Accept, Accept-Encoding',
        };
        const ifNoneMatch = request.headers.get('if-none-match');
        if (ifNoneMatch?.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag)) {
          endResponse(new Response(null, { status: 304, headers }));
          return;
        }
        const gzipped = /\bgzip\b/i.test(request.headers.get('accept-encoding') ?? '');
        if (gzipped) headers['content-encoding'] = 'gzip';
        endResponse(new Response(gzipped ? gzip : html, { status: 200, headers }));
      });
    },
  };
}
