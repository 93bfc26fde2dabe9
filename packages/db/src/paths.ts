import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export const schemaPath = join(packageRoot, 'prisma', 'schema.prisma');
export const migrationsDir = join(packageRoot, 'prisma', 'migrations');
export const dataDir = join(packageRoot, 'data');
/** Repository root (packages/db → ../..). */
export const repoRoot = join(packageRoot, '..', '..');
