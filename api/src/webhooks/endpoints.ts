// Registering and managing webhook endpoints, and replaying their deliveries.
//
// Who manages what:
// - A provider's endpoint: any key with the scope webhooks:admin that acts for the provider
//   (api/src/auth/actor.ts `actingFor`). It gets the provider's own offers and slots and, with
//   `includesMembers` (only for a key that acts for members, on its own provider), those of its
//   direct members, decided at delivery time by the same rule as a key's reach.
// - A public endpoint (PAKT_PUBLIC_WEBHOOKS): anyone registers it for a district or a region and
//   gets a management secret, shown once, which every later call about the endpoint must present.
//   It proves control of the URL by echoing a challenge (a signed `webhook.verification`
//   delivery) before it gets any event, and gets only public changes.
// Every string argument passes the one text rule (writes/text.ts) before anything is looked up.
import type { Database, SqlExecutor } from '@pakt/db';
import type { Actor } from '../auth/actor.js';
import { appendAudit, auditBy } from '../sql/audit-log.js';
import { authorize, requireActingFor } from '../auth/authorize.js';
import { ValidationError, WriteError } from '../writes/errors.js';
import { findProvider } from '../writes/provider.js';
import { checkArgument } from '../writes/text.js';
import { VERIFICATION_EVENT, WEBHOOK_EVENT_TYPES, type WebhookEventType } from './events.js';
import {
  generateChallenge,
  generateManagementSecret,
  generateSigningSecret,
  hashManagementSecret,
  managementSecretMatches,
  type SecretBox,
} from './secrets.js';
import { checkEndpointUrl } from './url-policy.js';
import { isUuid } from '../uuid.js';

const MAX_DESCRIPTION_LENGTH = 500;
const MAX_ID_LENGTH = 100;
const MAX_SECRET_LENGTH = 200;
/** Longest time a rotated-out secret may keep signing. */
export const MAX_PREVIOUS_SECRET_HOURS = 168;
/** Any constant works; it serialises public registrations (the caps are counted under it). */
const PUBLIC_REGISTRATION_LOCK = 7_042_021;

export interface WebhookSettings {
  /** PAKT_PUBLIC_WEBHOOKS */
  publicWebhooks: boolean;
  /** PAKT_WEBHOOKS_ALLOW_LOCAL */
  allowLocal: boolean;
  /** PAKT_WEBHOOKS_PER_PROVIDER */
  perProvider: number;
  /** PAKT_PUBLIC_WEBHOOKS_MAX */
  publicMax: number;
  /** PAKT_PUBLIC_WEBHOOKS_PER_CALLER, per 24 hours */
  publicPerCaller: number;
  secrets: SecretBox;
  /** Host name resolution of the URL check (tests). */
  resolve?: ((host: string) => Promise<string[]>) | undefined;
}

/** Who asks: a key, and for public endpoints the management secret. */
export interface EndpointAccess {
  actor: Actor | null;
  managementSecret?: string | null | undefined;
}

function forbidden(reason: string, message: string, data: Record<string, unknown> = {}, field?: string): WriteError {
  return new WriteError('FORBIDDEN', message, { field, data: { reason, ...data } });
}

function checkId(value: string, field: string, what: string): void {
  checkArgument(value, field, 'identifier', MAX_ID_LENGTH);
  if (!isUuid(value)) throw new WriteError('NOT_FOUND', `No ${what} has the id ${value}.`, { field });
}

function checkEvents(events: readonly WebhookEventType[] | null | undefined): WebhookEventType[] {
  if (events === null || events === undefined) return [...WEBHOOK_EVENT_TYPES];
  if (events.length === 0)
    throw new ValidationError([{ field: 'events', code: 'REQUIRED', message: 'Name at least one event type, or leave `events` out for all of them.' }]);
  return WEBHOOK_EVENT_TYPES.filter((type) => events.includes(type));
}

function checkDescription(value: string | null | undefined): void {
  checkArgument(value, 'description', 'line', MAX_DESCRIPTION_LENGTH);
}

function checkManagementSecret(value: string | null | undefined): void {
  checkArgument(value, 'managementSecret', 'identifier', MAX_SECRET_LENGTH);
}

/** The verification challenge of a public endpoint, queued as its first delivery. */
async function queueVerification(sql: SqlExecutor, endpointId: string): Promise<void> {
  const challenge = generateChallenge();
  await sql.query(`UPDATE webhook_endpoint SET verification_challenge = $2 WHERE id = $1`, [endpointId, challenge]);
  const payload = JSON.stringify({ type: VERIFICATION_EVENT, timestamp: new Date().toISOString(), data: { endpointId, challenge } });
  await sql.query(`INSERT INTO webhook_delivery (id, endpoint_id, event_type, payload) VALUES (gen_random_uuid(), $1, $2, $3)`, [
    endpointId,
    VERIFICATION_EVENT,
    payload,
  ]);
}

