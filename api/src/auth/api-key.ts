// The API key format: `pakt_<prefix>_<secret>`. The prefix (12 hex characters) is public and
// identifies the key in lists, logs and `keys revoke`; the secret is 32 random bytes (256 bits)
// in base64url. Only SHA-256 of the whole key is stored.
import { createHash, randomBytes } from 'node:crypto';
import type { ApiScope } from '@pakt/db';

export const API_KEY_PREFIX_LENGTH = 12;
const SECRET_BYTES = 32;
const KEY_PATTERN = /^pakt_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ParsedApiKey {
  key: string;
  prefix: string;
}

export interface GeneratedApiKey extends ParsedApiKey {
  /** SHA-256 of `key`, hex: the only form that is stored. */
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  const prefix = randomBytes(API_KEY_PREFIX_LENGTH / 2).toString('hex');
  const secret = randomBytes(SECRET_BYTES).toString('base64url');
  const key = `pakt_${prefix}_${secret}`;
  return { key, prefix, hash: hashApiKey(key) };
}

/** Splits a presented key; `null` when it is not shaped like a pakt key. */
export function parseApiKey(key: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(key);
  return match?.[1] ? { key, prefix: match[1] } : null;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Scope names as partners and operators write them, and the database enum behind each. */
export const scopeNames = {
  'offers:write': 'OFFERS_WRITE',
  'slots:write': 'SLOTS_WRITE',
  'keys:admin': 'KEYS_ADMIN',
  'webhooks:admin': 'WEBHOOKS_ADMIN',
} as const satisfies Record<string, ApiScope>;

export type ScopeName = keyof typeof scopeNames;

/** Parses `offers:write,slots:write` (enum names like `OFFERS_WRITE` are accepted too). */
export function parseScopes(list: string): ApiScope[] {
  const scopes = new Set<ApiScope>();
  for (const raw of list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const scope = (scopeNames as Record<string, ApiScope>)[raw.toLowerCase()] ?? (Object.values(scopeNames) as string[]).find((s) => s === raw.toUpperCase());
    if (!scope) throw new Error(`Unknown scope "${raw}". Known scopes: ${Object.keys(scopeNames).join(', ')}.`);
    scopes.add(scope as ApiScope);
  }
  return [...scopes];
}

export function scopeName(scope: ApiScope): ScopeName {
  const entry = Object.entries(scopeNames).find(([, value]) => value === scope);
  return (entry?.[0] ?? scope) as ScopeName;
}
