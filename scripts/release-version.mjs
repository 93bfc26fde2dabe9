// `pnpm release:version`: turns the pending changesets into versions and CHANGELOG.md entries
// (`changeset version`), then does what changesets cannot know about:
// - snapshots schema/schema.graphql as schema/releases/<API version>.graphql when the API's version
//   changed: that file is "the released schema" the schema gate compares against;
// - writes the new versions into the constants the SDK and the CLI report (user-agent, --version).
// Run it on a clean tree, review the diff, commit, then publish (docs/releasing.md).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const versionOf = (dir) => JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).version;

const changeset = spawnSync(process.execPath, [join(root, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version'], {
  cwd: root,
  stdio: 'inherit',
});
if (changeset.status !== 0) process.exit(changeset.status ?? 1);

const apiVersion = versionOf('api');
const snapshot = join(root, 'schema', 'releases', `${apiVersion}.graphql`);
if (!existsSync(snapshot)) {
  copyFileSync(join(root, 'schema', 'schema.graphql'), snapshot);
  console.log(`› schema/releases/${apiVersion}.graphql: the schema as released`);
}

/** Replaces the version literal in `file` (matched by `pattern`, whose group 1 is the version). */
function syncConstant(file, pattern, version) {
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const match = pattern.exec(text);
  if (!match) throw new Error(`${file}: no version constant matching ${pattern}`);
  if (match[1] === version) return;
  writeFileSync(path, text.replace(match[0], match[0].replace(match[1], version)));
  console.log(`› ${file}: ${match[1]} → ${version}`);
}
syncConstant('sdk/src/defaults.ts', /export const SDK_VERSION = '([^']+)'/, versionOf('sdk'));
syncConstant('packages/cli/src/run.ts', /export const VERSION = '([^']+)'/, versionOf('packages/cli'));