export interface CreateEndpointInput {
  url: string;
  description?: string | null | undefined;
  events?: readonly WebhookEventType[] | null | undefined;
  /** @default the key's own provider */
  providerSlug?: string | null | undefined;
  /** @default true when the key acts for members and the endpoint is for its own provider */
  includeMembers?: boolean | null | undefined;
}

export interface CreatedEndpoint {
  endpointId: string;
  /** `whsec_…`: shown only this once. */
  secret: string;
}

/** Registers a provider's endpoint (scope webhooks:admin). */
export async function createEndpoint(db: Database, settings: WebhookSettings, actor: Actor | null, input: CreateEndpointInput): Promise<CreatedEndpoint> {
  const caller = authorize(actor, 'WEBHOOKS_ADMIN');
  checkDescription(input.description);
  const url = await checkEndpointUrl(input.url, 'url', settings);
  const events = checkEvents(input.events);
  const provider = await findProvider(db.sql, input.providerSlug, caller);
  requireActingFor(caller, provider.id);
  const own = provider.id === caller.providerId;
  if (input.includeMembers && !(own && caller.actsForMembers)) {
    throw forbidden(
      'REACH_NOT_ALLOWED',
      "includeMembers needs a key that acts for its provider's members, on an endpoint of its own provider.",
      {},
      'includeMembers',
    );
  }
  const includesMembers = input.includeMembers ?? (own && caller.actsForMembers);
  const secret = generateSigningSecret();
  const endpointId = await db.transaction(async (sql) => {
    await sql.query(`SELECT id FROM provider WHERE id = $1 FOR UPDATE`, [provider.id]);
    const [count] = await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM webhook_endpoint WHERE provider_id = $1`, [provider.id]);
    if ((count?.n ?? 0) >= settings.perProvider) {
      throw forbidden('WEBHOOK_ENDPOINT_LIMIT', `A provider may have at most ${settings.perProvider} webhook endpoints; delete one first.`, {
        max: settings.perProvider,
      });
    }
    const [row] = await sql.query<{ id: string }>(
      `INSERT INTO webhook_endpoint (id, provider_id, includes_members, url, description, event_types, status, secret, created_by_key_id, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::text[], 'ACTIVE', $6, $7, now()) RETURNING id`,
      [provider.id, includesMembers, url, input.description ?? null, events, settings.secrets.seal(secret), caller.apiKeyId],
    );
    if (!row) throw new Error('no endpoint inserted');
    await appendAudit(sql, {
      ...auditBy(caller),
      action: 'createWebhookEndpoint',
      entity: 'WebhookEndpoint',
      entityId: row.id,
      details: { url, events, includesMembers, ...(provider.id !== caller.providerId ? { targetProviderId: provider.id } : {}) },
    });
    return row.id;
  });
  return { endpointId, secret };
}

export interface CreatePublicEndpointInput {
  url: string;
  description?: string | null | undefined;
  events?: readonly WebhookEventType[] | null | undefined;
  districtAgs?: string | null | undefined;
  regionCode?: string | null | undefined;
}

export interface CreatedPublicEndpoint extends CreatedEndpoint {
  /** `whmgmt_…`: manages the endpoint; shown only this once. */
  managementSecret: string;
}

/**
 * Registers a public endpoint for the public changes of one district or region, for anyone, when
 * the operator allows it. `caller` identifies who registers (a hash of the client's address) for
 * the per-caller cap.
 */
export async function createPublicEndpoint(
  db: Database,
  settings: WebhookSettings,
  caller: string,
  input: CreatePublicEndpointInput,
): Promise<CreatedPublicEndpoint> {
  checkDescription(input.description);
  checkArgument(input.districtAgs, 'districtAgs', 'identifier', 5);
  checkArgument(input.regionCode, 'regionCode', 'identifier', 3);
  const url = await checkEndpointUrl(input.url, 'url', settings);
  const events = checkEvents(input.events);
  const district = input.districtAgs ?? null;
  const region = input.regionCode ?? null;
  if ((district === null) === (region === null)) {
    throw new ValidationError([
      { field: district === null ? 'districtAgs' : 'regionCode', code: 'REQUIRED', message: 'Give either districtAgs or regionCode (one area per endpoint).' },
    ]);
  }
  if (!settings.publicWebhooks) {
    throw forbidden(
      'PUBLIC_WEBHOOKS_DISABLED',
      'This pakt does not take public webhook registrations (PAKT_PUBLIC_WEBHOOKS); a provider registers with createWebhookEndpoint and an API key.',
    );
  }
  const [area] =
    district !== null
      ? await db.sql.query(`SELECT ags FROM district WHERE ags = $1`, [district])
      : await db.sql.query(`SELECT code FROM region WHERE code = $1`, [region]);
  if (!area) {
    throw new ValidationError([
      district !== null
        ? { field: 'districtAgs', code: 'INVALID_VALUE', message: `No district has the key "${district}" (five digits, e.g. "08116").` }
        : { field: 'regionCode', code: 'INVALID_VALUE', message: `No region has the code "${region}" (three digits, e.g. "081").` },
    ]);
  }
  const secret = generateSigningSecret();
  const managementSecret = generateManagementSecret();
  const endpointId = await db.transaction(async (sql) => {
    await sql.query(`SELECT pg_advisory_xact_lock($1)`, [PUBLIC_REGISTRATION_LOCK]);
    const [counts] = await sql.query<{ total: number; mine: number }>(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE registered_by = $1 AND created_at > now() - interval '24 hours')::int AS mine
         FROM webhook_endpoint WHERE provider_id IS NULL`,
      [caller],
    );
    if ((counts?.mine ?? 0) >= settings.publicPerCaller) {
      throw forbidden('WEBHOOK_REGISTRATION_LIMIT', `At most ${settings.publicPerCaller} public endpoints per caller and day; try again tomorrow.`, {
        max: settings.publicPerCaller,
      });
    }
    if ((counts?.total ?? 0) >= settings.publicMax) {
      throw forbidden('WEBHOOK_ENDPOINT_LIMIT', 'This pakt takes no more public webhook endpoints; follow the open-data feeds (/feeds) instead.', {
        max: settings.publicMax,
      });
    }
    const [row] = await sql.query<{ id: string }>(
      `INSERT INTO webhook_endpoint (id, district_ags, region_code, url, description, event_types, status, secret, management_secret_hash, registered_by, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, $4, $5::text[], 'PENDING_VERIFICATION', $6, $7, $8, now()) RETURNING id`,
      [district, region, url, input.description ?? null, events, settings.secrets.seal(secret), hashManagementSecret(managementSecret), caller],
    );
    if (!row) throw new Error('no endpoint inserted');
    await queueVerification(sql, row.id);
    return row.id;
  });
  return { endpointId, secret, managementSecret };
}

