// Issuing, listing and revoking API keys: by an operator (the `keys` CLI) or by a partner's key
// with the keys:admin scope (the createApiKey / revokeApiKey mutations).
import type { ApiScope, Database, SqlExecutor } from '@pakt/db';
import { appendAudit } from '../sql/audit-log.js';
import { authorize, requireActingFor } from './authorize.js';
import { WriteError } from '../writes/errors.js';
import { AuthError } from './auth-error.js';
import type { Actor } from './actor.js';
import { generateApiKey } from './api-key.js';
import { type KeyRow, insertApiKey, lockApiKeyByPrefix, markApiKeyRevoked, selectApiKeyById, selectApiKeys } from '../sql/api-keys.js';
import { MAX_SLUG_LENGTH } from '../writes/provider.js';
import { checkArgument } from '../writes/text.js';

/** Longest name of a key (a label people pick keys by in lists). */
const MAX_KEY_NAME_LENGTH = 200;

/** An API key as shown in lists: never the hash, never the secret. */
export interface ApiKeyInfo {
  id: string;
  prefix: string;
  name: string;
  providerId: string;
  providerSlug: string;
  scopes: ApiScope[];
  /** Whether the key also acts for its provider's direct members (see {@link createApiKey}). */
  actsForMembers: boolean;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface CreatedApiKey {
  /** The full key, `pakt_<prefix>_<secret>`. Shown once: only its hash is stored. */
  key: string;
  apiKey: ApiKeyInfo;
}

export interface CreateApiKeyInput {
  providerSlug: string;
  name?: string | undefined;
  scopes: readonly ApiScope[];
  /**
   * Whether the new key also acts for the provider's direct members. Default: as far as allowed
   * (an operator: true; a key: see {@link createApiKey}). Asking for more than allowed is FORBIDDEN.
   */
  actsForMembers?: boolean | undefined;
}

/** Who issues or revokes a key: a partner's key (audited with it) or an operator at the CLI. */
export type KeyAdminBy = { kind: 'actor'; actor: Actor } | { kind: 'operator' };

export function toInfo(row: KeyRow): ApiKeyInfo {
  return {
    id: row.id,
    prefix: row.prefix,
    name: row.name,
    providerId: row.provider_id,
    providerSlug: row.provider_slug,
    scopes: row.scopes,
    actsForMembers: row.acts_for_members,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

function auditFields(by: KeyAdminBy, providerId: string, action: string) {
  return by.kind === 'actor'
    ? { apiKeyId: by.actor.apiKeyId, providerId: by.actor.providerId, action }
    : { apiKeyId: null, providerId, action: `cli:keys:${action.replace(/ApiKey$/, '').toLowerCase()}` };
}

async function providerBySlug(sql: SqlExecutor, slug: string): Promise<{ id: string; slug: string }> {
  checkArgument(slug, 'providerSlug', 'identifier', MAX_SLUG_LENGTH);
  const [provider] = await sql.query<{ id: string; slug: string }>(`SELECT id, slug FROM provider WHERE slug = $1`, [slug]);
  if (!provider) throw new WriteError('NOT_FOUND', `No provider has the slug "${slug}".`, { field: 'providerSlug' });
  return provider;
}

/**
 * Issues a key for a provider. A partner's key needs keys:admin, may issue keys only for the
 * providers it acts for, and only with scopes it has itself (no escalation).
 *
 * Reach never grows either: a key created by a key acts for members only when its creator does
 * and it is for the creator's own provider. So an umbrella's key can give a member a key for that
 * member alone, and that key cannot reach the member's own members (which the umbrella cannot).
 */
export async function createApiKey(db: Database, by: KeyAdminBy, input: CreateApiKeyInput): Promise<CreatedApiKey> {
  if (by.kind === 'actor') authorize(by.actor, 'KEYS_ADMIN');
  const scopes = [...new Set(input.scopes)];
  if (scopes.length === 0) throw new WriteError('VALIDATION_FAILED', 'Give at least one scope.', { field: 'scopes' });
  if (by.kind === 'actor') {
    const missing = scopes.filter((s) => !by.actor.scopes.has(s));
    if (missing.length > 0) throw new AuthError('FORBIDDEN', 'MISSING_SCOPE', `A key cannot grant scopes it does not have: ${missing.join(', ')}.`);
  }
  const name = (input.name ?? '').trim() || `key ${new Date().toISOString().slice(0, 10)}`;
  checkArgument(name, 'name', 'label', MAX_KEY_NAME_LENGTH);
  return db.transaction(async (sql) => {
    const provider = await providerBySlug(sql, input.providerSlug);
    if (by.kind === 'actor') requireActingFor(by.actor, provider.id);
    const mayActForMembers = by.kind === 'operator' || (by.actor.actsForMembers && provider.id === by.actor.providerId);
    if (input.actsForMembers === true && !mayActForMembers) {
      throw new AuthError(
        'FORBIDDEN',
        'REACH_NOT_ALLOWED',
        'A key cannot reach further than the key that creates it: a key for another provider, or created by a key that does not act for members, acts only for its own provider.',
      );
    }
    const actsForMembers = input.actsForMembers ?? mayActForMembers;
    const generated = generateApiKey();
    const row = await insertApiKey(sql, { providerId: provider.id, prefix: generated.prefix, hash: generated.hash, name, scopes, actsForMembers });
    await appendAudit(sql, {
      ...auditFields(by, provider.id, 'createApiKey'),
      entity: 'ApiKey',
      entityId: row.id,
      details: { prefix: row.prefix, name: row.name, scopes, actsForMembers, providerId: provider.id },
    });
    return { key: generated.key, apiKey: toInfo(row) };
  });
}

/** One key by id, as listed; null when there is none. */
export async function apiKeyById(db: Database, id: string): Promise<ApiKeyInfo | null> {
  const row = await selectApiKeyById(db.sql, id);
  return row ? toInfo(row) : null;
}

/**
 * Whose keys `by` may list: the providers' ids (null: every provider, for an operator). A partner
 * needs keys:admin and sees its providers' keys; `providerSlug` narrows to one of them.
 */
export async function listableKeyProviders(db: Database, by: KeyAdminBy, input: { providerSlug?: string | undefined } = {}): Promise<string[] | null> {
  if (by.kind === 'actor') authorize(by.actor, 'KEYS_ADMIN');
  if (input.providerSlug === undefined) return by.kind === 'actor' ? [...by.actor.actingFor] : null;
  const provider = await providerBySlug(db.sql, input.providerSlug);
  if (by.kind === 'actor') requireActingFor(by.actor, provider.id);
  return [provider.id];
}

/** Lists keys (newest first): an operator sees all (or one provider's), a partner its providers'. */
export async function listApiKeys(db: Database, by: KeyAdminBy, input: { providerSlug?: string | undefined } = {}): Promise<ApiKeyInfo[]> {
  const rows = await selectApiKeys(db.sql, await listableKeyProviders(db, by, input));
  return rows.map(toInfo);
}

/**
 * Revokes a key by its prefix; it stops working at once. Revoking a revoked key changes nothing.
 * A partner may revoke keys of the providers it acts for (its own key included).
 */
export async function revokeApiKey(db: Database, by: KeyAdminBy, input: { prefix: string }): Promise<ApiKeyInfo & { changed: boolean }> {
  if (by.kind === 'actor') authorize(by.actor, 'KEYS_ADMIN');
  checkArgument(input.prefix, 'prefix', 'identifier', MAX_SLUG_LENGTH);
  return db.transaction(async (sql) => {
    const current = await lockApiKeyByPrefix(sql, input.prefix);
    if (!current) throw new WriteError('NOT_FOUND', `No API key has the prefix "${input.prefix}".`, { field: 'prefix' });
    if (by.kind === 'actor') requireActingFor(by.actor, current.provider_id);
    if (current.revoked_at) return { ...toInfo(current), changed: false };
    const row = await markApiKeyRevoked(sql, current.id);
    await appendAudit(sql, {
      ...auditFields(by, current.provider_id, 'revokeApiKey'),
      entity: 'ApiKey',
      entityId: row.id,
      details: { prefix: row.prefix, name: row.name, providerId: row.provider_id },
    });
    return { ...toInfo(row), changed: true };
  });
}
