// Builds the portal into dist/ (index.html + hashed files in dist/assets/), which the API serves
// at / (api/src/plugins/use-portal.ts). `pnpm dev` serves it with hot reload and forwards
// /graphql to a running API (PAKT_API, default http://127.0.0.1:4000).
import { defineConfig } from 'vite';

const api = globalThis.process?.env.PAKT_API ?? 'http://127.0.0.1:4000';

export default defineConfig({
  // @pakt/sdk resolves to its browser build (sdk/dist, `pnpm --filter @pakt/sdk build`).
  build: {
    target: 'es2022',
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    proxy: { '/graphql': { target: api, changeOrigin: true } },
  },
  preview: {
    proxy: { '/graphql': { target: api, changeOrigin: true } },
  },
});
