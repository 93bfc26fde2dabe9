// Deterministic ids: the seed derives every primary key from a stable name, so a second run
// produces the same ids and `ON CONFLICT DO NOTHING` recognises rows it wrote before.
import { createHash } from 'node:crypto';

/** pakt's own UUID namespace (random once, fixed forever: changing it changes every seeded id). */
const PAKT_NAMESPACE = Buffer.from('3b5c0f1e8a2d4e6f9c7b1a0d2e4f6a8c', 'hex');

/** A name-based UUID (RFC 4122 version 5: SHA-1 of namespace + name). */
export function stableUuid(name: string): string {
  const hash = createHash('sha1').update(PAKT_NAMESPACE).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.toString('hex', 0, 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
