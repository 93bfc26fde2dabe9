// pnpm db:diff <name>: writes prisma/migrations/<timestamp>_<name>/migration.sql with the SQL that
// takes the existing migrations to what schema.prisma describes. Nothing is written when they agree.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsDir } from '../src/paths.js';
import { LOCKFILE, diffToSchema } from '../src/schema-engine.js';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: pnpm db:diff <name>   (lower-case letters, digits and _; e.g. add_slot_notes)');
  process.exit(2);
}
const sql = await diffToSchema();
if (!sql) {
  console.log('schema.prisma and the migrations agree: no migration written.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
const dir = join(migrationsDir, `${stamp}_${name}`);
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'migration.sql'), sql);
writeFileSync(join(migrationsDir, 'migration_lock.toml'), LOCKFILE);
console.log(`wrote ${join(dir, 'migration.sql')}`);
