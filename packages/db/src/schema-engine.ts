// Prisma's schema engine, compiled to WebAssembly, used offline to turn the migration history and
// schema.prisma into SQL. The native engine that `prisma migrate` needs cannot be downloaded here.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as engineModule from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { pgliteExtensions } from './client.js';
import { migrationsDir, schemaPath } from './paths.js';

type DiffTarget = Parameters<engineModule.SchemaEngine['diff']>[0]['from'];

/** Prisma's lockfile: tells the engine which connector the migrations were written for. */
export const LOCKFILE = '# Written by pnpm db:diff; Prisma reads it too.\nprovider = "postgresql"\n';

let loaded: Promise<void> | undefined;

/** The package ships an ESM-integration import of its .wasm file, which Node cannot load. */
function loadWasm(): Promise<void> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), {
      './schema_engine_bg.js': engineModule as unknown as WebAssembly.ModuleImports,
    });
    engineModule.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
  })();
  return loaded;
}

/** In-memory PGlite databases with the schema's extensions, for the engine's (shadow) connections. */
function pgliteFactory() {
  const main = new PrismaPGlite(new PGlite({ extensions: pgliteExtensions }));
  return bindMigrationAwareSqlAdapterFactory({
    provider: main.provider,
    adapterName: main.adapterName,
    connect: () => main.connect(),
    connectToShadowDb: () => new PrismaPGlite(new PGlite({ extensions: pgliteExtensions })).connect(),
  });
}

function migrationsTarget(dir: string): DiffTarget {
  const names = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
  const lockfile = join(dir, 'migration_lock.toml');
  return {
    tag: 'migrations',
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockfile) ? readFileSync(lockfile, 'utf8') : LOCKFILE },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => ({
      path: name,
      migrationFile: { path: 'migration.sql', content: { tag: 'ok', value: readFileSync(join(dir, name, 'migration.sql'), 'utf8') } },
    })),
  };
}

export interface DiffOptions {
  /** Start from the migrations in this folder (default) or from an empty database. */
  from?: 'migrations' | 'empty';
  migrationsDir?: string;
  schemaFile?: string;
}

/**
 * SQL that takes a database from the migration history (or from empty) to what schema.prisma
 * describes. An empty string means the two agree.
 */
export async function diffToSchema(options: DiffOptions = {}): Promise<string> {
  await loadWasm();
  const schemaFile = options.schemaFile ?? schemaPath;
  const content = readFileSync(schemaFile, 'utf8');
  const files = [{ path: 'schema.prisma', content }];
  const engine = await engineModule.SchemaEngine.new({ datamodels: [['schema.prisma', content]] }, () => {}, pgliteFactory());
  try {
    const result = await engine.diff({
      from: options.from === 'empty' ? { tag: 'empty' } : migrationsTarget(options.migrationsDir ?? migrationsDir),
      to: { tag: 'schemaDatamodel', files },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    let sql = result.stdout ?? '';
    if (options.from !== 'empty') sql = dropExtensionsAlreadyCreated(sql, options.migrationsDir ?? migrationsDir);
    return /^\s*(-- This is an empty migration\.)?\s*$/.test(sql) ? '' : sql;
  } finally {
    engine.free();
  }
}

/**
 * The wasm engine does not see extensions in its shadow database, so every diff from the history
 * asks to create them again. An extension that an earlier migration creates is left out.
 */
function dropExtensionsAlreadyCreated(sql: string, dir: string): string {
  const history = (migrationsTarget(dir) as { migrationDirectories: { migrationFile: { content: { value: string } } }[] }).migrationDirectories
    .map((m) => m.migrationFile.content.value)
    .join('\n');
  return sql.replace(/-- CreateExtension\n(CREATE EXTENSION IF NOT EXISTS "[^"]+";)\n*/g, (block, statement: string) =>
    history.includes(statement) ? '' : block,
  );
}
