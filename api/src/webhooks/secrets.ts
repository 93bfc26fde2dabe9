// Secrets of webhook endpoints.
//
// - The signing secret (`whsec_<base64 of 32 random bytes>`, the Standard Webhooks format) is shown
//   once, at creation or rotation. It has to be kept in a form that can sign, so it cannot be
//   hashed: with PAKT_WEBHOOK_SECRET_KEYS set it is stored encrypted with AES-256-GCM
//   (`v1:<key id>:<iv>:<ciphertext>:<tag>`), the first key encrypting and any key of the list
//   decrypting (add a new key in front, and the old ones keep working until rotated away); without
//   keys it is stored as is (`plain:…`), which is only as safe as the database and its backups.
// - The management secret of a public endpoint (`whmgmt_…`) only has to be recognised: only its
//   SHA-256 is stored, like an API key's.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const SIGNING_SECRET_BYTES = 32;
const IV_BYTES = 12;

export function generateSigningSecret(): string {
  return `whsec_${randomBytes(SIGNING_SECRET_BYTES).toString('base64')}`;
}

export function generateManagementSecret(): string {
  return `whmgmt_${randomBytes(32).toString('base64url')}`;
}

/** A verification challenge: random, URL-safe, and not a secret (it travels in the clear). */
export function generateChallenge(): string {
  return randomBytes(24).toString('base64url');
}

export function hashManagementSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares a presented management secret with the stored hash in constant time. */
export function managementSecretMatches(presented: string, storedHash: string | null): boolean {
  if (!storedHash) return false;
  const a = Buffer.from(hashManagementSecret(presented), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Raised when PAKT_WEBHOOK_SECRET_KEYS is malformed (at start) or lacks a stored secret's key. */
export class SecretKeyError extends Error {
  override name = 'SecretKeyError';
}

interface Key {
  id: string;
  bytes: Buffer;
}

/** Seals and opens stored signing secrets. */
export interface SecretBox {
  /** Whether secrets are encrypted (PAKT_WEBHOOK_SECRET_KEYS set). */
  readonly encrypts: boolean;
  seal(secret: string): string;
  open(stored: string): string;
}

/** Parses PAKT_WEBHOOK_SECRET_KEYS: comma-separated keys of 32 bytes each, base64 (`openssl rand -base64 32`). */
export function createSecretBox(keyList: string): SecretBox {
  const keys: Key[] = keyList
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry, index) => {
      const bytes = Buffer.from(entry, 'base64');
      if (bytes.length !== 32)
        throw new SecretKeyError(`PAKT_WEBHOOK_SECRET_KEYS: key ${index + 1} is not 32 bytes in base64 (make one with \`openssl rand -base64 32\`).`);
      return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
    });
  const first = keys[0];
  return {
    encrypts: first !== undefined,
    seal(secret) {
      if (!first) return `plain:${secret}`;
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', first.bytes, iv);
      const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
      return ['v1', first.id, iv.toString('base64url'), sealed.toString('base64url'), cipher.getAuthTag().toString('base64url')].join(':');
    },
    open(stored) {
      if (stored.startsWith('plain:')) return stored.slice('plain:'.length);
      const [version, id, iv, sealed, tag] = stored.split(':');
      if (version !== 'v1' || !iv || !sealed || !tag) throw new SecretKeyError('a stored webhook secret has an unknown format');
      const key = keys.find((k) => k.id === id);
      if (!key) throw new SecretKeyError(`the webhook secret was encrypted with key ${id}, which PAKT_WEBHOOK_SECRET_KEYS does not hold`);
      const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}
