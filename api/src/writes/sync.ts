// syncOffers: a partner pushes its offers (with their slots) in batches.
import type { Database, SqlExecutor } from '@pakt/db';
// The limits the SDK and the CLI check before sending: one source (see sdk/src/limits.ts).
import { syncLimits } from '../../../sdk/src/limits.js';
import type { Actor } from '../auth/actor.js';
import { appendAudit, auditBy } from '../sql/audit-log.js';
import { authorize, requireActingFor } from '../auth/authorize.js';
import { sha256Canonical } from '../canonical-json.js';
import { appendChanges, type ChangeInput } from './change-log.js';
import { WriteError } from './errors.js';
import { applyPlans, softDeleteOffersNotIn } from './offer-writer/apply.js';
import { describeChanges } from './offer-writer/diff.js';
import { countLiveOffers, loadDoomedOffers, loadExistingOffers } from './offer-writer/load.js';
import { type DeletionLimits, checkDeletionLimits, deletionResults, itemResults, planItems } from './offer-writer/plan.js';
import type { DoomedOffer, OfferItemResult, ProviderRef } from './offer-writer/types.js';
import { prepareItems } from './offer-writer/validate.js';
import { MAX_EXTERNAL_ID_LENGTH, type OfferInput } from './offer-input.js';
import { lockProvider } from './sql.js';
import { findProvider } from './provider.js';
import { checkArgument, textError } from './text.js';

/** Largest batch a sync accepts; larger requests fail with BATCH_TOO_LARGE (split them). */
export const MAX_SYNC_BATCH = syncLimits.maxBatchSize;

const MAX_IDEMPOTENCY_KEY_LENGTH = syncLimits.maxIdempotencyKeyLength;

/** How long an idempotency record is kept when the caller does not say (PAKT_IDEMPOTENCY_TTL_HOURS). */
export const DEFAULT_IDEMPOTENCY_TTL_HOURS = 24;

/** Most `keepExternalIds` one FULL sync accepts (a provider's whole catalogue, split into batches). */
export const MAX_KEEP_EXTERNAL_IDS = syncLimits.maxKeepExternalIds;

export type SyncMode = 'UPSERT' | 'FULL';

export interface SyncOffersInput {
  /** The provider whose offers these are. @default the API key's own provider */
  providerSlug?: string | undefined;
  offers: readonly OfferInput[];
  /**
   * `UPSERT` creates or updates the offers sent. `FULL` also soft-deletes the provider's offers
   * (and their slots) that were not sent: the batch is the provider's complete list.
   * @default 'UPSERT'
   */
  mode?: SyncMode | undefined;
  /** Validate and report what would happen, without writing anything. @default false */
  dryRun?: boolean | undefined;
  /** Replaying the same key with the same input returns the first result and writes nothing. */
  idempotencyKey?: string | null | undefined;
  /**
   * FULL mode: externalIds of offers that are not in this batch but must not be deleted either,
   * because earlier batches of the same FULL sync sent them. A FULL sync that does not fit one
   * batch is sent as batches 1…n-1 in UPSERT mode and batch n in FULL mode with the externalIds of
   * batches 1…n-1 here. At most {@link MAX_KEEP_EXTERNAL_IDS}; ignored in UPSERT mode.
   */
  keepExternalIds?: readonly string[] | null | undefined;
  /**
   * FULL mode: the most offers this batch may delete. A batch that would delete more is refused
   * as a whole with TOO_MANY_DELETIONS (also in a dry run), counted under the provider's lock.
   */
  maxDeletions?: number | null | undefined;
  /**
   * FULL mode: the largest share (0 to 1) of the provider's live offers (before the batch) this
   * batch may delete; refused like `maxDeletions`.
   */
  maxDeleteRatio?: number | null | undefined;
}

export interface SyncOptions {
  /**
   * How long an idempotency record counts: an older one is treated as absent (and replaced when
   * its key is used again), whether or not the cleanup removed it yet.
   * @default DEFAULT_IDEMPOTENCY_TTL_HOURS
   */
  idempotencyTtlHours?: number | undefined;
}

export interface SyncSummary {
  created: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
}

