// The Idempotency-Key header: what a valid key looks like, and how a request is fingerprinted so
// that the same key sent with another request is refused instead of replayed.
import { print, type DocumentNode } from 'graphql';
import { sha256Canonical } from '../canonical-json.js';
// The limits the SDK and the CLI check before sending: one source (see sdk/src/limits.ts).
import { syncLimits } from '../../../sdk/src/limits.js';

/** The request header (case-insensitive on the wire). */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';

/** Set to `true` on a response that is the stored answer of an earlier attempt. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/** Longest key accepted, like syncOffers' body-level `idempotencyKey`. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = syncLimits.maxIdempotencyKeyLength;

// Printable ASCII (space to tilde): what any HTTP stack carries unchanged in a header.
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** Whether a header value is a usable key: 1 to MAX_IDEMPOTENCY_KEY_LENGTH printable ASCII characters. */
export function isValidIdempotencyKey(value: string): boolean {
  return value.length >= 1 && value.length <= MAX_IDEMPOTENCY_KEY_LENGTH && PRINTABLE_ASCII.test(value);
}

/**
 * SHA-256 of the canonical (document, operationName, variables). The document is printed from its
 * AST, so whitespace and comments do not count; object keys of the variables are sorted.
 */
export function requestFingerprint(document: DocumentNode, operationName: string | null | undefined, variables: unknown): string {
  return sha256Canonical({ document: print(document), operationName: operationName ?? null, variables: variables ?? {} });
}
