// Builds @pakt-bw/sdk into dist/: codegen, then neutral-platform ESM with esbuild (dependencies
// external), `.d.ts` from tsc, and the gzipped size of the core. (The `pakt` command line is
// its own package, @pakt-bw/cli in packages/cli.)
import { spawnSync } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { pureDocuments } from './pure-documents.mjs';

const sdk = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const pkg = JSON.parse(await readFile(join(sdk, 'package.json'), 'utf8'));

function runBin(packageName, binName, args) {
  const manifest = require.resolve(`${packageName}/package.json`);
  const { bin } = require(manifest);
  const script = join(dirname(manifest), typeof bin === 'string' ? bin : bin[binName]);
  const { status } = spawnSync(process.execPath, [script, ...args], { cwd: sdk, stdio: 'inherit' });
  if (status !== 0) {
    console.error(`› ${binName} failed (exit code ${status}); see above.`);
    process.exit(status ?? 1);
  }
}

function runScript(path, args) {
  const { status } = spawnSync(process.execPath, [join(sdk, path), ...args], { cwd: sdk, stdio: 'inherit' });
  if (status !== 0) process.exit(status ?? 1);
}

console.log('› codegen');
runBin('@graphql-codegen/cli', 'graphql-codegen', ['--config', 'codegen.ts', '--errors-only']);

await rm(join(sdk, 'dist'), { recursive: true, force: true });

const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];

console.log('› esbuild');
await esbuild.build({
  absWorkingDir: sdk,
  entryPoints: { index: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  external,
  sourcemap: true,
  plugins: [pureDocuments],
  logLevel: 'warning',
});
console.log('› tsc (declarations)');
runBin('typescript', 'tsc', ['-p', 'tsconfig.build.json']);

console.log('› size');
// The budget: see sdk/README.md ("Size").
runScript('scripts/size.mjs', ['--max', String(15 * 1024)]);