export interface SyncOffersResult {
  mode: SyncMode;
  dryRun: boolean;
  /** One entry per input item, in input order, then one `DELETED` entry per offer FULL removed. */
  results: OfferItemResult[];
  summary: SyncSummary;
  /** FULL mode only: true when deletions were skipped because an item failed. */
  deletionsSkipped: boolean;
  /** True when this is the stored result of an earlier request with the same idempotency key. */
  replayed: boolean;
  /** FULL mode: the provider's live offers before the batch (what `maxDeleteRatio` is a share of); null otherwise. */
  liveOfferCount: number | null;
}

/**
 * Creates, updates and (in FULL mode) soft-deletes a provider's offers, identified by the
 * provider's `externalId`s.
 *
 * Semantics, per item: valid items are applied; an invalid item is reported `FAILED` with its
 * `userErrors` and changes nothing (its offer, if one exists, keeps its previous state). All
 * writes of the batch, including the change-log and audit entries and the idempotency record,
 * happen in ONE database transaction: a crash or a database error leaves nothing of the batch.
 *
 * - Identical content (same content hash, not deleted, same slots) is `UNCHANGED`: no write, no
 *   version bump. Every other update bumps the offer's `version` by 1.
 * - A soft-deleted offer that is sent again is revived and reported `UPDATED` (same id).
 * - An offer's `slots` list is complete: its stored slots that are not in the input are
 *   soft-deleted (and come back, revived, if sent again later).
 * - `FULL` mode deletes nothing if ANY item failed: a failed row cannot be told apart from a
 *   "not sent" offer, and deleting it would turn a typo into data loss. `deletionsSkipped` says so;
 *   fix the items and send the batch again.
 * - `keepExternalIds` (FULL mode) spares offers that were sent by earlier batches of the same FULL
 *   sync: batches 1…n-1 go as UPSERT, batch n as FULL with their externalIds here.
 * - `dryRun` runs every check and reports the result (ids of offers it would create are null)
 *   without writing, auditing or storing an idempotency record.
 * - `idempotencyKey` (per provider, for `idempotencyTtlHours`): a replay with the same input
 *   returns the stored result with `replayed: true`; the same key with a different input throws
 *   `IDEMPOTENCY_KEY_REUSED`. An expired record is absent: the key runs as new and replaces it.
 *
 * Throws `WriteError` (`UNAUTHENTICATED`, `FORBIDDEN`, `NOT_FOUND` provider, `BATCH_TOO_LARGE`
 * with `data.maxBatchSize`, `IDEMPOTENCY_KEY_REUSED`) before writing anything.
 */
