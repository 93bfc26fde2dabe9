// `pnpm build`: every build step of the workspace, each skipped when its inputs are unchanged since
// it last succeeded and its outputs are still there. A step's stamp is a SHA-256 over its input
// files (paths and contents, not mtimes: a checkout or a copy changes mtimes without changing
// anything) and the lockfile; stamps live in node_modules/.cache/pakt-build/ (never committed).
//
//   node scripts/build.mjs            build what is out of date
//   node scripts/build.mjs --force    build everything
//   node scripts/build.mjs sdk api    only these steps (and nothing they depend on)
//
// Each step runs its package's own script, so `pnpm --filter <pkg> build` stays the way to build one
// package by hand.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stampDir = join(root, 'node_modules', '.cache', 'pakt-build');

/** Files every step depends on: the lockfile (a dependency changed) and the shared compiler options. */
const shared = ['pnpm-lock.yaml', 'tsconfig.base.json'];

/**
 * The steps in dependency order. `inputs` are files or folders (folders recursively; `generated`,
 * `dist` and `node_modules` folders inside them are left out unless named themselves).
 */
export const steps = [
  {
    name: 'db',
    what: 'Prisma client and Pothos types (packages/db/src/generated)',
    dir: 'packages/db',
    script: 'generate',
    inputs: ['packages/db/prisma/schema.prisma', 'packages/db/scripts/generate.mjs', 'packages/db/package.json'],
    outputs: ['packages/db/src/generated'],
  },
  {
    name: 'sdk',
    what: 'SDK: codegen (with persisted-documents.json), esbuild, declarations (sdk/dist)',
    dir: 'sdk',
    script: 'build',
    inputs: ['schema/schema.graphql', 'schema/operations', 'sdk/src', 'sdk/codegen.ts', 'sdk/scripts', 'sdk/package.json', 'sdk/tsconfig.build.json'],
    outputs: ['sdk/dist/index.js', 'sdk/src/generated/graphql.ts', 'sdk/src/generated/persisted-documents.json'],
  },
  {
    name: 'cli',
    what: 'command line @pakt-bw/cli (packages/cli/dist)',
    dir: 'packages/cli',
    script: 'build',
    inputs: ['packages/cli/src', 'packages/cli/package.json', 'packages/cli/tsconfig.build.json', 'sdk/dist'],
    outputs: ['packages/cli/dist/pakt.js'],
  },
  {
    name: 'portal',
    what: 'portal (packages/portal/dist)',
    dir: 'packages/portal',
    script: 'build',
    inputs: ['packages/portal/src', 'packages/portal/index.html', 'packages/portal/vite.config.ts', 'packages/portal/package.json', 'sdk/dist'],
    outputs: ['packages/portal/dist/index.html'],
  },
  {
    name: 'api',
    what: 'API as JavaScript for production (api/dist, packages/db/dist)',
    dir: 'api',
    script: 'build',
    inputs: [
      'api/src',
      'api/scripts/build.mjs',
      'api/scripts/keys.ts',
      'api/package.json',
      'packages/db/src',
      'packages/db/src/generated',
      'packages/db/package.json',
    ],
    outputs: ['api/dist/main.js', 'packages/db/dist/index.js'],
  },
];

// ─── Private helpers ──────────────────────────────────────────────────────────────────────────────

const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'generated', '.cache']);

function listFiles(path, named = true) {
  if (!existsSync(path)) return [];
  const stat = statSync(path);
  if (stat.isFile()) return [path];
  if (!stat.isDirectory()) return [];
  const base = path.split(sep).at(-1);
  if (!named && SKIPPED_FOLDERS.has(base)) return [];
  return readdirSync(path)
    .sort()
    .flatMap((name) => listFiles(join(path, name), false));
}

/** SHA-256 over the step's input files: their paths and contents. */
function inputHash(step) {
  const hash = createHash('sha256');
  for (const input of [...shared, ...step.inputs]) {
    for (const file of listFiles(join(root, input))) {
      hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

const stampFile = (step) => join(stampDir, `${step.name}.json`);

function isFresh(step, hash) {
  if (!step.outputs.every((output) => existsSync(join(root, output)))) return false;
  try {
    return JSON.parse(readFileSync(stampFile(step), 'utf8')).inputs === hash;
  } catch {
    return false;
  }
}

/** Runs `<pnpm> run <script>` in the step's package: the pnpm running this script, else npx pnpm. */
function runScript(step) {
  const pnpm = process.env.npm_execpath;
  const [command, args] = pnpm && /pnpm/.test(pnpm) ? [process.execPath, [pnpm, 'run', step.script]] : ['npx', ['-y', 'pnpm@10.34.8', 'run', step.script]];
  const { status } = spawnSync(command, args, { cwd: join(root, step.dir), stdio: 'inherit' });
  return status ?? 1;
}

// ─── Main ─────────────────────────────────────────────────────────────────────────────────────────

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const force = args.includes('--force');
  const only = args.filter((arg) => !arg.startsWith('--'));
  const unknown = only.filter((name) => !steps.some((step) => step.name === name));
  if (unknown.length > 0) {
    console.error(`Unknown build step(s) ${unknown.join(', ')}; steps: ${steps.map((step) => step.name).join(', ')}.`);
    process.exit(2);
  }
  mkdirSync(stampDir, { recursive: true });
  const started = Date.now();
  for (const step of steps) {
    if (only.length > 0 && !only.includes(step.name)) continue;
    const before = inputHash(step);
    if (!force && isFresh(step, before)) {
      console.log(`✓ ${step.name}: up to date (${step.what})`);
      continue;
    }
    console.log(`› ${step.name}: building ${step.what}`);
    const stepStarted = Date.now();
    const status = runScript(step);
    if (status !== 0) {
      console.error(`✗ ${step.name} failed (exit code ${status}); see above.`);
      process.exit(status);
    }
    // Hashed again after the build: a step that rewrites one of its inputs is judged by what it left.
    writeFileSync(stampFile(step), `${JSON.stringify({ inputs: inputHash(step), builtAt: new Date().toISOString() })}\n`);
    console.log(`✓ ${step.name}: built in ${((Date.now() - stepStarted) / 1000).toFixed(1)} s`);
  }
  console.log(`build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
