// Single-offer writes: upsertOffer, deleteOffer, publishOffer, unpublishOffer.
import type { Database, OfferStatus, SqlExecutor } from '@pakt/db';
import type { Actor } from '../auth/actor.js';
import { appendAudit, auditBy } from '../sql/audit-log.js';
import { authorize, requireActingFor } from '../auth/authorize.js';
import { appendChanges } from './change-log.js';
import { ConflictError, WriteError } from './errors.js';
import type { OfferInput } from './offer-input.js';
import { applyPlans, softDeleteOffer } from './offer-writer/apply.js';
import { describeChanges } from './offer-writer/diff.js';
import { loadExistingOffers } from './offer-writer/load.js';
import { itemResults, planItems } from './offer-writer/plan.js';
import type { OfferItemResult } from './offer-writer/types.js';
import { prepareItems } from './offer-writer/validate.js';
import { findProvider } from './provider.js';
import { lockProvider } from './sql.js';
import { isUuid } from '../uuid.js';

export interface UpsertOfferInput {
  /** @default the API key's own provider */
  providerSlug?: string | undefined;
  offer: OfferInput;
  /** When set, the write only happens if the stored offer has this version (else ConflictError). */
  expectedVersion?: number | null | undefined;
}

/**
 * Creates or updates one offer by its externalId, with the same rules as one item of
 * {@link import('./sync.js').syncOffers} (UPSERT mode). Invalid input is returned as a `FAILED`
 * result with `userErrors`, not thrown. With `expectedVersion`, a stale version throws
 * {@link ConflictError} (`currentVersion` null when the offer does not exist); the update itself is
 * conditional (`WHERE id = … AND version = …`).
 */
export async function upsertOffer(db: Database, actor: Actor | null | undefined, input: UpsertOfferInput): Promise<OfferItemResult> {
  const caller = authorize(actor, 'OFFERS_WRITE');
  const provider = await findProvider(db.sql, input.providerSlug, caller);
  requireActingFor(caller, provider.id);
  const expected = input.expectedVersion ?? undefined;
  return db.transaction(async (sql) => {
    await lockProvider(sql, provider.id);
    const items = await prepareItems(sql, provider, [input.offer], () => 'offer');
    const externalId = items[0]?.externalId;
    const existing = await loadExistingOffers(sql, provider.id, externalId ? [externalId] : [], true);
    const plans = planItems(items, existing, expected === undefined ? undefined : new Map([[0, expected]]));
    const [result] = itemResults(items, plans, existing, false, await describeChanges(sql, plans, existing));
    if (!result) throw new Error('no result for the item');
    if (result.status === 'FAILED') return result;
    const changes = await applyPlans(sql, provider, plans);
    await appendAudit(sql, {
      ...auditBy(caller),
      action: 'upsertOffer',
      entity: 'Offer',
      entityId: result.id,
      details: {
        externalId: result.externalId,
        status: result.status,
        version: result.version,
        ...(provider.id !== caller.providerId ? { targetProviderId: provider.id } : {}),
      },
    });
    await appendChanges(sql, changes);
    return result;
  });
}

export interface OfferRefInput {
  /** The offer's id (UUID). */
  id: string;
  /** When set, the write only happens if the offer has this version (else ConflictError). */
  expectedVersion?: number | null | undefined;
}

/** The state of an offer after a single-offer write. */
export interface OfferWriteResult {
  id: string;
  externalId: string;
  providerId: string;
  version: number;
  status: OfferStatus;
  deleted: boolean;
  /** False when the offer already was in the requested state (nothing written, version unchanged). */
  changed: boolean;
}

interface OfferStateRow {
  id: string;
  external_id: string;
  provider_id: string;
  version: number;
  status: OfferStatus;
  deleted: boolean;
}

const STATE_COLUMNS = `id, external_id, provider_id, version, status::text AS status, deleted_at IS NOT NULL AS deleted`;

function toResult(row: OfferStateRow, changed: boolean): OfferWriteResult {
  return { id: row.id, externalId: row.external_id, providerId: row.provider_id, version: row.version, status: row.status, deleted: row.deleted, changed };
}

/**
 * After a conditional UPDATE matched nothing: says why, as a typed error, or returns the row when
 * it simply is in the requested state already.
 */