interface EndpointRow {
  id: string;
  provider_id: string | null;
  status: 'PENDING_VERIFICATION' | 'ACTIVE' | 'DISABLED';
  disabled_reason: string | null;
  verified_at: Date | null;
  management_secret_hash: string | null;
  url: string;
}

/**
 * The endpoint, if `access` may manage it: NOT_FOUND when there is none; for a provider's endpoint
 * a key with webhooks:admin acting for the provider (else UNAUTHENTICATED / FORBIDDEN); for a public
 * one its management secret (else FORBIDDEN, reason INVALID_MANAGEMENT_SECRET).
 */
export async function endpointFor(sql: SqlExecutor, access: EndpointAccess, id: string, field = 'id', lock = false): Promise<EndpointRow> {
  const [row] = await sql.query<EndpointRow>(
    `SELECT id, provider_id, status::text AS status, disabled_reason::text AS disabled_reason, verified_at, management_secret_hash, url
       FROM webhook_endpoint WHERE id = $1 ${lock ? 'FOR NO KEY UPDATE' : ''}`,
    [id],
  );
  if (!row) throw new WriteError('NOT_FOUND', `No webhook endpoint has the id ${id}.`, { field });
  if (row.provider_id) {
    requireActingFor(authorize(access.actor, 'WEBHOOKS_ADMIN'), row.provider_id);
  } else if (!access.managementSecret || !managementSecretMatches(access.managementSecret, row.management_secret_hash)) {
    throw forbidden('INVALID_MANAGEMENT_SECRET', 'A public endpoint is managed with the managementSecret it was registered with.', {}, 'managementSecret');
  }
  return row;
}

/** Checks the arguments every call about one endpoint has, before anything is looked up. */
function checkRef(id: string, access: EndpointAccess, field = 'id', what = 'webhook endpoint'): void {
  checkManagementSecret(access.managementSecret);
  checkId(id, field, what);
}

