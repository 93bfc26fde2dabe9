// Runs `prisma generate` without network access. Prisma's CLI tries to download a native schema
// engine at start; generation itself runs in WebAssembly, so any existing file satisfies the check
// (see docs/adr/0002). A user who sets PRISMA_SCHEMA_ENGINE_BINARY keeps their own value.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const prismaBin = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'prisma.cmd' : 'prisma');
const result = spawnSync(prismaBin, ['generate'], { cwd: root, env, stdio: 'inherit' });
process.exit(result.status ?? 1);
