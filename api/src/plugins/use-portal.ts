// Serves the built portal (packages/portal/dist) next to /graphql: GET / → index.html, GET
// /offers/<id> → offer.html, GET /shortlist → shortlist.html and GET /assets/* → the hashed files
// Vite writes there, with content types and caching headers.
// Paths that leave the assets folder are refused. When `root` does not exist (the portal was not
// built), every request passes through untouched.
import { stat, readFile } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { Plugin } from 'graphql-yoga';

export interface PortalOptions {
  /** The folder with index.html and assets/, e.g. packages/portal/dist. */
  root: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Vite names built files `name-<hash>.ext`: their content never changes under that name. */
const HASHED = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

/**
 * The page may only load its own files; it talks to /graphql, or to another API given with
 * ?endpoint=, hence the open connect-src.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' http: https:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

const notFound = () => new Response('Not found', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * Answers a request for the portal, or returns undefined when it is not one (or the portal is not
 * built), so that the caller passes it on. Used by {@link usePortal}; also usable in front of any
 * fetch-style or node handler.
 */
export function createPortalHandler({ root }: PortalOptions): (request: Request) => Promise<Response | undefined> {
  const base = resolve(root);
  const assets = resolve(base, 'assets');

  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
    const { pathname } = new URL(request.url);

    let file: string;
    let kind: 'page' | 'asset';
    if (pathname === '/' || pathname === '/index.html') {
      file = resolve(base, 'index.html');
      kind = 'page';
    } else if (/^\/offers\/[0-9A-Za-z_=-]{1,100}$/.test(pathname)) {
      // An offer's own page; the page loads the offer named in its path.
      file = resolve(base, 'offer.html');
      kind = 'page';
    } else if (pathname === '/shortlist') {
      file = resolve(base, 'shortlist.html');
      kind = 'page';
    } else if (pathname.startsWith('/assets/')) {
      let relative: string;
      try {
        relative = decodeURIComponent(pathname.slice('/assets/'.length));
      } catch {
        return (await isDirectory(base)) ? notFound() : undefined;
      }
      // Only plain names below assets/: no "..", no backslashes or NUL, no hidden files.
      const segments = relative.split('/');
      if (
        relative.length === 0 ||
        relative.includes('\\') ||
        relative.includes('\0') ||
        segments.some((segment) => segment === '' || segment.startsWith('.'))
      ) {
        return (await isDirectory(base)) ? notFound() : undefined;
      }
      file = resolve(assets, relative);
      if (!file.startsWith(assets + sep)) return (await isDirectory(base)) ? notFound() : undefined;
      kind = 'asset';
    } else {
      return undefined;
    }

    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) {
      // Not built: leave / and /assets/* to whatever comes next.
      if (!(await isDirectory(base))) return undefined;
      return kind === 'asset' ? notFound() : undefined;
    }

    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const headers = new Headers({
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control':
        kind === 'page'
          ? 'no-cache' // revalidate: a new build changes the asset names it points to
          : HASHED.test(file)
            ? 'public, max-age=31536000, immutable'
            : 'public, max-age=3600',
      etag,
      'last-modified': info.mtime.toUTCString(),
      'x-content-type-options': 'nosniff',
    });
    if (kind === 'page') {
      headers.set('content-security-policy', CSP);
      headers.set('referrer-policy', 'no-referrer');
      headers.set('x-frame-options', 'DENY');
    }

    const ifNoneMatch = request.headers.get('if-none-match');
    if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag || tag.trim() === '*')) {
      return new Response(null, { status: 304, headers });
    }
    if (request.method === 'HEAD') {
      headers.set('content-length', String(info.size));
      return new Response(null, { status: 200, headers });
    }
    const body = await readFile(file);
    headers.set('content-length', String(body.byteLength));
    return new Response(body, { status: 200, headers });
  };
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * A yoga plugin that serves the portal at / and /assets/* from `root` (see
 * {@link createPortalHandler}); everything else, /graphql included, goes on as before.
 */
export function usePortal(options: PortalOptions): Plugin {
  const handle = createPortalHandler(options);
  return {
    onRequest({ request, endResponse }) {
      // Synchronous for the API's POSTs: an async hook makes each GraphQL request wait a turn.
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      return handle(request).then((response) => {
        if (response) endResponse(response);
      });
    },
  };
}
