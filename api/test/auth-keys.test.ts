import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDatabase, migrate } from '@pakt/db';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LAST_USED_RESOLUTION_MS, resolveActor } from '../src/auth/actor.js';
import { generateApiKey, hashApiKey, parseApiKey, parseScopes } from '../src/auth/api-key.js';
import { createApiKey, listApiKeys, revokeApiKey } from '../src/auth/key-admin.js';
import { AuthError } from '../src/auth/auth-error.js';
import { type Fixture, actorFor, createFixture } from './writes-fixture.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await createFixture();
});
afterAll(async () => {
  await fx?.db.drop();
});

const operator = { kind: 'operator' } as const;

describe('API key format', () => {
  it('generates 256-bit secrets with a hex prefix and stores only SHA-256', () => {
    const a = generateApiKey();
    const b = generateApiKey();
    expect(a.key).toMatch(/^pakt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    expect(a.key).not.toBe(b.key);
    expect(a.hash).toBe(hashApiKey(a.key));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(parseApiKey(a.key)).toEqual({ key: a.key, prefix: a.prefix });
    expect(parseApiKey('pakt_short_x')).toBeNull();
    expect(parseScopes('offers:write, slots:write,OFFERS_WRITE')).toEqual(['OFFERS_WRITE', 'SLOTS_WRITE']);
    expect(() => parseScopes('offers:read')).toThrow(/Unknown scope/);
  });
});

describe('resolveActor', () => {
  it('resolves a key to its provider, scopes and (for an umbrella) members', async () => {
    const { key, apiKey } = await createApiKey(fx.db, operator, { providerSlug: 'caritas-bw', scopes: ['OFFERS_WRITE'], name: 'umbrella' });
    const actor = await resolveActor(fx.db, `Bearer ${key}`);
    expect(actor).toEqual({
      apiKeyId: apiKey.id,
      providerId: fx.providers.umbrella,
      scopes: new Set(['OFFERS_WRITE']),
      actsForMembers: true,
      actingFor: new Set([fx.providers.umbrella, fx.providers.member]),
    });
    const { key: memberKey } = await createApiKey(fx.db, operator, { providerSlug: 'caritas-ulm', scopes: ['SLOTS_WRITE'] });
    expect((await resolveActor(fx.db, `bearer ${memberKey}`))?.actingFor).toEqual(new Set([fx.providers.member]));
    // An operator's key that does not act for members (`keys create --own-only`).
    const { key: ownOnly } = await createApiKey(fx.db, operator, { providerSlug: 'caritas-bw', scopes: ['OFFERS_WRITE'], actsForMembers: false });
    expect(await resolveActor(fx.db, `Bearer ${ownOnly}`)).toMatchObject({ actsForMembers: false, actingFor: new Set([fx.providers.umbrella]) });
  });

  it('returns null without a header and refuses malformed, unknown, wrong and revoked keys', async () => {
    expect(await resolveActor(fx.db, undefined)).toBeNull();
    expect(await resolveActor(fx.db, '')).toBeNull();
    const { key, apiKey } = await createApiKey(fx.db, operator, { providerSlug: 'vhs-stuttgart', scopes: ['OFFERS_WRITE'] });
    const reason = async (header: string) => {
      const error = await resolveActor(fx.db, header).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthError);
      expect(error).toMatchObject({ code: 'UNAUTHENTICATED' });
      return (error as AuthError).reason;
    };
    expect(await reason('Basic abc')).toBe('MALFORMED_API_KEY');
    expect(await reason(`Bearer ${key}x`)).toBe('MALFORMED_API_KEY');
    expect(await reason(`Bearer ${generateApiKey().key}`)).toBe('INVALID_API_KEY');
    // Right prefix, wrong secret.
    const forged = `pakt_${apiKey.prefix}_${generateApiKey().key.split('_').slice(2).join('_')}`;
    expect(parseApiKey(forged)).not.toBeNull();
    expect(await reason(`Bearer ${forged}`)).toBe('INVALID_API_KEY');

    await revokeApiKey(fx.db, operator, { prefix: apiKey.prefix });
    expect(await reason(`Bearer ${key}`)).toBe('REVOKED_API_KEY');
  });

  it('updates lastUsedAt at most once a minute', async () => {
    const { key, apiKey } = await createApiKey(fx.db, operator, { providerSlug: 'vhs-stuttgart', scopes: ['OFFERS_WRITE'] });
    const lastUsed = async () => (await fx.db.sql.query<{ t: Date | null }>(`SELECT last_used_at AS t FROM api_key WHERE id = $1`, [apiKey.id]))[0]?.t ?? null;
    expect(await lastUsed()).toBeNull();
    // The update is bookkeeping the request does not wait for: poll for it.
    await resolveActor(fx.db, `Bearer ${key}`);
    const first = await vi.waitFor(async () => {
      const t = await lastUsed();
      expect(t).toBeInstanceOf(Date);
      return t;
    });
    await resolveActor(fx.db, `Bearer ${key}`);
    expect(await lastUsed()).toEqual(first);
    // Pretend the last use was longer ago than the resolution.
    await fx.db.sql.query(`UPDATE api_key SET last_used_at = now() - make_interval(secs => $2) WHERE id = $1`, [apiKey.id, LAST_USED_RESOLUTION_MS / 1000 + 5]);
    const old = await lastUsed();
    await resolveActor(fx.db, `Bearer ${key}`);
    await vi.waitFor(async () => expect((await lastUsed())?.getTime()).toBeGreaterThan(old?.getTime() ?? Infinity));
  });
});

