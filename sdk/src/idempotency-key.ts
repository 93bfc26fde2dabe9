// Fresh idempotency keys: a key names one request (or one run of a sync), never a content, so
// that sending the same state again later is a new request and not a replay.

import { syncLimits } from './limits.js';

/** The longest key the server takes (the Idempotency-Key header and syncOffers' idempotencyKey). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = syncLimits.maxIdempotencyKeyLength;

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** Whether the server takes `key` as an idempotency key: 1 to `max` printable ASCII characters. @internal */
export function isIdempotencyKey(key: string, max = MAX_IDEMPOTENCY_KEY_LENGTH): boolean {
  return key.length >= 1 && key.length <= max && PRINTABLE_ASCII.test(key);
}

/**
 * A random UUID (v4). `crypto.randomUUID` exists in Node ≥ 20 and in browsers on secure pages; on a
 * plain-http page it does not, and `getRandomValues` (everywhere) builds the same thing.
 * @internal
 */
export function newIdempotencyKey(): string {
  const webCrypto = globalThis.crypto;
  if (typeof webCrypto?.randomUUID === 'function') return webCrypto.randomUUID();
  const bytes = webCrypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
