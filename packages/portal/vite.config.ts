// Builds the portal into dist/ (index.html, offer.html, shortlist.html + hashed files in
// dist/assets/), which the API serves at /, /offers/<id> and /shortlist
// (api/src/plugins/use-portal.ts). `pnpm dev` serves it with hot reload and forwards /graphql to a
// running API (PAKT_API, default http://127.0.0.1:4000).
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const api = globalThis.process?.env.PAKT_API ?? 'http://127.0.0.1:4000';
const page = (name: string) => fileURLToPath(new URL(`./${name}.html`, import.meta.url));

/** The dev server's version of use-portal's routes: /offers/<id> and /shortlist. */
function pageRoutes(): Plugin {
  return {
    name: 'pakt-page-routes',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        if (/^\/offers\/[^/]+$/.test(path)) req.url = `/offer.html${req.url!.slice(path.length)}`;
        else if (path === '/shortlist') req.url = `/shortlist.html${req.url!.slice(path.length)}`;
        next();
      });
    },
  };
}

export default defineConfig({
  plugins: [pageRoutes()],
  // @pakt-bw/sdk resolves to its browser build (sdk/dist, `pnpm --filter @pakt-bw/sdk build`).
  build: {
    target: 'es2022',
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { input: { index: page('index'), offer: page('offer'), shortlist: page('shortlist') } },
  },
  server: {
    proxy: { '/graphql': { target: api, changeOrigin: true } },
  },
  preview: {
    proxy: { '/graphql': { target: api, changeOrigin: true } },
  },
});
