// Operator CLI for partners' API keys (run as `pnpm --filter @pakt/api keys …` or `tsx scripts/keys.ts …`):
//
//   keys create --provider <slug> --scopes offers:write,slots:write [--name "nightly sync"] [--own-only]
//   keys list [--provider <slug>]
//   keys revoke <prefix>
//
// Uses DATABASE_URL, or the embedded database (PAKT_DATA_DIR), migrating it first; the embedded one
// only while no other process (the server) has it open, else it exits with code 75. Every create and
// revoke is written to the audit log as `cli:keys:create` / `cli:keys:revoke`. Hashes are never
// printed; the full key only once, at creation.
import { parseArgs } from 'node:util';
import { type ApiScope, DATA_DIR_LOCKED_EXIT_CODE, DataDirLockedError, createDatabase, migrate } from '@pakt/db';
import { parseScopes, scopeName, scopeNames } from '../src/auth/api-key.js';
import { type ApiKeyInfo, createApiKey, listApiKeys, revokeApiKey } from '../src/auth/key-admin.js';
import { WriteError } from '../src/writes/errors.js';

const USAGE = `Usage:
  keys create --provider <slug> --scopes <list> [--name <name>] [--own-only]
  keys list [--provider <slug>]
  keys revoke <prefix>

Scopes: ${Object.keys(scopeNames).join(', ')} (comma-separated).
Reach: a key acts for its provider and that provider's direct members (an umbrella's key for
its members); --own-only makes it act for its provider alone. \`list\` shows "+members" or "own only".`;

class UsageError extends Error {
  override name = 'UsageError';
}

function reachOf(key: ApiKeyInfo): string {
  return key.actsForMembers ? '+members' : 'own only';
}

function describe(key: ApiKeyInfo): string {
  const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
  const used = key.lastUsedAt ? key.lastUsedAt.toISOString() : 'never';
  return [
    key.prefix,
    key.providerSlug,
    key.scopes.map(scopeName).join(','),
    reachOf(key),
    state,
    `created ${key.createdAt.toISOString()}`,
    `last used ${used}`,
    JSON.stringify(key.name),
  ].join('  ');
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { provider: { type: 'string' }, scopes: { type: 'string' }, name: { type: 'string' }, 'own-only': { type: 'boolean' } },
  });
  if (!['create', 'list', 'revoke'].includes(command)) throw new UsageError(`Unknown command "${command}".`);
  if (command === 'create' && (!values.provider || !values.scopes)) throw new UsageError('create needs --provider and --scopes.');
  if (command === 'revoke' && positionals.length !== 1) throw new UsageError('revoke needs exactly one key prefix.');
  if (command !== 'create' && values['own-only']) throw new UsageError('--own-only belongs to create.');
  let scopes: ApiScope[] = [];
  try {
    if (command === 'create') scopes = parseScopes(values.scopes ?? '');
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  const db = await createDatabase();
  try {
    await migrate(db);
    if (command === 'create') {
      const created = await createApiKey(
        db,
        { kind: 'operator' },
        { providerSlug: values.provider ?? '', name: values.name, scopes, actsForMembers: !values['own-only'] },
      );
      const reach = created.apiKey.actsForMembers
        ? `acts for ${created.apiKey.providerSlug} and its direct members`
        : `acts for ${created.apiKey.providerSlug} only`;
      console.log(
        `Created API key ${created.apiKey.prefix} for ${created.apiKey.providerSlug} (${created.apiKey.scopes.map(scopeName).join(', ')}; ${reach}):`,
      );
      console.log('');
      console.log(`  ${created.key}`);
      console.log('');
      console.log('Store it now: it is not shown again (only its hash is kept). Send it as "Authorization: Bearer <key>".');
    } else if (command === 'list') {
      const keys = await listApiKeys(db, { kind: 'operator' }, { providerSlug: values.provider });
      if (keys.length === 0) console.log('No API keys.');
      for (const key of keys) console.log(describe(key));
    } else {
      const revoked = await revokeApiKey(db, { kind: 'operator' }, { prefix: positionals[0] ?? '' });
      console.log(revoked.changed ? `Revoked ${revoked.prefix} (${revoked.providerSlug}).` : `${revoked.prefix} was already revoked.`);
    }
  } finally {
    await db.close();
  }
}

try {
  await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
    process.exitCode = 2;
  } else if (error instanceof WriteError) {
    console.error(error.message);
    process.exitCode = 1;
  } else if (error instanceof DataDirLockedError) {
    // The embedded database is open elsewhere (the server): writing to it here would be lost.
    console.error(error.message);
    process.exitCode = DATA_DIR_LOCKED_EXIT_CODE;
  } else {
    throw error;
  }
}
