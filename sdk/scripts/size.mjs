// Measures the SDK core as an app would ship it: src/index.ts bundled and minified by esbuild for
// the browser, then gzipped. `--max <bytes>` fails when the gzipped size is above the budget.
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { pureDocuments } from './pure-documents.mjs';

const sdk = fileURLToPath(new URL('..', import.meta.url));
const maxArg = process.argv.indexOf('--max');
const max = maxArg > 0 ? Number(process.argv[maxArg + 1]) : undefined;

const result = await esbuild.build({
  absWorkingDir: sdk,
  entryPoints: ['src/index.ts'],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  write: false,
  plugins: [pureDocuments],
  logLevel: 'warning',
});
const code = result.outputFiles[0].contents;
const gzip = gzipSync(code, { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(2)} kB`;
console.log(`@pakt-bw/sdk core: ${kb(code.length)} minified, ${kb(gzip)} gzipped${max ? ` (budget ${kb(max)})` : ''}`);
if (max !== undefined && gzip > max) {
  console.error(`The core is over its size budget by ${kb(gzip - max)}.`);
  process.exit(1);
}