export async function syncOffers(
  db: Database,
  actor: Actor | null | undefined,
  input: SyncOffersInput,
  { idempotencyTtlHours = DEFAULT_IDEMPOTENCY_TTL_HOURS }: SyncOptions = {},
): Promise<SyncOffersResult> {
  const caller = authorize(actor, 'OFFERS_WRITE');
  const mode = input.mode ?? 'UPSERT';
  if (mode !== 'UPSERT' && mode !== 'FULL') throw new WriteError('VALIDATION_FAILED', 'mode must be UPSERT or FULL.', { field: 'mode' });
  const dryRun = input.dryRun ?? false;
  if (!Array.isArray(input.offers)) throw new WriteError('VALIDATION_FAILED', 'offers must be a list.', { field: 'offers' });
  if (input.offers.length > MAX_SYNC_BATCH) {
    throw new WriteError(
      'BATCH_TOO_LARGE',
      `A sync takes at most ${MAX_SYNC_BATCH} offers; this one has ${input.offers.length}. Split it into several batches.`,
      {
        field: 'offers',
        data: { maxBatchSize: MAX_SYNC_BATCH, batchSize: input.offers.length },
      },
    );
  }
  const provider = await findProvider(db.sql, input.providerSlug, caller);
  requireActingFor(caller, provider.id);
  const idempotencyKey = dryRun ? null : (input.idempotencyKey ?? null);
  if (idempotencyKey !== null && (idempotencyKey.length === 0 || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH)) {
    throw new WriteError('VALIDATION_FAILED', `idempotencyKey must have 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`, { field: 'idempotencyKey' });
  }
  // Also in dry runs, which ignore the key: a key that is not valid text is wrong either way.
  checkArgument(input.idempotencyKey, 'idempotencyKey', 'identifier', MAX_IDEMPOTENCY_KEY_LENGTH);
  const keep = keepList(input.keepExternalIds, mode === 'FULL' && !dryRun);
  const limits = deletionLimits(input);
  // Part of the request only when given, so that the hashes of requests without it stay as they were.
  const requestHash = idempotencyKey
    ? sha256Canonical(keep.length > 0 && mode === 'FULL' ? { mode, offers: input.offers, keepExternalIds: keep } : { mode, offers: input.offers })
    : null;

  return db.transaction(async (sql) => {
    if (!dryRun) await lockProvider(sql, provider.id);
    if (idempotencyKey && requestHash) {
      const stored = await readIdempotencyRecord(sql, provider.id, idempotencyKey, idempotencyTtlHours);
      if (stored) {
        if (stored.requestHash !== requestHash) {
          throw new WriteError(
            'IDEMPOTENCY_KEY_REUSED',
            `Idempotency key "${idempotencyKey}" was used before with a different request. Use a new key for new input.`,
            {
              field: 'idempotencyKey',
            },
          );
        }
        return { ...stored.response, liveOfferCount: stored.response.liveOfferCount ?? null, replayed: true };
      }
    }

    const { result, changes } = await runSync(sql, caller, provider, input.offers, mode, dryRun, mode === 'FULL' ? keep : [], limits);
    if (dryRun) return result;

    if (idempotencyKey && requestHash) {
      // Under the provider lock, a row for the key here is an expired one: this request replaces it.
      await sql.query(
        `INSERT INTO idempotency_record (provider_id, key, request_hash, response) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (provider_id, key) DO UPDATE
            SET request_hash = EXCLUDED.request_hash, response = EXCLUDED.response, created_at = now()`,
        [provider.id, idempotencyKey, requestHash, JSON.stringify(result)],
      );
    }
    // Last: takes the change-log lock, held until COMMIT (see change-log.ts).
    await appendChanges(sql, changes);
    return result;
  });
}

async function runSync(
  sql: SqlExecutor,
  actor: Actor,
  provider: ProviderRef,
  offers: readonly OfferInput[],
  mode: SyncMode,
  dryRun: boolean,
  keep: readonly string[],
  limits: DeletionLimits,
): Promise<{ result: SyncOffersResult; changes: ChangeInput[] }> {
  const items = await prepareItems(sql, provider, offers, (index) => `offers[${index}]`);
  const externalIds = [...new Set(items.flatMap((item) => (item.externalId === null ? [] : [item.externalId])))];
  // What FULL mode leaves alone: this batch's offers and those of the earlier batches.
  const kept = keep.length > 0 ? [...new Set([...externalIds, ...keep])] : externalIds;
  const existing = await loadExistingOffers(sql, provider.id, externalIds, !dryRun);
  const plans = planItems(items, existing);
  // Read before anything is written: the stored side of each update.
  const results = itemResults(items, plans, existing, dryRun, await describeChanges(sql, plans, existing));
  const anyFailed = results.some((r) => r.status === 'FAILED');
  const deletionsSkipped = mode === 'FULL' && anyFailed;

  // FULL: what would be deleted, known (under the provider's lock) before anything is written.
  let liveOfferCount: number | null = null;
  let doomed: DoomedOffer[] = [];
  if (mode === 'FULL') {
    liveOfferCount = await countLiveOffers(sql, provider.id);
    if (!anyFailed) {
      doomed = await loadDoomedOffers(sql, provider.id, kept);
      checkDeletionLimits(doomed, liveOfferCount, limits);
    }
  }

  const changes: ChangeInput[] = [];
  if (!dryRun) changes.push(...(await applyPlans(sql, provider, plans)));

  if (mode === 'FULL' && !anyFailed) {
    if (dryRun) results.push(...deletionResults(doomed, null));
    else {
      const deleted = await softDeleteOffersNotIn(sql, provider.id, kept);
      results.push(...deletionResults(doomed, deleted.offers));
      changes.push(...deleted.changes);
    }
  }

  const summary: SyncSummary = { created: 0, updated: 0, unchanged: 0, deleted: 0, failed: 0 };
  for (const r of results) summary[r.status.toLowerCase() as keyof SyncSummary] += 1;
  const result: SyncOffersResult = { mode, dryRun, results, summary, deletionsSkipped, replayed: false, liveOfferCount };

  if (!dryRun) {
    await appendAudit(sql, {
      ...auditBy(actor),
      action: 'syncOffers',
      entity: 'Provider',
      entityId: provider.id,
      details: { mode, items: offers.length, ...summary, deletionsSkipped, ...(provider.id !== actor.providerId ? { targetProviderId: provider.id } : {}) },
    });
  }
  return { result, changes };
}

