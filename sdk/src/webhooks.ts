// Receiving pakt's webhooks: `verifyWebhook` checks a delivery's Standard Webhooks signature with
// Web Crypto (HMAC-SHA256, in Node ≥ 20 and browsers alike, no dependency) and returns the typed
// event. The payloads are thin: ids, versions and the change-feed `sequence`; fetch the content
// with `offers.get` / `nodes`, and reconcile with `changes.follow({ after: sequence })` after a gap.
import { PaktWebhookVerificationError } from './errors.js';

/** Event types of offers. */
export type OfferWebhookEventType = 'offer.created' | 'offer.updated' | 'offer.published' | 'offer.unpublished' | 'offer.deleted';
/** Event types of slots. */
export type SlotWebhookEventType = 'slot.seats_changed' | 'slot.full' | 'slot.available';
/** Every event type an endpoint can subscribe to. */
export type WebhookEventType = OfferWebhookEventType | SlotWebhookEventType;

/** `data` of an offer event. Ids are the API's global ids. */
export interface OfferWebhookData {
  /** The change-feed sequence of the change (a decimal string): `changes.list({ after })` resumes there. */
  readonly sequence: string;
  readonly offerId: string;
  readonly providerId: string;
  /** The offer's version after the change. */
  readonly version: number;
  readonly status: 'DRAFT' | 'PUBLISHED' | 'ARCHIVED';
  /** Whether the offer is public now (published and not deleted). */
  readonly public: boolean;
  readonly deleted: boolean;
}

/** `data` of a slot event. */
export interface SlotWebhookData {
  readonly sequence: string;
  readonly slotId: string;
  readonly offerId: string;
  readonly providerId: string;
  readonly version: number;
  readonly seatsAvailable: number | null;
  readonly capacity: number | null;
  /** No free seat (0 seats, or status FULL). */
  readonly full: boolean;
}

/** `data` of the challenge a public endpoint must echo (answer 2xx with `challenge` as the body). */
export interface VerificationWebhookData {
  readonly endpointId: string;
  readonly challenge: string;
}

interface Envelope<TType extends string, TData> {
  readonly type: TType;
  /** When the change committed, ISO 8601. */
  readonly timestamp: string;
  readonly data: TData;
}

/** A delivery's body, narrowed by `type`. */
export type WebhookEvent =
  | { [K in OfferWebhookEventType]: Envelope<K, OfferWebhookData> }[OfferWebhookEventType]
  | { [K in SlotWebhookEventType]: Envelope<K, SlotWebhookData> }[SlotWebhookEventType]
  | Envelope<'webhook.verification', VerificationWebhookData>;

/** Request headers: a fetch `Headers`, or Node's `IncomingHttpHeaders`. */
export type WebhookHeaders = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>;

export interface VerifyWebhookOptions {
  /** How far `webhook-timestamp` may be from now, in seconds (replay protection). @default 300 */
  toleranceSeconds?: number;
  /** The current time in ms (tests). @default Date.now */
  now?: () => number;
}

/**
 * Verifies a delivery and returns its event. Pass the raw body exactly as received (before any
 * JSON parsing), the request headers and the endpoint's secret (`whsec_…`; several while you
 * switch to a rotated one). Throws {@link PaktWebhookVerificationError} when the delivery is not
 * authentic or too old; deduplicate by `webhook-id` (a delivery may come more than once).
 *
 * @example
 * const event = await verifyWebhook(body, request.headers, process.env.PAKT_WEBHOOK_SECRET!);
 * if (event.type === 'slot.full') markFull(event.data.slotId);
 */
export async function verifyWebhook(
  payload: string | Uint8Array,
  headers: WebhookHeaders,
  secret: string | readonly string[],
  options: VerifyWebhookOptions = {},
): Promise<WebhookEvent> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) fail('WEBHOOK_MISSING_HEADERS', 'The request lacks webhook-id, webhook-timestamp or webhook-signature.');
  const now = Math.floor((options.now ?? Date.now)() / 1000);
  if (!/^\d{1,15}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > (options.toleranceSeconds ?? 300)) {
    fail('WEBHOOK_TIMESTAMP_OUT_OF_TOLERANCE', 'webhook-timestamp is missing or too far from now: an old or replayed request.');
  }
  const body = typeof payload === 'string' ? encoder.encode(payload) : payload;
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + body.length);
  signed.set(prefix);
  signed.set(body, prefix.length);
  const presented = signatures
    .split(' ')
    .filter((entry) => entry.startsWith('v1,'))
    .map((entry) => decodeBase64(entry.slice(3)))
    .filter((bytes): bytes is Uint8Array => bytes !== null);
  for (const candidate of typeof secret === 'string' ? [secret] : secret) {
    const key = decodeBase64(candidate.replace(/^whsec_/, ''));
    if (!key || key.length === 0) continue;
    const cryptoKey = await crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    for (const signature of presented) {
      // subtle.verify compares in constant time.
      if (await crypto.subtle.verify('HMAC', cryptoKey, signature as BufferSource, signed as BufferSource)) {
        return JSON.parse(typeof payload === 'string' ? payload : new TextDecoder().decode(payload)) as WebhookEvent;
      }
    }
  }
  return fail('WEBHOOK_INVALID_SIGNATURE', 'No webhook-signature matches the secret.');
}

// ───────────────────────────── Private helpers ─────────────────────────────

const encoder = new TextEncoder();

function fail(code: string, message: string): never {
  throw new PaktWebhookVerificationError(message, { code });
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Readonly<Record<string, string | readonly string[] | undefined>>;
  const value = record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}

function decodeBase64(text: string): Uint8Array | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}
