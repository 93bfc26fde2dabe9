// Who is writing: the API key a request presented, resolved once per request.
import { timingSafeEqual } from 'node:crypto';
import type { ApiScope, Database } from '@pakt/db';
import { currentRequest } from '../observability/request-context.js';
import { selectCredential, touchLastUsed } from '../sql/api-keys.js';
import { AuthError } from './auth-error.js';
import { hashApiKey, parseApiKey } from './api-key.js';

/** The authenticated caller of a write. */
export interface Actor {
  apiKeyId: string;
  /** The provider the key belongs to. */
  providerId: string;
  scopes: ReadonlySet<ApiScope>;
  /**
   * Whether the key also acts for its provider's direct members (`api_key.acts_for_members`).
   * False for a key that another key created for a different provider, or an operator created
   * with `keys create --own-only`.
   */
  actsForMembers: boolean;
  /**
   * Providers this key may write for: its own, plus, when {@link actsForMembers}, that provider's
   * direct members (`provider.umbrella_id = own id`). Members of members are not included: an
   * umbrella acts for the organisations directly below it, nothing further.
   */
  actingFor: ReadonlySet<string>;
}

/** `lastUsedAt` is written at most this often per key, so that reads do not turn into writes. */
export const LAST_USED_RESOLUTION_MS = 60_000;

// A well-formed SHA-256 to compare against when the prefix is unknown, so that both paths do the
// same work (the prefix is not secret; this is tidiness, not the security argument).
const DUMMY_HASH = Buffer.alloc(32);

/**
 * Resolves `Authorization: Bearer pakt_<prefix>_<secret>` to an {@link Actor}.
 *
 * Returns `null` when there is no `Authorization` header (anonymous reads are allowed; writes then
 * fail with `UNAUTHENTICATED`). Throws {@link AuthError} `UNAUTHENTICATED` with reason
 * `MALFORMED_API_KEY`, `INVALID_API_KEY` (unknown prefix or wrong secret: the caller is not told
 * which) or `REVOKED_API_KEY` (only said when the secret was right).
 *
 * Keys are compared by SHA-256 in constant time. A fast hash is adequate here: a key carries 256
 * random bits, so no attacker can enumerate candidates, and a slow KDF (bcrypt, scrypt, argon2)
 * exists to protect low-entropy human passwords against such enumeration; it would only add
 * latency to every request. The hash lets a leaked table be useless without the keys themselves.
 */
export async function resolveActor(db: Database, authorizationHeader: string | null | undefined): Promise<Actor | null> {
  if (authorizationHeader === null || authorizationHeader === undefined || authorizationHeader.trim() === '') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorizationHeader.trim());
  const parsed = match?.[1] ? parseApiKey(match[1]) : null;
  if (!parsed) {
    throw new AuthError('UNAUTHENTICATED', 'MALFORMED_API_KEY', 'Expected "Authorization: Bearer pakt_<prefix>_<secret>".');
  }
  const row = await selectCredential(db.sql, parsed.prefix);
  const presented = Buffer.from(hashApiKey(parsed.key), 'hex');
  const stored = row ? Buffer.from(row.hash, 'hex') : DUMMY_HASH;
  const equal = stored.length === presented.length && timingSafeEqual(stored, presented);
  if (!row || !equal) throw new AuthError('UNAUTHENTICATED', 'INVALID_API_KEY', 'Invalid API key.');
  if (row.revoked_at) {
    throw new AuthError('UNAUTHENTICATED', 'REVOKED_API_KEY', `API key ${parsed.prefix} was revoked; ask your administrator for a new one.`);
  }

  const now = Date.now();
  if (!row.last_used_at || now - row.last_used_at.getTime() >= LAST_USED_RESOLUTION_MS) {
    // Bookkeeping, best effort: it must never fail or hold up the request (a read-only database,
    // a row locked by a key admin). The condition repeats in SQL so that concurrent requests
    // write at most once per interval.
    void touchLastUsed(db.sql, row.id, LAST_USED_RESOLUTION_MS / 1000).catch((error: unknown) =>
      currentRequest()?.log.debug({ err: error }, "could not record the API key's last use"),
    );
  }

  return {
    apiKeyId: row.id,
    providerId: row.provider_id,
    scopes: new Set(parseScopeArray(row.scopes)),
    actsForMembers: row.acts_for_members,
    actingFor: new Set([row.provider_id, ...(row.members ?? [])]),
  };
}

/** Enum arrays arrive as arrays from node-pg and PGlite alike once cast to text[]; be lenient anyway. */
function parseScopeArray(value: ApiScope[] | string | null): ApiScope[] {
  if (value === null) return [];
  if (Array.isArray(value)) return value;
  return value
    .replace(/^\{|\}$/g, '')
    .split(',')
    .filter(Boolean) as ApiScope[];
}