/** `maxDeletions` and `maxDeleteRatio`, checked. */
function deletionLimits(input: SyncOffersInput): DeletionLimits {
  const { maxDeletions = null, maxDeleteRatio = null } = input;
  if (maxDeletions !== null && !(Number.isInteger(maxDeletions) && maxDeletions >= 0)) {
    throw new WriteError('VALIDATION_FAILED', 'maxDeletions must be a whole number of at least 0.', { field: 'maxDeletions' });
  }
  if (maxDeleteRatio !== null && !(Number.isFinite(maxDeleteRatio) && maxDeleteRatio >= 0 && maxDeleteRatio <= 1)) {
    throw new WriteError('VALIDATION_FAILED', 'maxDeleteRatio must be a number from 0 to 1.', { field: 'maxDeleteRatio' });
  }
  return { maxDeletions, maxDeleteRatio };
}

/**
 * `keepExternalIds`, checked, without duplicates, sorted (so that the request hash does not depend on
 * order). An entry the text rule refuses is a VALIDATION_FAILED naming it when the list decides what
 * is deleted (`strict`: a FULL sync that writes): dropping it could delete an offer stored under it
 * before the rule existed. Where the list deletes nothing (UPSERT, dry runs), such entries are
 * left out: they can name no offer written under the rule, and the SDK's dry FULL preview lists
 * every externalId of a run, so one bad row must not refuse the whole preview (that row FAILS on
 * its own when it is sent).
 */
function keepList(value: readonly string[] | null | undefined, strict: boolean): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((id) => typeof id === 'string')) {
    throw new WriteError('VALIDATION_FAILED', 'keepExternalIds must be a list of strings.', { field: 'keepExternalIds' });
  }
  if (value.length > MAX_KEEP_EXTERNAL_IDS) {
    throw new WriteError('VALIDATION_FAILED', `keepExternalIds takes at most ${MAX_KEEP_EXTERNAL_IDS} externalIds; this request has ${value.length}.`, {
      field: 'keepExternalIds',
      data: { max: MAX_KEEP_EXTERNAL_IDS, count: value.length },
    });
  }
  if (strict) for (const [i, id] of value.entries()) checkArgument(id, `keepExternalIds[${i}]`, 'identifier', MAX_EXTERNAL_ID_LENGTH);
  const usable = strict ? value : value.filter((id, i) => textError(id, `keepExternalIds[${i}]`, 'identifier', MAX_EXTERNAL_ID_LENGTH) === null);
  return [...new Set(usable)].sort();
}

interface StoredIdempotency {
  requestHash: string;
  response: SyncOffersResult;
}

/** The record of a key if it is younger than the TTL; an expired one is absent. */
async function readIdempotencyRecord(sql: SqlExecutor, providerId: string, key: string, ttlHours: number): Promise<StoredIdempotency | null> {
  const [row] = await sql.query<{ request_hash: string; response: SyncOffersResult }>(
    `SELECT request_hash, response FROM idempotency_record
      WHERE provider_id = $1 AND key = $2 AND created_at > now() - make_interval(hours => $3)`,
    [providerId, key, ttlHours],
  );
  return row ? { requestHash: row.request_hash, response: row.response } : null;
}