async function auditOf(sql: SqlExecutor, access: EndpointAccess, row: EndpointRow, action: string, details: Record<string, unknown>): Promise<void> {
  // Public endpoints belong to no provider and have no key: their management is not a partner's write.
  if (!row.provider_id || !access.actor) return;
  await appendAudit(sql, {
    ...auditBy(access.actor),
    action,
    entity: 'WebhookEndpoint',
    entityId: row.id,
    details: { ...details, ...(row.provider_id !== access.actor.providerId ? { targetProviderId: row.provider_id } : {}) },
  });
}

/** Requeues an endpoint's pending deliveries for now, with a fresh attempt budget (after re-enabling). */
async function requeuePending(sql: SqlExecutor, endpointId: string): Promise<void> {
  await sql.query(
    `UPDATE webhook_delivery SET attempt_count = 0, next_attempt_at = now()
      WHERE endpoint_id = $1 AND state = 'PENDING' AND (leased_until IS NULL OR leased_until < now())`,
    [endpointId],
  );
}

export interface UpdateEndpointInput {
  id: string;
  url?: string | null | undefined;
  description?: string | null | undefined;
  events?: readonly WebhookEventType[] | null | undefined;
  /** false: DISABLED (BY_OWNER); true: active again (a public endpoint that is not verified is verified again first). */
  enabled?: boolean | null | undefined;
}

/** Changes an endpoint; a public endpoint's new URL is verified again before it gets events. */
export async function updateEndpoint(db: Database, settings: WebhookSettings, access: EndpointAccess, input: UpdateEndpointInput): Promise<string> {
  checkRef(input.id, access);
  checkDescription(input.description);
  const url = input.url === null || input.url === undefined ? null : await checkEndpointUrl(input.url, 'url', settings);
  const events = input.events === null || input.events === undefined ? null : checkEvents(input.events);
  return db.transaction(async (sql) => {
    const row = await endpointFor(sql, access, input.id, 'id', true);
    const urlChanged = url !== null && url !== row.url;
    await sql.query(
      `UPDATE webhook_endpoint SET url = coalesce($2, url), description = CASE WHEN $3::boolean THEN $4 ELSE description END,
              event_types = coalesce($5::text[], event_types), updated_at = now()
        WHERE id = $1`,
      [row.id, url, input.description !== undefined, input.description ?? null, events],
    );
    const publicEndpoint = row.provider_id === null;
    if (input.enabled === false) {
      await sql.query(`UPDATE webhook_endpoint SET status = 'DISABLED', disabled_reason = 'BY_OWNER', disabled_at = now() WHERE id = $1`, [row.id]);
    } else if (
      publicEndpoint &&
      (urlChanged || (input.enabled === true && row.status === 'DISABLED' && (row.verified_at === null || row.disabled_reason === 'UNVERIFIED')))
    ) {
      // A new address (or one that never proved itself) echoes a new challenge first.
      await sql.query(
        `UPDATE webhook_endpoint SET status = 'PENDING_VERIFICATION', disabled_reason = NULL, disabled_at = NULL, verified_at = NULL WHERE id = $1`,
        [row.id],
      );
      await sql.query(
        `UPDATE webhook_delivery SET state = 'FAILED', last_error = 'replaced by a new verification' WHERE endpoint_id = $1 AND event_type = $2 AND state = 'PENDING'`,
        [row.id, VERIFICATION_EVENT],
      );
      await queueVerification(sql, row.id);
    } else if (input.enabled === true && row.status === 'DISABLED') {
      await sql.query(`UPDATE webhook_endpoint SET status = 'ACTIVE', disabled_reason = NULL, disabled_at = NULL WHERE id = $1`, [row.id]);
      await requeuePending(sql, row.id);
    }
    await auditOf(sql, access, row, 'updateWebhookEndpoint', {
      ...(url ? { url } : {}),
      ...(events ? { events } : {}),
      ...(input.enabled !== undefined && input.enabled !== null ? { enabled: input.enabled } : {}),
    });
    return row.id;
  });
}

/** Deletes an endpoint with its deliveries and attempts. Deleting one that is gone is NOT_FOUND. */
export async function deleteEndpoint(db: Database, access: EndpointAccess, id: string): Promise<string> {
  checkRef(id, access);
  return db.transaction(async (sql) => {
    const row = await endpointFor(sql, access, id, 'id', true);
    await auditOf(sql, access, row, 'deleteWebhookEndpoint', { url: row.url });
    await sql.query(`DELETE FROM webhook_endpoint WHERE id = $1`, [row.id]);
    return row.id;
  });
}

/**
 * A new signing secret (shown once). The old one keeps signing beside it (a second `v1,…` in
 * `webhook-signature`) for `previousSecretValidHours`, so receivers can switch without a gap.
 */
