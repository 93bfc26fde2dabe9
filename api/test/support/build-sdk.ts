// vitest globalSetup of the api project: every app serves the persisted operations manifest that
// the SDK's build writes (sdk/src/generated/persisted-documents.json), so build the SDK first when
// it is out of date (a no-op after `pnpm build`; the first run in a fresh clone builds it). A failed
// build with a manifest left from before only warns: the manifest test then says what is stale.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  const build = fileURLToPath(new URL('../../../scripts/build.mjs', import.meta.url));
  const manifest = fileURLToPath(new URL('../../../sdk/src/generated/persisted-documents.json', import.meta.url));
  const { status } = spawnSync(process.execPath, [build, 'sdk'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (status === 0) return;
  const message = `Building the SDK (node scripts/build.mjs sdk) failed with exit code ${status}; see above.`;
  if (!existsSync(manifest)) throw new Error(`${message} The API needs its persisted-documents.json.`);
  console.warn(`${message} Testing with the persisted-documents.json of the last build.`);
}