describe('key administration', () => {
  it('lists keys without hashes, revokes idempotently, and audits create and revoke', async () => {
    const { apiKey } = await createApiKey(fx.db, operator, { providerSlug: 'awo-freiburg', scopes: ['OFFERS_WRITE', 'SLOTS_WRITE'], name: 'nightly' });
    const listed = await listApiKeys(fx.db, operator, { providerSlug: 'awo-freiburg' });
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      prefix: apiKey.prefix,
      name: 'nightly',
      providerSlug: 'awo-freiburg',
      scopes: ['OFFERS_WRITE', 'SLOTS_WRITE'],
      revokedAt: null,
    });
    expect(JSON.stringify(listed)).not.toMatch(/hash/i);

    expect(await revokeApiKey(fx.db, operator, { prefix: apiKey.prefix })).toMatchObject({ changed: true });
    expect(await revokeApiKey(fx.db, operator, { prefix: apiKey.prefix })).toMatchObject({ changed: false });
    const audit = await fx.db.sql.query<{ action: string; api_key_id: string | null; provider_id: string }>(
      `SELECT action, api_key_id, provider_id FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [apiKey.id],
    );
    expect(audit).toEqual([
      { action: 'cli:keys:create', api_key_id: null, provider_id: fx.providers.loner },
      { action: 'cli:keys:revoke', api_key_id: null, provider_id: fx.providers.loner },
    ]);
  });

  it('lets a keys:admin key issue keys for its providers with at most its own scopes', async () => {
    const admin = actorFor(fx.providers.umbrella, { scopes: ['KEYS_ADMIN', 'OFFERS_WRITE'], members: [fx.providers.member] });
    const by = { kind: 'actor', actor: admin } as const;
    const created = await createApiKey(fx.db, by, { providerSlug: 'caritas-ulm', scopes: ['OFFERS_WRITE'] });
    expect(created.apiKey.providerId).toBe(fx.providers.member);
    await expect(createApiKey(fx.db, by, { providerSlug: 'caritas-ulm', scopes: ['SLOTS_WRITE'] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      reason: 'MISSING_SCOPE',
    });
    await expect(createApiKey(fx.db, by, { providerSlug: 'vhs-stuttgart', scopes: ['OFFERS_WRITE'] })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      reason: 'PROVIDER_NOT_ALLOWED',
    });
    const noAdmin = { kind: 'actor', actor: actorFor(fx.providers.umbrella, { scopes: ['OFFERS_WRITE'] }) } as const;
    await expect(createApiKey(fx.db, noAdmin, { providerSlug: 'caritas-bw', scopes: ['OFFERS_WRITE'] })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const foreign = (await listApiKeys(fx.db, operator, { providerSlug: 'vhs-stuttgart' }))[0];
    await expect(revokeApiKey(fx.db, by, { prefix: foreign?.prefix ?? '' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const [audit] = await fx.db.sql.query<{ action: string; api_key_id: string }>(`SELECT action, api_key_id FROM audit_log WHERE entity_id = $1`, [
      created.apiKey.id,
    ]);
    expect(audit).toEqual({ action: 'createApiKey', api_key_id: admin.apiKeyId });
  });
});

describe('keys CLI', () => {
  const run = promisify(execFile);
  const apiDir = join(dirname(fileURLToPath(import.meta.url)), '..');
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'pakt-keys-cli-'));
    const db = await createDatabase({ url: '', dataDir });
    await migrate(db);
    await db.sql.query(
      `INSERT INTO provider (id, slug, name, kind, updated_at) VALUES (gen_random_uuid(), 'vhs-ulm', 'vhs Ulm', 'ADULT_EDUCATION_CENTRE', now())`,
    );
    await db.close();
  });
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/keys.ts', ...args], {
      cwd: apiDir,
      env: { ...process.env, DATABASE_URL: '', PAKT_DATA_DIR: dataDir },
    });

  it('creates (printing the key once), lists and revokes keys', async () => {
    const created = await cli('create', '--provider', 'vhs-ulm', '--scopes', 'offers:write,slots:write', '--name', 'nightly sync');
    const key = /pakt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/.exec(created.stdout)?.[0];
    expect(key).toBeDefined();
    expect(created.stdout).toMatch(/not shown again/);
    const prefix = parseApiKey(key ?? '')?.prefix ?? '';

    const listed = await cli('list');
    expect(listed.stdout).toContain(prefix);
    expect(listed.stdout).toContain('offers:write,slots:write');
    expect(listed.stdout).not.toContain(key);
    expect(listed.stdout).not.toContain(hashApiKey(key ?? ''));

    expect(listed.stdout).toMatch(new RegExp(`${prefix}  vhs-ulm  offers:write,slots:write  \\+members  active`));
    expect(created.stdout).toContain('acts for vhs-ulm and its direct members');

    const ownOnly = await cli('create', '--provider', 'vhs-ulm', '--scopes', 'offers:write', '--own-only');
    expect(ownOnly.stdout).toContain('acts for vhs-ulm only');
    const ownOnlyPrefix = parseApiKey(/pakt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}/.exec(ownOnly.stdout)?.[0] ?? '')?.prefix ?? '';
    expect((await cli('list')).stdout).toMatch(new RegExp(`${ownOnlyPrefix}  vhs-ulm  offers:write  own only  active`));

    expect((await cli('revoke', prefix)).stdout).toContain(`Revoked ${prefix}`);
    expect((await cli('list', '--provider', 'vhs-ulm')).stdout).toMatch(/revoked/);

    const bad = await cli('create', '--provider', 'vhs-ulm', '--scopes', 'everything').catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2 });

    const db = await createDatabase({ url: '', dataDir });
    try {
      const actions = await db.sql.query<{ action: string }>(`SELECT action FROM audit_log ORDER BY id`);
      expect(actions.map((a) => a.action)).toEqual(['cli:keys:create', 'cli:keys:create', 'cli:keys:revoke']);
      const stored = await db.sql.query<{ hash: string; acts_for_members: boolean }>(`SELECT hash, acts_for_members FROM api_key ORDER BY created_at`);
      expect(stored.map((row) => [row.hash, row.acts_for_members])).toEqual([
        [hashApiKey(key ?? ''), true],
        [expect.any(String), false],
      ]);
    } finally {
      await db.close();
    }
  });
});