async function explainMiss(sql: SqlExecutor, actor: Actor, input: OfferRefInput, allowDeleted: boolean): Promise<OfferStateRow> {
  const [row] = await sql.query<OfferStateRow>(`SELECT ${STATE_COLUMNS} FROM offer WHERE id = $1`, [input.id]);
  if (!row || (row.deleted && !allowDeleted)) throw new WriteError('NOT_FOUND', `No offer has the id ${input.id}.`, { field: 'id' });
  requireActingFor(actor, row.provider_id);
  const expected = input.expectedVersion ?? null;
  if (expected !== null && row.version !== expected) throw new ConflictError('Offer', row.id, expected, row.version);
  return row;
}

function checkId(id: string): void {
  if (!isUuid(id)) throw new WriteError('NOT_FOUND', `No offer has the id ${id}.`, { field: 'id' });
}

/**
 * Soft-deletes an offer and its slots (deleted_at, version + 1; the change feed gets tombstones).
 * Deleting an offer that is already deleted changes nothing and returns `changed: false`, so a
 * retried delete succeeds. A later sync that sends the offer again revives it.
 */
export async function deleteOffer(db: Database, actor: Actor | null | undefined, input: OfferRefInput): Promise<OfferWriteResult> {
  const caller = authorize(actor, 'OFFERS_WRITE');
  checkId(input.id);
  return db.transaction(async (sql) => {
    const { offers, changes } = await softDeleteOffer(sql, {
      id: input.id,
      providerIds: [...caller.actingFor],
      expectedVersion: input.expectedVersion ?? null,
    });
    const deleted = offers[0];
    if (!deleted) return toResult(await explainMiss(sql, caller, input, true), false);
    await appendAudit(sql, {
      ...auditBy(caller),
      action: 'deleteOffer',
      entity: 'Offer',
      entityId: deleted.id,
      details: {
        externalId: deleted.externalId,
        version: deleted.version,
        slotsDeleted: changes.length - 1,
        ...(deleted.providerId !== caller.providerId ? { targetProviderId: deleted.providerId } : {}),
      },
    });
    const [row] = await sql.query<OfferStateRow>(`SELECT ${STATE_COLUMNS} FROM offer WHERE id = $1`, [deleted.id]);
    if (!row) throw new Error('deleted offer vanished');
    await appendChanges(sql, changes);
    return toResult(row, true);
  });
}

/** Sets an offer's status to PUBLISHED (portals show it). Already published: `changed: false`. */
export function publishOffer(db: Database, actor: Actor | null | undefined, input: OfferRefInput): Promise<OfferWriteResult> {
  return setStatus(db, actor, input, 'PUBLISHED', 'publishOffer');
}

/** Sets an offer's status back to DRAFT (portals stop showing it). Not published: `changed: false`. */
export function unpublishOffer(db: Database, actor: Actor | null | undefined, input: OfferRefInput): Promise<OfferWriteResult> {
  return setStatus(db, actor, input, 'DRAFT', 'unpublishOffer');
}

async function setStatus(
  db: Database,
  actor: Actor | null | undefined,
  input: OfferRefInput,
  target: 'PUBLISHED' | 'DRAFT',
  action: string,
): Promise<OfferWriteResult> {
  const caller = authorize(actor, 'OFFERS_WRITE');
  checkId(input.id);
  return db.transaction(async (sql) => {
    // content_hash is cleared: the stored state no longer matches the last synced input, so the
    // next sync of this offer writes (and restores the partner's status) instead of UNCHANGED.
    const [row] = await sql.query<OfferStateRow>(
      `UPDATE offer SET status = $4::"OfferStatus", version = version + 1, updated_at = now(), content_hash = NULL,
              published_at = CASE WHEN $4 = 'PUBLISHED' THEN now() ELSE published_at END
        WHERE id = $1 AND deleted_at IS NULL AND provider_id = ANY($2::uuid[]) AND ($3::int IS NULL OR version = $3::int)
          AND status <> $4::"OfferStatus"
        RETURNING ${STATE_COLUMNS}`,
      [input.id, [...caller.actingFor], input.expectedVersion ?? null, target],
    );
    if (!row) return toResult(await explainMiss(sql, caller, input, false), false);
    await appendAudit(sql, {
      ...auditBy(caller),
      action,
      entity: 'Offer',
      entityId: row.id,
      details: {
        externalId: row.external_id,
        status: row.status,
        version: row.version,
        ...(row.provider_id !== caller.providerId ? { targetProviderId: row.provider_id } : {}),
      },
    });
    await appendChanges(sql, [{ entity: 'OFFER', entityId: row.id, offerId: row.id, providerId: row.provider_id, action: 'UPDATED', version: row.version }]);
    return toResult(row, true);
  });
}
