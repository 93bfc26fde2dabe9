// Compiles the API for production: `node api/dist/main.js` runs it without tsx.
// - packages/db/src → packages/db/dist, file by file (its folders keep their depth, so the paths it
//   computes from import.meta.url, such as the migrations folder, stay right; its dependencies
//   resolve from packages/db as before);
// - api/src/main.ts and api/scripts/keys.ts → api/dist/main.js and api/dist/keys.js, bundled with
//   the API's own modules; npm packages stay external (resolved from api/node_modules) and
//   `@pakt/db…` imports point at packages/db/dist.
// Type-checking is `pnpm typecheck`'s job; esbuild only strips types (about a second).
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const api = fileURLToPath(new URL('..', import.meta.url));
const db = join(api, '..', 'packages', 'db');
const dbExports = JSON.parse(readFileSync(join(db, 'package.json'), 'utf8')).exports;

const tsFiles = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });

const common = { format: 'esm', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' };

rmSync(join(db, 'dist'), { recursive: true, force: true });
await esbuild.build({ ...common, entryPoints: tsFiles(join(db, 'src')), outdir: join(db, 'dist'), outbase: join(db, 'src') });

/** `@pakt/db/<sub>` → packages/db/dist/<sub>.js (from its package.json exports); other packages stay external. */
const workspaceImports = {
  name: 'workspace-imports',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      const match = /^@pakt\/db(\/.*)?$/.exec(args.path);
      if (!match) return { path: args.path, external: true };
      const target = dbExports[`.${match[1] ?? ''}`];
      if (typeof target !== 'string') return { errors: [{ text: `${args.path} is not exported by @pakt/db` }] };
      const compiled = join(db, target.replace(/^\.\/src\//, 'dist/').replace(/\.ts$/, '.js'));
      return {
        path: relative(join(api, 'dist'), compiled)
          .split('\\')
          .join('/')
          .replace(/^(?!\.)/, './'),
        external: true,
      };
    });
  },
};

rmSync(join(api, 'dist'), { recursive: true, force: true });
await esbuild.build({
  ...common,
  entryPoints: { main: join(api, 'src', 'main.ts'), keys: join(api, 'scripts', 'keys.ts') },
  outdir: join(api, 'dist'),
  bundle: true,
  // No shared chunks: a module's import.meta.url must stay at api/dist (yoga.ts finds the portal from it).
  plugins: [workspaceImports],
});
console.log('› api/dist/main.js, api/dist/keys.js, packages/db/dist');