export async function rotateSecret(
  db: Database,
  settings: WebhookSettings,
  access: EndpointAccess,
  id: string,
  previousSecretValidHours: number,
): Promise<CreatedEndpoint> {
  checkRef(id, access);
  if (!Number.isInteger(previousSecretValidHours) || previousSecretValidHours < 0 || previousSecretValidHours > MAX_PREVIOUS_SECRET_HOURS) {
    throw new ValidationError([{ field: 'previousSecretValidHours', code: 'OUT_OF_RANGE', message: `From 0 to ${MAX_PREVIOUS_SECRET_HOURS} hours.` }]);
  }
  const secret = generateSigningSecret();
  const endpointId = await db.transaction(async (sql) => {
    const row = await endpointFor(sql, access, id, 'id', true);
    await sql.query(
      `UPDATE webhook_endpoint
          SET previous_secret = CASE WHEN $3::int > 0 THEN secret END,
              previous_secret_until = CASE WHEN $3::int > 0 THEN now() + make_interval(hours => $3::int) END,
              secret = $2, secret_rotated_at = now(), updated_at = now()
        WHERE id = $1`,
      [row.id, settings.secrets.seal(secret), previousSecretValidHours],
    );
    await auditOf(sql, access, row, 'rotateWebhookEndpointSecret', { previousSecretValidHours });
    return row.id;
  });
  return { endpointId, secret };
}

/**
 * Sends an endpoint's deliveries created in [from, to) again: each is queued for now with a fresh
 * attempt budget, keeping its `webhook-id` (a receiver that deduplicates by it must forget ids
 * it wants replayed). Deliveries being attempted right now are left to finish. Returns how many were queued.
 */
export async function replayDeliveries(
  db: Database,
  access: EndpointAccess,
  endpointId: string,
  from: Date,
  to: Date,
): Promise<{ endpointId: string; replayed: number }> {
  checkRef(endpointId, access, 'endpointId');
  if (!(from.getTime() < to.getTime())) throw new ValidationError([{ field: 'to', code: 'INVALID_VALUE', message: '`to` must be after `from`.' }]);
  return db.transaction(async (sql) => {
    const row = await endpointFor(sql, access, endpointId, 'endpointId', true);
    const replayed = await sql.query<{ id: string }>(
      `UPDATE webhook_delivery SET state = 'PENDING', attempt_count = 0, next_attempt_at = now(), lease_token = NULL, leased_until = NULL
        WHERE endpoint_id = $1 AND created_at >= $2 AND created_at < $3 AND event_type <> $4
          AND (leased_until IS NULL OR leased_until < now())
       RETURNING id`,
      [row.id, from, to, VERIFICATION_EVENT],
    );
    await auditOf(sql, access, row, 'replayWebhookDeliveries', { from: from.toISOString(), to: to.toISOString(), replayed: replayed.length });
    return { endpointId: row.id, replayed: replayed.length };
  });
}

/** Sends one delivery again (see {@link replayDeliveries}); one being attempted right now is left as it is. */
export async function replayDelivery(db: Database, access: EndpointAccess, deliveryId: string): Promise<string> {
  checkRef(deliveryId, access, 'id', 'webhook delivery');
  return db.transaction(async (sql) => {
    const [delivery] = await sql.query<{ endpoint_id: string }>(`SELECT endpoint_id FROM webhook_delivery WHERE id = $1`, [deliveryId]);
    if (!delivery) throw new WriteError('NOT_FOUND', `No webhook delivery has the id ${deliveryId}.`, { field: 'id' });
    const row = await endpointFor(sql, access, delivery.endpoint_id, 'id', true);
    await sql.query(
      `UPDATE webhook_delivery SET state = 'PENDING', attempt_count = 0, next_attempt_at = now(), lease_token = NULL, leased_until = NULL
        WHERE id = $1 AND (leased_until IS NULL OR leased_until < now())`,
      [deliveryId],
    );
    await auditOf(sql, access, row, 'replayWebhookDelivery', { deliveryId });
    return deliveryId;
  });
}

/** The endpoints a key may manage, for `webhookEndpoints`: those of the providers it acts for. */
export function managedProviderIds(actor: Actor | null): string[] {
  return [...authorize(actor, 'WEBHOOKS_ADMIN').actingFor];
}

/** For the `webhookEndpoint` query: checks the arguments and the access, like a mutation. */
export async function readableEndpoint(db: Database, access: EndpointAccess, id: string): Promise<string> {
  checkRef(id, access);
  return (await endpointFor(db.sql, access, id)).id;
}
